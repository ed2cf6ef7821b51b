namespace Navigate.Host.Acquisition;

/// <summary>What an acquisition did. <c>navigate acquire --json</c> prints it (schema: docs/acquire-summary.schema.json).</summary>
public sealed record AcquisitionSummary
{
    /// <summary>The dataset's path.</summary>
    public required string Output { get; init; }

    /// <summary>The data format.</summary>
    public required string Format { get; init; }

    /// <summary>The camera's name.</summary>
    public required string Camera { get; init; }

    /// <summary>Frame width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Frame height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Frames the acquisition was to have.</summary>
    public required long FramesExpected { get; init; }

    /// <summary>Frames written with pixels.</summary>
    public required long FramesWritten { get; init; }

    /// <summary>Frames the camera exposed but could not deliver (their planes hold the fill value).</summary>
    public required long FramesDropped { get; init; }

    /// <summary>The first dropped frame numbers (at most 1000), in acquisition order.</summary>
    public required IReadOnlyList<long> DroppedFrames { get; init; }

    /// <summary>True when stopped early (Ctrl-C, SIGTERM or cancellation); every frame captured before that was written.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>Raw bytes of the frames written (level 0).</summary>
    public required long BytesWritten { get; init; }

    /// <summary>Bytes the dataset occupies on disk (all files, pyramid levels included).</summary>
    public required long BytesOnDisk { get; init; }

    /// <summary>From the camera's start until the dataset was closed (data on disk).</summary>
    public required double Seconds { get; init; }

    /// <summary>Raw megabytes (10^6 bytes) of frames per second.</summary>
    public double MegabytesPerSecond => Seconds > 0 ? BytesWritten / 1e6 / Seconds : 0;

    /// <summary>Frames per second.</summary>
    public double FramesPerSecond => Seconds > 0 ? FramesWritten / Seconds : 0;

    /// <summary>Processor time (user + system) the whole process used, in seconds.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>The process's peak resident memory in bytes.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Files the dataset consists of.</summary>
    public long Files { get; init; }

    /// <summary>Raw bytes of every level written ÷ bytes on disk; 1 for uncompressed data without overhead.</summary>
    public required double CompressionRatio { get; init; }
}
