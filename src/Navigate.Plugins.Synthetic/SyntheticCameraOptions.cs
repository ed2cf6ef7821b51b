namespace Navigate.Plugins.Synthetic;

/// <summary>How a synthetic camera looks and behaves.</summary>
public sealed record SyntheticCameraOptions
{
    /// <summary>Sensor width in pixels.</summary>
    public int SensorWidth { get; init; } = 2048;

    /// <summary>Sensor height in pixels.</summary>
    public int SensorHeight { get; init; } = 2048;

    /// <summary>Seed of the structure and noise: the same seed gives the same frames.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Pixel pitch in µm.</summary>
    public double PixelSizeUm { get; init; } = 6.5;

    /// <summary>Default frame rate; null delivers frames as fast as the consumer returns buffers.</summary>
    public double? FrameRate { get; init; }
}
