namespace Navigate.Host.Acquisition;

/// <summary>A snapshot of a running acquisition.</summary>
/// <param name="FramesWritten">Frames handed to the data source.</param>
/// <param name="FramesExpected">Frames the acquisition will have.</param>
/// <param name="FramesDropped">Frames the camera could not deliver so far.</param>
/// <param name="Elapsed">Time since the camera started.</param>
/// <param name="BytesWritten">Raw (uncompressed) bytes of the frames written.</param>
/// <param name="QueueFill">Fraction of the frame ring in use (0..1): near 1 means the writer is falling behind.</param>
public readonly record struct AcquisitionProgress(long FramesWritten, long FramesExpected, long FramesDropped, TimeSpan Elapsed, long BytesWritten, double QueueFill)
{
    /// <summary>Frames per second so far.</summary>
    public double FramesPerSecond => Elapsed > TimeSpan.Zero ? FramesWritten / Elapsed.TotalSeconds : 0;

    /// <summary>Raw megabytes (10^6 bytes) per second so far.</summary>
    public double MegabytesPerSecond => Elapsed > TimeSpan.Zero ? BytesWritten / 1e6 / Elapsed.TotalSeconds : 0;
}
