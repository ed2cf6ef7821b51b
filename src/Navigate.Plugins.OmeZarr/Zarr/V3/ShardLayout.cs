using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// <c>sharding_indexed</c> bound to a shard shape: splits a shard (C order, little endian) into inner chunks, encodes
/// each with the inner pipeline, and writes the index; decoding checks every index entry against the shard's bytes
/// before it is used.
/// </summary>
internal sealed class ShardLayout
{
    /// <summary>Both index values of an inner chunk that is not stored.</summary>
    public const ulong Missing = ulong.MaxValue;

    private readonly int[] _shardShape;
    private readonly long[] _shardExtent; // the shard shape as the region the inner chunks are copied from and into
    private readonly int[] _innerShape;
    private readonly int[] _grid;
    private readonly int _itemSize;
    private readonly CodecChain _inner;
    private readonly CodecChain _index;
    private readonly byte[] _fillElement;
    private readonly bool _fillIsZero;
    private readonly byte[]? _fillChunk;
    private readonly bool _innerIsContiguous;

    private ShardLayout(ShardingCodec codec, int[] shardShape, int[] innerShape, int[] grid, int itemSize, CodecChain inner, CodecChain index, byte[] fillElement, int indexLength)
    {
        Codec = codec;
        _shardShape = shardShape;
        _shardExtent = Array.ConvertAll(shardShape, s => (long)s);
        _innerShape = innerShape;
        _grid = grid;
        _itemSize = itemSize;
        _inner = inner;
        _index = index;
        _fillElement = fillElement;
        _fillIsZero = !fillElement.AsSpan().ContainsAnyExcept((byte)0);
        if (!_fillIsZero)
        {
            _fillChunk = new byte[inner.DecodedLength];
            FillWith(_fillChunk, fillElement);
        }

        InnerCount = grid.Aggregate(1L, (a, g) => a * g);
        IndexEncodedLength = indexLength;
        MaxEncodedLength = IndexEncodedLength + (InnerCount * inner.MaxEncodedLength);

        // An inner chunk is one contiguous run of the shard when, past its first axis wider than 1, it spans the shard.
        int first = Array.FindIndex(innerShape, s => s > 1);
        _innerIsContiguous = first < 0 || Enumerable.Range(first + 1, innerShape.Length - first - 1).All(d => innerShape[d] == shardShape[d]);
    }

    /// <summary>The codec description.</summary>
    public ShardingCodec Codec { get; }

    /// <summary>The number of inner chunks per shard.</summary>
    public long InnerCount { get; }

    /// <summary>The encoded index's length (fixed).</summary>
    public int IndexEncodedLength { get; }

    /// <summary>An upper bound on one encoded shard.</summary>
    public long MaxEncodedLength { get; }

    /// <summary>The inner chunk shape.</summary>
    public IReadOnlyList<int> InnerShape => _innerShape;

    public static ShardLayout Bind(ShardingCodec codec, int[] shardShape, int itemSize, ReadOnlySpan<byte> fillElement, string? key)
    {
        int[] inner = [.. codec.ChunkShape];
        if (inner.Length != shardShape.Length)
        {
            throw new ZarrCodecException(
                $"Codec 'sharding_indexed' in '{key}': \"chunk_shape\" has {inner.Length} dimensions but the shard [{string.Join(", ", shardShape)}] has {shardShape.Length}.", key);
        }

        int[] grid = new int[inner.Length];
        for (int d = 0; d < inner.Length; d++)
        {
            if (inner[d] < 1 || shardShape[d] % inner[d] != 0)
            {
                throw new ZarrCodecException(
                    $"Codec 'sharding_indexed' in '{key}': inner \"chunk_shape\" [{string.Join(", ", inner)}] must divide the shard shape [{string.Join(", ", shardShape)}] (dimension {d}).", key);
            }

            grid[d] = shardShape[d] / inner[d];
        }

        CodecChain innerChain = CodecChain.Bind(codec.Codecs, inner, itemSize, fillElement, key);
        long count = grid.Aggregate(1L, (a, g) => a * g);
        if (count * 16 > ZarrArrayMetadata.MaxChunkBytes)
        {
            throw new ZarrCodecException($"Codec 'sharding_indexed' in '{key}': {count} inner chunks per shard is too many for one index.", key);
        }

        CodecChain indexChain = CodecChain.Bind(codec.EffectiveIndexCodecs, [.. grid, 2], sizeof(ulong), new byte[sizeof(ulong)], key);
        int indexLength = indexChain.FixedEncodedLength();
        if (indexLength < 0)
        {
            throw new ZarrCodecException(
                $"Codec 'sharding_indexed' in '{key}': \"index_codecs\" [{string.Join(", ", codec.EffectiveIndexCodecs.Select(c => c.Name))}] must give a fixed-size index: only bytes and crc32c are supported.", key);
        }

        return new ShardLayout(codec, shardShape, inner, grid, itemSize, innerChain, indexChain, fillElement.ToArray(), indexLength);
    }

