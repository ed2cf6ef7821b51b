namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Where a shard keeps its index of inner chunks.</summary>
public enum ShardIndexLocation
{
    /// <summary>After the inner chunks (the default; what acquire-zarr and zarr-python write).</summary>
    End,

    /// <summary>Before the inner chunks.</summary>
    Start,
}

/// <summary>
/// One step of a Zarr v3 array's codec pipeline (<c>"codecs"</c> in <c>zarr.json</c>): array-to-array
/// (<see cref="TransposeCodec"/>), array-to-bytes (<see cref="BytesCodec"/>, <see cref="ShardingCodec"/>) or
/// bytes-to-bytes (<see cref="CompressionCodec"/>: blosc, zstd, gzip, crc32c). A description only: the array binds it
/// to its chunk shape and data type.
/// </summary>
public abstract record ZarrV3Codec
{
    private protected ZarrV3Codec()
    {
    }

    /// <summary>The codec's v3 name (<c>"bytes"</c>, <c>"sharding_indexed"</c>, <c>"blosc"</c>...).</summary>
    public abstract string Name { get; }

    /// <summary>The default pipeline of a v3 array: <c>bytes</c> little endian.</summary>
    public static IReadOnlyList<ZarrV3Codec> Default { get; } = [BytesCodec.Little];

    /// <summary>A pipeline of <c>bytes</c> (little endian) followed by <paramref name="compressor"/>.</summary>
    /// <param name="compressor">A bytes-to-bytes codec (blosc, zstd, gzip, crc32c).</param>
    public static IReadOnlyList<ZarrV3Codec> Compressed(IZarrCodec compressor) => [BytesCodec.Little, new CompressionCodec(compressor)];
}

/// <summary>v3 <c>transpose</c>: stores the chunk's elements with its axes permuted (stored axis i = chunk axis <c>Order[i]</c>).</summary>
/// <param name="Order">A permutation of 0..rank-1.</param>
public sealed record TransposeCodec(IReadOnlyList<int> Order) : ZarrV3Codec
{
    /// <summary>The v3 name.</summary>
    public const string CodecName = "transpose";

    /// <inheritdoc />
    public override string Name => CodecName;
}

/// <summary>v3 <c>bytes</c>: elements as raw bytes in the given byte order (C order).</summary>
/// <param name="Endian">Little or big endian (ignored for 1-byte types).</param>
public sealed record BytesCodec(ZarrByteOrder Endian) : ZarrV3Codec
{
    /// <summary>The v3 name.</summary>
    public const string CodecName = "bytes";

    /// <summary>Little endian.</summary>
    public static BytesCodec Little { get; } = new(ZarrByteOrder.LittleEndian);

    /// <inheritdoc />
    public override string Name => CodecName;
}

/// <summary>A bytes-to-bytes step: blosc, zstd, gzip or crc32c (any <see cref="IZarrCodec"/> with a v3 form).</summary>
/// <param name="Codec">The codec.</param>
public sealed record CompressionCodec(IZarrCodec Codec) : ZarrV3Codec
{
    /// <inheritdoc />
    public override string Name => Codec.Id;
}

/// <summary>
/// v3 <c>sharding_indexed</c>: the array's chunk (a shard) holds a grid of inner chunks, each encoded with
/// <see cref="Codecs"/>, and an index of (offset, nbytes) uint64 pairs in C order encoded with
/// <see cref="IndexCodecs"/>; inner chunks that hold only the fill value are not stored (both index values 2^64-1).
/// </summary>
/// <param name="ChunkShape">The inner chunk shape; it must divide the shard shape.</param>
/// <param name="Codecs">The inner chunks' pipeline.</param>
/// <param name="IndexCodecs">The index pipeline (only <c>bytes</c> and <c>crc32c</c>: the index has a fixed size); null for bytes + crc32c.</param>
/// <param name="IndexLocation">Index at the end (default) or the start of the shard.</param>
public sealed record ShardingCodec(
    IReadOnlyList<int> ChunkShape,
    IReadOnlyList<ZarrV3Codec> Codecs,
    IReadOnlyList<ZarrV3Codec>? IndexCodecs = null,
    ShardIndexLocation IndexLocation = ShardIndexLocation.End) : ZarrV3Codec
{
    /// <summary>The v3 name.</summary>
    public const string CodecName = "sharding_indexed";

    /// <summary>The recommended index pipeline: <c>bytes</c> little endian, then <c>crc32c</c>.</summary>
    public static IReadOnlyList<ZarrV3Codec> DefaultIndexCodecs { get; } = [BytesCodec.Little, new CompressionCodec(Crc32cCodec.Instance)];

    /// <summary>The index pipeline in effect.</summary>
    public IReadOnlyList<ZarrV3Codec> EffectiveIndexCodecs => IndexCodecs ?? DefaultIndexCodecs;

    /// <inheritdoc />
    public override string Name => CodecName;
}
