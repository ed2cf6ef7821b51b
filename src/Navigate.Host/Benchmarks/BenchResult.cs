namespace Navigate.Host.Benchmarks;

/// <summary>One row of <c>navigate bench</c>.</summary>
/// <param name="Name">What was measured, e.g. <c>navigate lz4</c>.</param>
/// <param name="Bytes">Raw bytes of the frames (level 0).</param>
/// <param name="Seconds">Durable time: until the data was on disk.</param>
/// <param name="CpuSeconds">Processor time (user + system) of the writing process over that time.</param>
/// <param name="PeakMemoryBytes">Peak resident memory of the writing process.</param>
/// <param name="BytesOnDisk">What the output occupies.</param>
/// <param name="Files">Files written.</param>
/// <param name="FramesDropped">Frames dropped (must be 0).</param>
/// <param name="Error">Why the row has no figures, or null.</param>
public sealed record BenchResult(string Name, long Bytes, double Seconds, double CpuSeconds, long PeakMemoryBytes, long BytesOnDisk, long Files, long FramesDropped, string? Error = null)
{
    /// <summary>Raw megabytes (10^6) per second.</summary>
    public double MegabytesPerSecond => Seconds > 0 ? Bytes / 1e6 / Seconds : 0;

    /// <summary>Processor seconds per raw gigabyte (10^9).</summary>
    public double CpuSecondsPerGigabyte => Bytes > 0 ? CpuSeconds / (Bytes / 1e9) : 0;

    /// <summary>Raw bytes ÷ bytes on disk.</summary>
    public double CompressionRatio => BytesOnDisk > 0 ? (double)Bytes / BytesOnDisk : 0;

    /// <summary>This row's speed ÷ the plain file write's speed, measured in the same run.</summary>
    public double RatioToPlainWrite { get; init; }

    /// <summary>This row's speed ÷ its disk-bound limit (plain write speed × compression ratio, capped by nothing).</summary>
    public double RatioToDiskBound { get; init; }

    /// <summary>
    /// The writing process's processor time ÷ (the row's time × the processor count): 1 when every core was busy, which
    /// is the limit instead of the disk when compressing is slower than the disk's bound.
    /// </summary>
    public double CoresBusy { get; init; }
}

/// <summary>Everything <c>navigate bench</c> measured, with the machine it ran on.</summary>
/// <param name="Machine">Processor count, OS, runtime.</param>
/// <param name="Folder">Where the data was written.</param>
/// <param name="FrameWidth">Frame width.</param>
/// <param name="FrameHeight">Frame height.</param>
/// <param name="Frames">Frames per run.</param>
/// <param name="Rows">The measurements; the first is the plain file write.</param>
public sealed record BenchReport(string Machine, string Folder, int FrameWidth, int FrameHeight, int Frames, IReadOnlyList<BenchResult> Rows)
{
    /// <summary>Why these figures may not be representative (e.g. a Debug build of the host or a plugin); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
