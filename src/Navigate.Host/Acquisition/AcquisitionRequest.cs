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

    /// <summary>
    /// Binning (1, 2, 4 ...), the same in x and y: the metadata's width and height are binned pixels, read from a sensor
    /// region binning times larger. Default 1.
    /// </summary>
    public int Binning { get; init; } = 1;

    /// <summary>Exposure in seconds; null leaves the camera's own setting.</summary>
    public double? ExposureSeconds { get; init; }

    /// <summary>
    /// Flush the operating system's cache to disk (sync) before the clock stops, so the reported speed is durable.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>
    /// Frame buffers between camera and writer; null sizes the ring by <see cref="DefaultRingBytes"/>. More absorb
    /// longer writer stalls at the cost of memory (each holds one frame).
    /// </summary>
    public int? RingFrames { get; init; }

    /// <summary>Memory the default ring takes: 64 MiB, i.e. 8 frames of 2048 × 2048 uint16, 128 of 512 × 512.</summary>
    public const long DefaultRingBytes = 64L << 20;

    /// <summary>The ring's size for frames of <paramref name="frameBytes"/> bytes: <see cref="RingFrames"/> or the default.</summary>
    /// <remarks>
    /// Measured (docs/performance.md): on a 2-core VM a 64-frame ring of 8 MiB frames cut the write rate by a third,
    /// because every fresh page of a large ring costs a page fault the writer pays for; past a few frames, depth only
    /// absorbs longer stalls, which the data source's own chunk buffer also does.
    /// </remarks>
    public int RingFramesFor(long frameBytes)
        => RingFrames ?? (int)Math.Clamp(DefaultRingBytes / Math.Max(1, frameBytes), 8, 256);
}
