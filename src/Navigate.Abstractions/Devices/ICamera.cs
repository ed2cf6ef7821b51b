namespace Navigate.Devices;

/// <summary>
/// A scientific camera as navigate drives it: exposure, binning, region of interest, sensor mode (normal or
/// light-sheet rolling shutter), readout direction, line interval, trigger; and sequence acquisition into a
/// caller-owned <see cref="FramePool"/>.
/// </summary>
/// <remarks>
/// Acquisition: <see cref="StartSequence"/>, then <see cref="WaitForFrame"/> until it answers
/// <see cref="FrameWaitResult.Completed"/> (or call <see cref="StopSequence"/>). Each delivered frame is the caller's
/// until it disposes it. Frames the camera could not deliver (the pool was exhausted, or the driver overwrote them
/// before they were read) are counted in <see cref="Counters"/>, never delivered late, twice or out of order.
/// </remarks>
public interface ICamera : IDisposable
{
    /// <summary>Model, serial number, sensor size and pixel format.</summary>
    CameraInfo Info { get; }

    /// <summary>The settings in effect, as the camera reports them.</summary>
    CameraSettings Settings { get; }

    /// <summary>
    /// Applies <paramref name="settings"/> and returns what the camera actually set (values are snapped to the
    /// camera's steps and ranges, as navigate does, e.g. ROI sizes to the subarray step).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value cannot be brought into range (names the setting).</exception>
    /// <exception cref="InvalidOperationException">The camera is acquiring.</exception>
    CameraSettings Configure(CameraSettings settings);

    /// <summary>The ranges of the camera's properties, for display and validation.</summary>
    IReadOnlyList<CameraProperty> DescribeProperties();

    /// <summary>True between <see cref="StartSequence"/> and the end or stop of the sequence.</summary>
    bool IsAcquiring { get; }

    /// <summary>Frames delivered and dropped in the current (or last) sequence.</summary>
    CameraCounters Counters { get; }

    /// <summary>Starts acquiring into <paramref name="pool"/>.</summary>
    /// <param name="pool">The buffers frames are delivered in; its buffers must hold the current ROI.</param>
    /// <param name="frameCount">Frames to acquire; 0 for continuous acquisition until <see cref="StopSequence"/>.</param>
    void StartSequence(FramePool pool, long frameCount);

    /// <summary>Waits up to <paramref name="timeout"/> for the next frame.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="frame">The frame when the result is <see cref="FrameWaitResult.Frame"/>; the caller disposes it.</param>
    /// <param name="cancellationToken">Ends the wait early with <see cref="OperationCanceledException"/>.</param>
    FrameWaitResult WaitForFrame(TimeSpan timeout, out Frame? frame, CancellationToken cancellationToken = default);

    /// <summary>Fires one software trigger (when the trigger source is <see cref="TriggerSource.Software"/>).</summary>
    void FireSoftwareTrigger();

    /// <summary>
    /// Stops the sequence. Frames already captured into the caller's pool are still returned by
    /// <see cref="WaitForFrame"/> until it answers <see cref="FrameWaitResult.Completed"/>, so a stop loses nothing
    /// that was exposed. Safe to call when not acquiring.
    /// </summary>
    void StopSequence();
}

/// <summary>What <see cref="ICamera.WaitForFrame"/> found.</summary>
public enum FrameWaitResult
{
    /// <summary>A frame was delivered.</summary>
    Frame,

    /// <summary>No frame arrived within the timeout; the sequence is still running.</summary>
    Timeout,

    /// <summary>The sequence has ended (all frames acquired, or stopped) and every frame has been delivered.</summary>
    Completed,
}

/// <summary>Counters of one acquisition sequence.</summary>
/// <param name="FramesDelivered">Frames handed to the caller.</param>
/// <param name="FramesDropped">Frames the camera exposed but could not deliver.</param>
public readonly record struct CameraCounters(long FramesDelivered, long FramesDropped);

/// <summary>What a camera is.</summary>
/// <param name="Name">The device name the host knows it by (e.g. <c>"synthetic"</c>).</param>
/// <param name="Model">Model, e.g. <c>"C13440-20CU"</c>.</param>
/// <param name="SerialNumber">Serial number.</param>
/// <param name="SensorWidth">Sensor width in pixels.</param>
/// <param name="SensorHeight">Sensor height in pixels.</param>
/// <param name="PixelType">Pixel type of delivered frames.</param>
/// <param name="BitDepth">Significant bits per pixel.</param>
/// <param name="PixelSizeUm">Physical pixel pitch on the sensor in µm.</param>
public sealed record CameraInfo(
    string Name,
    string Model,
    string SerialNumber,
    int SensorWidth,
    int SensorHeight,
    PixelType PixelType,
    int BitDepth,
    double PixelSizeUm);

