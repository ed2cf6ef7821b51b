namespace Navigate.Data;

/// <summary>
/// A data source that can stand a frame the camera dropped: it advances its frame counter without pixels, leaves that
/// plane at the fill value and lists the frame in its metadata, so every later frame still lands where it belongs and
/// a reader can tell a lost plane from a dark one.
/// </summary>
/// <remarks>
/// The acquisition engine calls it once for every frame number missing from the camera's sequence. A data source that
/// does not implement it is given a frame of zeros instead.
/// </remarks>
public interface IRecordsDroppedFrames
{
    /// <summary>Skips the next frame in acquisition order, recording it as dropped; returns where it would have gone.</summary>
    FrameIndex SkipDroppedFrame();
}