    /// <summary>Encodes a shard; inner chunks holding only the fill value are left out and marked missing.</summary>
    public int Encode(ReadOnlySpan<byte> shard, Span<byte> destination, string? key)
    {
        int indexBytes = checked((int)InnerCount * 16);
        byte[] index = ArrayPool<byte>.Shared.Rent(indexBytes);
        byte[]? innerBuffer = _innerIsContiguous ? null : ArrayPool<byte>.Shared.Rent(_inner.DecodedLength);
        try
        {
            int position = Codec.IndexLocation == ShardIndexLocation.Start ? IndexEncodedLength : 0;
            Span<long> innerIndex = stackalloc long[_grid.Length];
            Span<long> origin = stackalloc long[_grid.Length];
            ReadOnlySpan<long> shape = _shardExtent;

            for (long n = 0; n < InnerCount; n++)
            {
                ReadOnlySpan<byte> chunk;
                if (innerBuffer is null)
                {
                    chunk = shard.Slice(ContiguousOffset(innerIndex), _inner.DecodedLength);
                }
                else
                {
                    Span<byte> buffer = innerBuffer.AsSpan(0, _inner.DecodedLength);
                    RegionCopy.RegionToChunk(shard, origin, shape, buffer, innerIndex, _innerShape, _itemSize);
                    chunk = buffer;
                }

                Span<byte> entry = index.AsSpan((int)n * 16, 16);
                if (IsFill(chunk))
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(entry, Missing);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], Missing);
                }
                else
                {
                    int length = _inner.Encode(chunk, destination[position..], key);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry, (ulong)position);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)length);
                    position += length;
                }

                Next(innerIndex);
            }

            int indexAt = Codec.IndexLocation == ShardIndexLocation.Start ? 0 : position;
            _index.Encode(index.AsSpan(0, indexBytes), destination[indexAt..], key);
            return Codec.IndexLocation == ShardIndexLocation.Start ? position : position + IndexEncodedLength;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(index);
            if (innerBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(innerBuffer);
            }
        }
    }

    /// <summary>Bytes of one decoded inner chunk: the input of <see cref="EncodeInner"/>.</summary>
    public int InnerDecodedLength => _inner.DecodedLength;

    /// <summary>An upper bound on one encoded inner chunk: the scratch size for <see cref="EncodeInner"/>.</summary>
    public int InnerMaxEncodedLength => _inner.MaxEncodedLength;

    /// <summary>The inner chunk grid of one shard, per dimension.</summary>
    public IReadOnlyList<int> InnerGrid => _grid;

    /// <summary>True when the index goes before the inner chunks.</summary>
    public bool IndexAtStart => Codec.IndexLocation == ShardIndexLocation.Start;

    /// <summary>
    /// Encodes one inner chunk (C order, the inner chunk shape) for a shard that is packed as its inner chunks
    /// arrive; returns -1, writing nothing, when it holds only the fill value (it is then left out of the shard).
    /// </summary>
    public int EncodeInner(ReadOnlySpan<byte> chunk, Span<byte> destination, string? key) =>
        IsFill(chunk) ? -1 : _inner.Encode(chunk, destination, key);

    /// <summary>
    /// Encodes the index of a shard packed out of order: <paramref name="entries"/> holds, per inner chunk in C order,
    /// (offset, nbytes) as little-endian uint64 (<see cref="Missing"/> twice for one not stored); the encoded index
    /// (<see cref="IndexEncodedLength"/> bytes) goes to <paramref name="destination"/>.
    /// </summary>
    public void EncodeIndex(ReadOnlySpan<byte> entries, Span<byte> destination, string? key)
    {
        if (entries.Length != InnerCount * 16)
        {
            throw new ArgumentException($"A shard index of {InnerCount} inner chunks is {InnerCount * 16} bytes; got {entries.Length}.", nameof(entries));
        }

        _index.Encode(entries, destination, key);
    }

    /// <summary>Decodes a whole shard into <paramref name="destination"/> (the shard's decoded bytes).</summary>
    public void Decode(ReadOnlySpan<byte> shard, Span<byte> destination, string? key)
    {
        ThrowIfShorterThanIndex(shard, key);

        int indexBytes = checked((int)InnerCount * 16);
        byte[] index = ArrayPool<byte>.Shared.Rent(indexBytes);
        byte[]? innerBuffer = _innerIsContiguous ? null : ArrayPool<byte>.Shared.Rent(_inner.DecodedLength);
        try
        {
            bool atStart = Codec.IndexLocation == ShardIndexLocation.Start;
            ReadOnlySpan<byte> indexSource = atStart ? shard[..IndexEncodedLength] : shard[^IndexEncodedLength..];
            _index.Decode(indexSource, index.AsSpan(0, indexBytes), key);
            long dataStart = atStart ? IndexEncodedLength : 0;
            long dataEnd = atStart ? shard.Length : shard.Length - IndexEncodedLength;

            Span<long> innerIndex = stackalloc long[_grid.Length];
            Span<long> origin = stackalloc long[_grid.Length];
            ReadOnlySpan<long> shape = _shardExtent;

            for (long n = 0; n < InnerCount; n++)
            {
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan((int)n * 16));
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(((int)n * 16) + 8));
                Span<byte> target = innerBuffer is null
                    ? destination.Slice(ContiguousOffset(innerIndex), _inner.DecodedLength)
                    : innerBuffer.AsSpan(0, _inner.DecodedLength);
                if (offset == Missing && length == Missing)
                {
                    Fill(target);
                }
                else if (offset < (ulong)dataStart || offset > (ulong)dataEnd || length > (ulong)dataEnd - offset)
                {
                    throw new ZarrCodecException(
                        $"Shard '{key}': inner chunk [{string.Join(", ", innerIndex.ToArray())}] has index entry offset {offset}, nbytes {length}, "
                        + $"which lies outside the shard's chunk bytes [{dataStart}, {dataEnd}) (shard of {shard.Length} bytes, index at the {Location}).", key);
                }
                else
                {
                    _inner.Decode(shard.Slice((int)offset, (int)length), target, key);
                }

                if (innerBuffer is not null)
                {
                    RegionCopy.ChunkToRegion(target, innerIndex, _innerShape, destination, origin, shape, _itemSize);
                }

                Next(innerIndex);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(index);
            if (innerBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(innerBuffer);
            }
        }
    }

    /// <summary>
    /// Decodes only the inner chunks of a shard that meet a region and copies their part of it into
    /// <paramref name="region"/> (C order, the region's shape); inner chunks not stored give the fill value. Reading
    /// one plane of a 32-plane shard decodes one inner chunk's worth instead of the whole shard.
    /// </summary>
    public void DecodeRegion(ReadOnlySpan<byte> shard, ReadOnlySpan<long> shardIndex, Span<byte> region, ReadOnlySpan<long> start, ReadOnlySpan<long> shape, string? key)
    {
        ThrowIfShorterThanIndex(shard, key);

        int rank = _grid.Length;
        int indexBytes = checked((int)InnerCount * 16);
        byte[] index = ArrayPool<byte>.Shared.Rent(indexBytes);
        byte[] inner = ArrayPool<byte>.Shared.Rent(_inner.DecodedLength);
        try
        {
            bool atStart = Codec.IndexLocation == ShardIndexLocation.Start;
            _index.Decode(atStart ? shard[..IndexEncodedLength] : shard[^IndexEncodedLength..], index.AsSpan(0, indexBytes), key);
            long dataStart = atStart ? IndexEncodedLength : 0;
            long dataEnd = atStart ? shard.Length : shard.Length - IndexEncodedLength;

            // The inner chunks of this shard that the region meets, in global inner-chunk coordinates.
            Span<long> first = stackalloc long[rank];
            Span<long> last = stackalloc long[rank];
            Span<long> global = stackalloc long[rank];
            for (int d = 0; d < rank; d++)
            {
                long shardFirst = shardIndex[d] * _grid[d];
                first[d] = Math.Max(shardFirst, start[d] / _innerShape[d]);
                last[d] = Math.Min(shardFirst + _grid[d] - 1, (start[d] + shape[d] - 1) / _innerShape[d]);
                if (first[d] > last[d])
                {
                    return;
                }
            }

            first.CopyTo(global);
            Span<byte> target = inner.AsSpan(0, _inner.DecodedLength);
            while (true)
            {
                long n = 0;
                for (int d = 0; d < rank; d++)
                {
                    n = (n * _grid[d]) + (global[d] - (shardIndex[d] * _grid[d]));
                }

                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan((int)n * 16));
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(index.AsSpan(((int)n * 16) + 8));
                if (offset == Missing && length == Missing)
                {
                    Fill(target);
                }
                else if (offset < (ulong)dataStart || offset > (ulong)dataEnd || length > (ulong)dataEnd - offset)
                {
                    long[] local = new long[rank];
                    for (int d = 0; d < rank; d++)
                    {
                        local[d] = global[d] - (shardIndex[d] * _grid[d]);
                    }

                    throw new ZarrCodecException(
                        $"Shard '{key}': inner chunk [{string.Join(", ", local)}] has index entry offset {offset}, nbytes {length}, "
                        + $"which lies outside the shard's chunk bytes [{dataStart}, {dataEnd}) (shard of {shard.Length} bytes, index at the {Location}).", key);
                }
                else
                {
                    _inner.Decode(shard.Slice((int)offset, (int)length), target, key);
                }

                RegionCopy.ChunkToRegion(target, global, _innerShape, region, start, shape, _itemSize);

                int dim = rank - 1;
                for (; dim >= 0; dim--)
                {
                    if (++global[dim] <= last[dim])
                    {
                        break;
                    }

                    global[dim] = first[dim];
                }

                if (dim < 0)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(index);
            ArrayPool<byte>.Shared.Return(inner);
        }
    }

    private string Location => Codec.IndexLocation == ShardIndexLocation.Start ? "start" : "end";

    private void ThrowIfShorterThanIndex(ReadOnlySpan<byte> shard, string? key)
    {
        if (shard.Length < IndexEncodedLength)
        {
            throw new ZarrCodecException(
                $"Shard '{key}' is {shard.Length} bytes; its index alone ({InnerCount} inner chunks, index at the {Location}) needs {IndexEncodedLength} bytes: the shard is truncated.", key);
        }
    }

    private int ContiguousOffset(ReadOnlySpan<long> innerIndex)
    {
        long offset = 0;
        long stride = _itemSize;
        for (int d = _shardShape.Length - 1; d >= 0; d--)
        {
            offset += innerIndex[d] * _innerShape[d] * stride;
            stride *= _shardShape[d];
        }

        return (int)offset;
    }

    private void Next(Span<long> innerIndex)
    {
        for (int d = innerIndex.Length - 1; d >= 0; d--)
        {
            if (++innerIndex[d] < _grid[d])
            {
                return;
            }

            innerIndex[d] = 0;
        }
    }

    private bool IsFill(ReadOnlySpan<byte> chunk) =>
        _fillIsZero ? !chunk.ContainsAnyExcept((byte)0) : chunk.SequenceEqual(_fillChunk);

    private void Fill(Span<byte> target)
    {
        if (_fillIsZero)
        {
            target.Clear();
        }
        else
        {
            _fillChunk.AsSpan(0, target.Length).CopyTo(target);
        }
    }

    private static void FillWith(Span<byte> target, ReadOnlySpan<byte> element)
    {
        for (int i = 0; i + element.Length <= target.Length; i += element.Length)
        {
            element.CopyTo(target[i..]);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"shard [{string.Join(", ", _shardShape)}] of [{string.Join(", ", _innerShape)}]");
}