/// <summary>A camera's settings. Use <c>with</c> to change one and pass the result to <see cref="ICamera.Configure"/>.</summary>
public sealed record CameraSettings
{
    /// <summary>Exposure time in seconds.</summary>
    public double ExposureSeconds { get; init; } = 0.01;

    /// <summary>Binning factor (1, 2, 4): the same in x and y, as navigate's "NxN".</summary>
    public int Binning { get; init; } = 1;

    /// <summary>Region of interest in sensor pixels (before binning); null for the full sensor.</summary>
    public RegionOfInterest? Roi { get; init; }

    /// <summary>Normal (area) or light-sheet (progressive rolling shutter) readout.</summary>
    public SensorMode SensorMode { get; init; } = SensorMode.Normal;

    /// <summary>Direction of the rolling shutter in light-sheet mode.</summary>
    public ReadoutDirection ReadoutDirection { get; init; } = ReadoutDirection.TopToBottom;

    /// <summary>Time between the readout of successive lines in light-sheet mode, in seconds.</summary>
    public double LineIntervalSeconds { get; init; } = 1e-5;

    /// <summary>Where exposures are triggered from.</summary>
    public TriggerSource TriggerSource { get; init; } = TriggerSource.Internal;

    /// <summary>Edge of an external trigger that starts an exposure.</summary>
    public TriggerPolarity TriggerPolarity { get; init; } = TriggerPolarity.Positive;

    /// <summary>Frames per second the camera paces itself to in internal trigger mode; null for as fast as it can.</summary>
    public double? FrameRate { get; init; }
}

/// <summary>A rectangle on the sensor in unbinned pixels.</summary>
/// <param name="Left">First column.</param>
/// <param name="Top">First row.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public readonly record struct RegionOfInterest(int Left, int Top, int Width, int Height)
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> region centred on a sensor of the given size.</summary>
    public static RegionOfInterest Centered(int width, int height, int sensorWidth, int sensorHeight)
        => new((sensorWidth - width) / 2, (sensorHeight - height) / 2, width, height);
}

/// <summary>Sensor readout mode.</summary>
public enum SensorMode
{
    /// <summary>Area (global or standard rolling) readout.</summary>
    Normal,

    /// <summary>Progressive rolling shutter synchronised with a scanned light sheet.</summary>
    LightSheet,
}

/// <summary>Rolling-shutter direction in light-sheet mode.</summary>
public enum ReadoutDirection
{
    /// <summary>Top to bottom.</summary>
    TopToBottom,

    /// <summary>Bottom to top.</summary>
    BottomToTop,

    /// <summary>Alternates each frame.</summary>
    Bidirectional,

    /// <summary>Alternates each frame, starting bottom to top.</summary>
    ReverseBidirectional,
}

/// <summary>Trigger source.</summary>
public enum TriggerSource
{
    /// <summary>The camera's own timer.</summary>
    Internal,

    /// <summary>An external TTL line.</summary>
    External,

    /// <summary><see cref="ICamera.FireSoftwareTrigger"/>.</summary>
    Software,
}

/// <summary>Trigger edge.</summary>
public enum TriggerPolarity
{
    /// <summary>Rising edge.</summary>
    Positive,

    /// <summary>Falling edge.</summary>
    Negative,
}

/// <summary>One camera property and its range.</summary>
/// <param name="Name">Name, e.g. <c>"exposure_time"</c>.</param>
/// <param name="Value">Current value.</param>
/// <param name="Minimum">Smallest value.</param>
/// <param name="Maximum">Largest value.</param>
/// <param name="Step">Step between allowed values; 0 for continuous.</param>
/// <param name="Unit">Unit, e.g. <c>"s"</c>, <c>"px"</c>; empty when none.</param>
/// <param name="Writable">False for read-only properties.</param>
public sealed record CameraProperty(string Name, double Value, double Minimum, double Maximum, double Step, string Unit, bool Writable);

/// <summary>
/// Opens a camera. Plugins register one per camera they can provide; <see cref="Open"/> is called only when the
/// camera is used, so listing devices never opens hardware by accident.
/// </summary>
public interface ICameraFactory
{
    /// <summary>The name users pick the camera by (<c>--camera NAME</c>).</summary>
    string Name { get; }

    /// <summary>Opens the camera.</summary>
    ICamera Open();
}
