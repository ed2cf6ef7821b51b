namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>The memory layout of a chunk's elements.</summary>
public enum ZarrOrder
{
    /// <summary>Row-major: the last dimension varies fastest (read and written).</summary>
    C,

    /// <summary>Column-major: the first dimension varies fastest (read only).</summary>
    F,
}

/// <summary>
/// An array's <c>.zarray</c> document: shape, chunk shape, dtype, compressor, fill value, order, filters and the chunk
/// key separator. Create one to make an array; <see cref="ZarrArray.Open(IZarrStore, string, ZarrCodecRegistry?)"/> reads one.
/// </summary>
public sealed record ZarrArrayMetadata
{
    /// <summary>The largest chunk the engine holds in memory: 2 GiB minus a margin, a .NET array limit.</summary>
    public const int MaxChunkBytes = int.MaxValue - 4096;

    private readonly long[] _shape = [];
    private readonly int[] _chunks = [];
    private readonly IZarrCodec[] _filters = [];

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

    /// <summary>The element order inside a chunk.</summary>
    public ZarrOrder Order { get; init; } = ZarrOrder.C;

    /// <summary>The chunk key separator: <c>'.'</c> (<c>"0.1.2"</c>) or <c>'/'</c> (<c>"0/1/2"</c>).</summary>
    public char DimensionSeparator { get; init; } = '.';

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
