using System.Globalization;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>How chunks are compressed.</summary>
public enum OmeZarrCompression
{
    /// <summary>Raw chunks (<c>"compressor": null</c>).</summary>
    None,

    /// <summary>Blosc with LZ4 and byte shuffle: zarr-python 2's default, fast enough for camera streams.</summary>
    Lz4,

    /// <summary>Blosc with Zstandard and byte shuffle: smaller files, more CPU.</summary>
    Zstd,

    /// <summary>numcodecs' gzip: slow, but every Zarr reader has it.</summary>
    Gzip,
}

/// <summary>How positions and pyramid levels are arranged in the Zarr hierarchy.</summary>
public enum OmeZarrLayout
{
    /// <summary>
    /// navigate's own: arrays <c>p{position}_{level}</c> in the root group and one <c>multiscales</c> entry per position
    /// in the root attributes.
    /// </summary>
    Navigate,

    /// <summary>
    /// bioformats2raw layout 3: one image group per position (<c>0/</c>, <c>1/</c>, ...) with levels <c>0</c>,
    /// <c>1</c>, ..., plus an <c>OME/</c> group; napari (ome-zarr) and Fiji open every position.
    /// </summary>
    Bioformats2Raw,

    /// <summary>
    /// navigate's current layout (OME-NGFF HCS, one well): a plate at the root, well <c>A/1</c>, one field per position
    /// (<c>A/1/0</c>, <c>A/1/1</c>, ...) holding levels <c>0</c>, <c>1</c>, ...; the default for Zarr v3.
    /// </summary>
    Hcs,
}

/// <summary>
/// The format settings of an OME-Zarr dataset, parsed from <see cref="DataSourceOptions.Settings"/>:
/// <c>compression</c> (none | lz4 | zstd | gzip), <c>clevel</c> (0–9), <c>chunks</c> (<c>"Z,Y,X"</c>), <c>levels</c>,
/// <c>layout</c> (navigate | bioformats2raw | hcs), <c>threads</c> (compression threads), <c>write_threads</c> (threads storing compressed chunks), <c>buffer_mb</c> (the most
/// memory that chunks waiting for compression may hold), <c>zarr_version</c> (2 | 3) and <c>shard</c>
/// (<c>"Z,Y,X"</c>, Zarr v3: the shard size, a multiple of <c>chunks</c>).
/// </summary>
public sealed record OmeZarrOptions
{
    /// <summary>The setting names this format knows.</summary>
    public static IReadOnlyList<string> SettingNames { get; } = ["compression", "clevel", "chunks", "levels", "layout", "threads", "write_threads", "buffer_mb", "zarr_version", "shard"];

    /// <summary>navigate's Zarr v3 inner chunk along (z, y, x): (8, 256, 256).</summary>
    public static ChunkShape DefaultV3Chunks { get; } = new(8, 256, 256);

    /// <summary>navigate's Zarr v3 shard along (z, y, x): (32, 256, 256).</summary>
    public static ChunkShape DefaultV3Shard { get; } = new(32, 256, 256);

    /// <summary>Compression codec. Default <see cref="OmeZarrCompression.Lz4"/> (blosc-lz4, as zarr-python 2).</summary>
    public OmeZarrCompression Compression { get; init; } = OmeZarrCompression.Lz4;

    /// <summary>Compression level 0–9; null takes the codec's default (<see cref="EffectiveCompressionLevel"/>).</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>
    /// Chunk size of level 0 along (z, y, x); null for one chunk per plane as navigate writes, (1, Y, X). Lower levels
    /// use the same chunk size, clipped to their shape.
    /// </summary>
    public ChunkShape? Chunks { get; init; }

    /// <summary>Pyramid levels including full resolution; level k is 2^k smaller in x and y. Default 4.</summary>
    public int Levels { get; init; } = OmeZarrConstants.DefaultLevels;

    /// <summary>On-disk layout. Default <see cref="OmeZarrLayout.Navigate"/>.</summary>
    public OmeZarrLayout Layout { get; init; } = OmeZarrLayout.Navigate;

    /// <summary>Threads compressing chunks; default <see cref="DefaultThreads"/> (the processor count).</summary>
    public int Threads { get; init; } = DefaultThreads;

    /// <summary>The default of <see cref="Threads"/>: <see cref="Environment.ProcessorCount"/>.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>Threads storing compressed chunks; default <see cref="DefaultWriteThreads"/>.</summary>
    /// <remarks>
    /// A direct write blocks its thread until the device has the bytes, so writes have threads of their own and the
    /// compression threads never wait for the disk. Several writes in flight keep a device with deep queues (NVMe, a
    /// VM's virtual disk) busy; the threads sleep while they wait, so they cost no core.
    /// </remarks>
    public int WriteThreads { get; init; } = DefaultWriteThreads;

