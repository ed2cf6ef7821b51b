namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>The memory layout of a chunk's elements.</summary>
public enum ZarrOrder
{
    /// <summary>Row-major: the last dimension varies fastest (read and written).</summary>
    C,

    /// <summary>Column-major: the first dimension varies fastest (read only).</summary>
    F,
}

/// <summary>How chunk coordinates become store keys.</summary>
public enum ZarrChunkKeyEncoding
{
    /// <summary>Indices joined by the separator (<c>"0.1.2"</c>): Zarr v2, and v3's <c>"v2"</c> encoding.</summary>
    V2,

    /// <summary>v3's <c>"default"</c>: <c>"c"</c>, then the indices, all joined by the separator (<c>"c/0/1/2"</c>).</summary>
    Default,
}

/// <summary>
/// An array's <c>.zarray</c> (v2) or <c>zarr.json</c> (v3) document: shape, chunk shape, dtype, compressor, fill value, order, filters and the chunk
/// key separator. Create one to make an array; <see cref="ZarrArray.Open(IZarrStore, string, ZarrCodecRegistry?)"/> reads one.
/// </summary>
public sealed record ZarrArrayMetadata
{
    /// <summary>The largest chunk the engine holds in memory: 2 GiB minus a margin, a .NET array limit.</summary>
    public const int MaxChunkBytes = int.MaxValue - 4096;

    private readonly long[] _shape = [];
    private readonly int[] _chunks = [];
    private readonly IZarrCodec[] _filters = [];
    private readonly ZarrV3Codec[] _codecs = [];
    private char? _separator;
    private ZarrChunkKeyEncoding? _keyEncoding;

    /// <summary>2 (<c>.zarray</c>, the default) or 3 (<c>zarr.json</c>, <see cref="Codecs"/>, sharding).</summary>
    public int ZarrFormat { get; init; } = 2;

    /// <summary>
    /// Zarr v3 only: the codec pipeline, e.g. <c>[bytes, blosc]</c> or <c>[sharding_indexed]</c>; empty means
    /// <see cref="ZarrV3Codec.Default"/> (bytes, little endian). <see cref="Compressor"/> and <see cref="Filters"/> must
    /// then be unset. For a sharded array <see cref="Chunks"/> is the shard shape.
    /// </summary>
    public IReadOnlyList<ZarrV3Codec> Codecs { get => _codecs; init => _codecs = [.. value]; }

    /// <summary>The codecs in effect for a v3 array (<see cref="ZarrV3Codec.Default"/> when <see cref="Codecs"/> is empty).</summary>
    public IReadOnlyList<ZarrV3Codec> EffectiveCodecs => _codecs.Length == 0 ? ZarrV3Codec.Default : _codecs;

    /// <summary>Zarr v3 only: axis names (<c>dimension_names</c>), or null.</summary>
    public IReadOnlyList<string?>? DimensionNames { get; init; }

    /// <summary>How chunk keys are formed; defaults to <see cref="ZarrChunkKeyEncoding.V2"/> for v2 and <see cref="ZarrChunkKeyEncoding.Default"/> for v3.</summary>
    public ZarrChunkKeyEncoding ChunkKeyEncoding
    {
        get => _keyEncoding ?? (ZarrFormat == 3 ? ZarrChunkKeyEncoding.Default : ZarrChunkKeyEncoding.V2);
        init => _keyEncoding = value;
    }

    /// <summary>The sharding codec when the v3 pipeline is <c>sharding_indexed</c>, else null.</summary>
    public ShardingCodec? Sharding => ZarrFormat == 3 ? EffectiveCodecs.OfType<ShardingCodec>().FirstOrDefault() : null;

    /// <summary>The array's size along each dimension (slowest first, e.g. T, C, Z, Y, X).</summary>
    public required IReadOnlyList<long> Shape { get => _shape; init => _shape = [.. value]; }

    /// <summary>The chunk size along each dimension; edge chunks are stored at this full size.</summary>
    public required IReadOnlyList<int> Chunks { get => _chunks; init => _chunks = [.. value]; }

    /// <summary>The element type.</summary>
    public required ZarrDataType DataType { get; init; }

    /// <summary>The compressor; null stores chunks raw.</summary>
    public IZarrCodec? Compressor { get; init; }

    /// <summary>Codecs applied before the compressor (numcodecs filters); usually none.</summary>
    public IReadOnlyList<IZarrCodec> Filters { get => _filters; init => _filters = [.. value]; }

    /// <summary>The value of never-written elements.</summary>
    public ZarrFillValue FillValue { get; init; } = ZarrFillValue.Zero;

    /// <summary>The element order inside a chunk (v2; v3 uses a <see cref="TransposeCodec"/>).</summary>
    public ZarrOrder Order { get; init; } = ZarrOrder.C;

    /// <summary>
    /// The chunk key separator: <c>'.'</c> (<c>"0.1.2"</c>) or <c>'/'</c> (<c>"0/1/2"</c>). Defaults to <c>'/'</c> for
    /// v3's default key encoding and <c>'.'</c> otherwise.
    /// </summary>
    public char DimensionSeparator
    {
        get => _separator ?? (ChunkKeyEncoding == ZarrChunkKeyEncoding.Default ? '/' : '.');
        init => _separator = value;
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Bytes of one (full-size) chunk.</summary>
    public int ChunkByteLength => (int)(ChunkElementCount * DataType.ItemSize);

    /// <summary>Elements in one (full-size) chunk.</summary>
    public long ChunkElementCount
    {
        get
        {
            long n = 1;
            foreach (int c in _chunks)
            {
                n *= c;
            }

            return n;
        }
    }

    /// <summary>The number of chunks along dimension <paramref name="dimension"/> (ceil(shape / chunk)).</summary>
    /// <param name="dimension">The dimension.</param>
    public long ChunkCount(int dimension) =>
        (_shape[dimension] / _chunks[dimension]) + (_shape[dimension] % _chunks[dimension] == 0 ? 0 : 1);

    /// <summary>The total number of chunks of the array.</summary>
    public long TotalChunkCount
    {
        get
        {
            long n = 1;
            for (int d = 0; d < Rank; d++)
            {
                n *= ChunkCount(d);
            }

            return n;
        }
    }

    /// <summary>
    /// Checks the document is consistent and within the engine's limits; throws <see cref="ZarrMetadataException"/>
    /// naming <paramref name="key"/> otherwise. Runs before anything is allocated from the declared sizes.
    /// </summary>
    /// <param name="key">The <c>.zarray</c> key, for messages.</param>
    public void Validate(string? key = null) => ZarrMetadataJson.ValidateArray(this, key);
}
