using Navigate.Data;

namespace Navigate.Host.Acquisition;

/// <summary>What to acquire, with which camera, into which dataset.</summary>
public sealed record AcquisitionRequest
{
    /// <summary>The acquisition's shape, physical sizes, channels, positions and order.</summary>
    public required AcquisitionMetadata Metadata { get; init; }

    /// <summary>Where the dataset goes.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The data format's name (default <c>ome-zarr</c>).</summary>
    public string Format { get; init; } = Data.FormatCatalog.DefaultFormat;

    /// <summary>Format options (overwrite, compression, chunks ...).</summary>
    public DataSourceOptions FormatOptions { get; init; } = new();

    /// <summary>The camera's name; null for the default (synthetic) camera.</summary>
    public string? Camera { get; init; }

    /// <summary>Frames per second to pace the camera at; null leaves the camera's own setting.</summary>
    public double? FrameRate { get; init; }

    /// <summary>Exposure in seconds; null leaves the camera's own setting.</summary>
    public double? ExposureSeconds { get; init; }

    /// <summary>
    /// Flush the operating system's cache to disk (sync) before the clock stops, so the reported speed is durable.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>
    /// Frame buffers between camera and writer. More absorb longer writer stalls at the cost of memory
    /// (each holds one frame).
    /// </summary>
    public int RingFrames { get; init; } = 64;
}