    /// <summary>The default of <see cref="WriteThreads"/>: 4.</summary>
    public const int DefaultWriteThreads = 4;

    /// <summary>
    /// MiB of complete chunks that may wait for (or be in) compression, and, stored as they are, for the disk;
    /// <see cref="OmeZarrDataSource.Write(ReadOnlySpan{byte}, Navigate.Devices.StagePosition?)"/> blocks while they
    /// would exceed it. Compressed chunks do not count: at most one per write thread waits for the disk. Default 64 (at
    /// least two rows of level-0 chunks are always allowed).
    /// </summary>
    public int BufferMegabytes { get; init; } = 64;

    /// <summary>
    /// 2 (OME-NGFF 0.4 on Zarr v2, the default: every viewer reads it) or 3 (OME-NGFF 0.5 on Zarr v3 with sharding:
    /// far fewer files for large data).
    /// </summary>
    public int ZarrVersion { get; init; } = 2;

    /// <summary>
    /// Zarr v3: the shard size along (z, y, x), a multiple of <see cref="Chunks"/> (the inner chunks); null for
    /// navigate's <see cref="DefaultV3Shard"/>. Each shard is assembled in memory and written once, complete.
    /// </summary>
    public ChunkShape? Shard { get; init; }

    /// <summary>The inner chunk size in effect for Zarr v3: <see cref="Chunks"/> or <see cref="DefaultV3Chunks"/>.</summary>
    public ChunkShape EffectiveV3Chunks => Chunks ?? DefaultV3Chunks;

    /// <summary>The shard size in effect for Zarr v3: <see cref="Shard"/> or <see cref="DefaultV3Shard"/> (rounded to the inner chunks).</summary>
    public ChunkShape EffectiveShard
    {
        get
        {
            var inner = EffectiveV3Chunks;
            var shard = Shard ?? DefaultV3Shard;
            static int Round(int s, int c) => Math.Max(c, s / c * c);
            return new ChunkShape(Round(shard.Z, inner.Z), Round(shard.Y, inner.Y), Round(shard.X, inner.X));
        }
    }

    /// <summary>The compression level actually used: the given one, or 5 for lz4 and gzip, 3 for zstd, 0 for none.</summary>
    public int EffectiveCompressionLevel => CompressionLevel ?? Compression switch
    {
        OmeZarrCompression.None => 0,
        OmeZarrCompression.Zstd => 3,
        _ => 5,
    };

    /// <summary>The options given by <paramref name="options"/>' settings; defaults for the settings not given.</summary>
    /// <exception cref="OmeZarrOptionsException">A setting's name is unknown or its value is bad.</exception>
    public static OmeZarrOptions Parse(DataSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Parse(options.Settings);
    }

    /// <summary>The options given by <paramref name="settings"/>; defaults for the settings not given.</summary>
    /// <exception cref="OmeZarrOptionsException">A setting's name is unknown or its value is bad.</exception>
    public static OmeZarrOptions Parse(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = new OmeZarrOptions();
        var layoutGiven = false;
        foreach (var (name, rawValue) in settings)
        {
            layoutGiven |= name.Trim().Equals("layout", StringComparison.OrdinalIgnoreCase);
            var value = (rawValue ?? string.Empty).Trim();
            result = name.Trim().ToLowerInvariant() switch
            {
                "compression" => result with { Compression = ParseCompression(name, value) },
                "clevel" => result with { CompressionLevel = ParseInt(name, value, 0, 9) },
                "chunks" => result with { Chunks = ParseChunks(name, value) },
                "levels" => result with { Levels = ParseInt(name, value, 1, OmeZarrConstants.MaxLevels) },
                "layout" => result with { Layout = ParseLayout(name, value) },
                "threads" => result with { Threads = ParseInt(name, value, 1, 256) },
                "write_threads" => result with { WriteThreads = ParseInt(name, value, 1, 256) },
                "buffer_mb" => result with { BufferMegabytes = ParseInt(name, value, 16, 1 << 20) },
                "zarr_version" => result with { ZarrVersion = ParseZarrVersion(name, value) },
                "shard" => result with { Shard = ParseChunks(name, value) },
                _ => throw new OmeZarrOptionsException(name, $"Unknown ome-zarr setting '{name}'; expected one of {string.Join(", ", SettingNames)}."),
            };
        }

        return Checked(layoutGiven || result.ZarrVersion != 3 ? result : result with { Layout = OmeZarrLayout.Hcs });
    }

    /// <summary>
    /// Checks the settings that depend on each other: a shard needs Zarr v3 and must be a whole number of chunks.
    /// </summary>
    /// <exception cref="OmeZarrOptionsException">They do not fit together.</exception>
    public static OmeZarrOptions Checked(OmeZarrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Shard is { } shard)
        {
            if (options.ZarrVersion != 3)
            {
                throw new OmeZarrOptionsException("shard", $"ome-zarr setting 'shard' ({shard}) needs zarr_version 3; Zarr v2 has no shards.");
            }

            var inner = options.EffectiveV3Chunks;
            if (shard.Z % inner.Z != 0 || shard.Y % inner.Y != 0 || shard.X % inner.X != 0)
            {
                throw new OmeZarrOptionsException("shard", $"ome-zarr setting 'shard' is {shard}; it must be a whole number of chunks ({inner}) along Z, Y and X.");
            }
        }

        return options;
    }

    /// <summary>The settings that reproduce these options (for <see cref="DataSourceOptions.Settings"/>).</summary>
    public IReadOnlyDictionary<string, string> ToSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["compression"] = Compression.ToString().ToLowerInvariant(),
            ["levels"] = Levels.ToString(CultureInfo.InvariantCulture),
            ["layout"] = LayoutName(Layout),
            ["zarr_version"] = ZarrVersion.ToString(CultureInfo.InvariantCulture),
            ["threads"] = Threads.ToString(CultureInfo.InvariantCulture),
            ["write_threads"] = WriteThreads.ToString(CultureInfo.InvariantCulture),
            ["buffer_mb"] = BufferMegabytes.ToString(CultureInfo.InvariantCulture),
        };
        if (CompressionLevel is { } level)
        {
            settings["clevel"] = level.ToString(CultureInfo.InvariantCulture);
        }

        if (Chunks is { } chunks)
        {
            settings["chunks"] = chunks.ToString();
        }

        if (Shard is { } shard)
        {
            settings["shard"] = shard.ToString();
        }

        return settings;
    }

    private static OmeZarrCompression ParseCompression(string name, string value) => value.ToLowerInvariant() switch
    {
        "none" or "raw" => OmeZarrCompression.None,
        "lz4" or "blosc-lz4" or "blosc" => OmeZarrCompression.Lz4,
        "zstd" or "blosc-zstd" => OmeZarrCompression.Zstd,
        "gzip" => OmeZarrCompression.Gzip,
        _ => throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; expected none, lz4, zstd or gzip."),
    };

    /// <summary>The setting value of a layout: navigate, bioformats2raw or hcs.</summary>
    /// <param name="layout">The layout.</param>
    public static string LayoutName(OmeZarrLayout layout) => layout switch
    {
        OmeZarrLayout.Navigate => "navigate",
        OmeZarrLayout.Bioformats2Raw => "bioformats2raw",
        _ => "hcs",
    };

    private static OmeZarrLayout ParseLayout(string name, string value) => value.ToLowerInvariant() switch
    {
        "navigate" => OmeZarrLayout.Navigate,
        "bioformats2raw" or "bf2raw" => OmeZarrLayout.Bioformats2Raw,
        "hcs" or "plate" => OmeZarrLayout.Hcs,
        _ => throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; expected navigate, bioformats2raw or hcs."),
    };

    private static int ParseZarrVersion(string name, string value) => value switch
    {
        "2" => 2,
        "3" => 3,
        _ => throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; expected 2 (OME-NGFF 0.4) or 3 (OME-NGFF 0.5, sharded)."),
    };

    private static int ParseInt(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; expected a whole number from {min} to {max}.");
        }

        return number;
    }

    private static ChunkShape ParseChunks(string name, string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[3];
        if (parts.Length != 3)
        {
            throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; expected three sizes Z,Y,X such as 1,512,512.");
        }

        for (var i = 0; i < 3; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                throw new OmeZarrOptionsException(name, $"ome-zarr setting '{name}' is '{value}'; its {"ZYX"[i]} size '{parts[i]}' is not a whole number of at least 1 (expected Z,Y,X such as 1,512,512).");
            }
        }

        return new ChunkShape(sizes[0], sizes[1], sizes[2]);
    }
}

/// <summary>A chunk size along z, y and x (the last three array axes).</summary>
/// <param name="Z">Planes per chunk.</param>
/// <param name="Y">Rows per chunk.</param>
/// <param name="X">Columns per chunk.</param>
public readonly record struct ChunkShape(int Z, int Y, int X)
{
    /// <summary><c>"Z,Y,X"</c>, the form the <c>chunks</c> setting takes.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Z},{Y},{X}");
}
