using System.Buffers;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A Zarr v3 codec pipeline bound to a chunk shape and element size: encodes a chunk (C order, little endian, as the
/// caller holds it) into stored bytes and back. Immutable and thread-safe; every intermediate buffer is pooled.
/// </summary>
internal sealed class CodecChain
{
    private readonly int _itemSize;
    private readonly int[][] _transposeOrders;
    private readonly int[][] _transposeInputShapes;
    private readonly int[] _storedShape;
    private readonly bool _swapBytes;
    private readonly ShardLayout? _shard;
    private readonly IZarrCodec[] _compressors;
    private readonly int[] _compressorDecodedLengths;

    private CodecChain(int[] shape, int itemSize, int decodedLength)
    {
        Shape = shape;
        _itemSize = itemSize;
        DecodedLength = decodedLength;
        _transposeOrders = [];
        _transposeInputShapes = [];
        _storedShape = shape;
        _compressors = [];
        _compressorDecodedLengths = [];
    }

    private CodecChain(int[] shape, int itemSize, int decodedLength, int[][] orders, int[][] inputShapes, int[] storedShape, bool swap, ShardLayout? shard, IZarrCodec[] compressors, int[] compressorDecodedLengths, int maxEncoded)
        : this(shape, itemSize, decodedLength)
    {
        _transposeOrders = orders;
        _transposeInputShapes = inputShapes;
        _storedShape = storedShape;
        _swapBytes = swap;
        _shard = shard;
        _compressors = compressors;
        _compressorDecodedLengths = compressorDecodedLengths;
        MaxEncodedLength = maxEncoded;
    }

    /// <summary>The chunk shape the chain encodes.</summary>
    public int[] Shape { get; }

    /// <summary>Bytes of one decoded chunk.</summary>
    public int DecodedLength { get; }

    /// <summary>
    /// The sharding layout when the chain is exactly <c>sharding_indexed</c> (no transpose before it, no checksum
    /// after it), so stored bytes are the shard itself and a region can be read inner chunk by inner chunk; else null.
    /// </summary>
    public ShardLayout? DirectShard => _transposeOrders.Length == 0 && _compressors.Length == 0 ? _shard : null;

    /// <summary>An upper bound on one encoded chunk.</summary>
    public int MaxEncodedLength { get; }

    /// <summary>True when the chain is only <c>bytes</c> little endian: a chunk's stored bytes are its decoded bytes.</summary>
    public bool IsIdentity => _shard is null && !_swapBytes && _transposeOrders.Length == 0 && _compressors.Length == 0;

    /// <summary>The sharding layout when the array-to-bytes codec is <c>sharding_indexed</c>.</summary>
    public ShardLayout? Shard => _shard;

    /// <summary>
    /// Checks a pipeline and binds it to a chunk shape; <see cref="ZarrCodecException"/> naming <paramref name="key"/>
    /// when the codecs are out of order, misconfigured or not supported in this combination.
    /// </summary>
    public static CodecChain Bind(IReadOnlyList<ZarrV3Codec> codecs, IReadOnlyList<int> chunkShape, int itemSize, ReadOnlySpan<byte> fillElement, string? key)
    {
        int[] shape = [.. chunkShape];
        long decoded = itemSize;
        foreach (int c in shape)
        {
            decoded *= c;
            if (decoded > ZarrArrayMetadata.MaxChunkBytes)
            {
                throw new ZarrCodecException($"'{key}': a chunk of [{string.Join(", ", shape)}] × {itemSize} bytes exceeds {ZarrArrayMetadata.MaxChunkBytes} bytes.", key);
            }
        }

        var orders = new List<int[]>();
        var inputShapes = new List<int[]>();
        int[] current = shape;
        int i = 0;
        for (; i < codecs.Count && codecs[i] is TransposeCodec t; i++)
        {
            int[] order = [.. t.Order];
            if (order.Length != current.Length || order.Order().Where((v, k) => v != k).Any())
            {
                throw new ZarrCodecException(
                    $"Codec 'transpose' in '{key}': \"order\" [{string.Join(", ", order)}] must be a permutation of 0..{current.Length - 1}.", key);
            }

            orders.Add(order);
            inputShapes.Add(current);
            current = [.. order.Select(o => current[o])];
        }

        if (i >= codecs.Count || codecs[i] is not (BytesCodec or ShardingCodec))
        {
            string found = i < codecs.Count ? $"'{codecs[i].Name}'" : "the end of the list";
            throw new ZarrCodecException(
                $"'{key}': \"codecs\" must have exactly one array-to-bytes codec (bytes or sharding_indexed) after any transpose, found {found} at position {i}.", key);
        }

        bool swap = false;
        ShardLayout? shard = null;
        long max;
        long a2bLength;
        if (codecs[i] is BytesCodec bytes)
        {
            swap = bytes.Endian == ZarrByteOrder.BigEndian && itemSize > 1;
            max = decoded;
            a2bLength = decoded;
        }
        else
        {
            shard = ShardLayout.Bind((ShardingCodec)codecs[i], current, itemSize, fillElement, key);
            max = shard.MaxEncodedLength;
            a2bLength = -1;
        }

        var compressors = new List<IZarrCodec>();
        var decodedLengths = new List<int>();
        for (i++; i < codecs.Count; i++)
        {
            if (codecs[i] is not CompressionCodec { Codec: var codec })
            {
                throw new ZarrCodecException(
                    $"'{key}': codec '{codecs[i].Name}' at position {i} comes after the array-to-bytes codec; only bytes-to-bytes codecs (blosc, zstd, gzip, crc32c) may follow it.", key);
            }

            if (codec is not Crc32cCodec && a2bLength < 0)
            {
                throw new ZarrCodecException(
                    $"'{key}': codec '{codec.Id}' at position {i} follows a codec whose output length varies (sharding_indexed or a compressor); "
                    + "this engine supports only crc32c there (compress the inner chunks instead).", key);
            }

            decodedLengths.Add((int)Math.Max(a2bLength, 0));
            compressors.Add(codec);
            max = codec.GetMaxEncodedLength((int)Math.Min(max, int.MaxValue - 64));
            a2bLength = codec is Crc32cCodec && a2bLength >= 0 ? a2bLength + Crc32cCodec.ChecksumLength : -1;
        }

        if (max > ZarrArrayMetadata.MaxChunkBytes)
        {
            throw new ZarrCodecException($"'{key}': an encoded chunk may reach {max} bytes; at most {ZarrArrayMetadata.MaxChunkBytes} are supported (use smaller shards).", key);
        }

        return new CodecChain(shape, itemSize, (int)decoded, [.. orders], [.. inputShapes], current, swap, shard, [.. compressors], [.. decodedLengths], (int)max);
    }

    /// <summary>The encoded length when it is the same for every chunk (bytes and crc32c only), else -1.</summary>
    public int FixedEncodedLength()
    {
        if (_shard is not null || _compressors.Any(c => c is not Crc32cCodec))
        {
            return -1;
        }

        return DecodedLength + (_compressors.Length * Crc32cCodec.ChecksumLength);
    }

    /// <summary>Encodes one chunk into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/>) and returns the length.</summary>
    public int Encode(ReadOnlySpan<byte> chunk, Span<byte> destination, string? key)
    {
        byte[]? previous = null;
        try
        {
            ReadOnlySpan<byte> current = chunk;
            for (int t = 0; t < _transposeOrders.Length; t++)
            {
                byte[] next = ArrayPool<byte>.Shared.Rent(DecodedLength);
                Transpose(current, next.AsSpan(0, DecodedLength), _transposeInputShapes[t], _transposeOrders[t], _itemSize);
                Return(previous);
                previous = next;
                current = next.AsSpan(0, DecodedLength);
            }

            // The array-to-bytes step; little-endian bytes need no copy when a compressor follows.
            if (_shard is null && !_swapBytes && _compressors.Length > 0)
            {
                // current stays as is
            }
            else
            {
                byte[]? next = null;
                Span<byte> target = destination;
                if (_compressors.Length > 0)
                {
                    next = ArrayPool<byte>.Shared.Rent((int)(_shard?.MaxEncodedLength ?? DecodedLength));
                    target = next;
                }

                int n;
                if (_shard is not null)
                {
                    n = _shard.Encode(current, target, key);
                }
                else
                {
                    CheckDestination(target, current.Length);
                    if (_swapBytes)
                    {
                        ChunkLayout.SwapBytes(current, target[..current.Length], _itemSize);
                    }
                    else
                    {
                        current.CopyTo(target);
                    }

                    n = current.Length;
                }

                if (next is null)
                {
                    return n;
                }

                Return(previous);
                previous = next;
                current = next.AsSpan(0, n);
            }

            var context = new ZarrCodecContext(_itemSize, key);
            for (int c = 0; c < _compressors.Length; c++)
            {
                if (c == _compressors.Length - 1)
                {
                    return _compressors[c].Encode(current, destination, context);
                }

                byte[] next = ArrayPool<byte>.Shared.Rent(_compressors[c].GetMaxEncodedLength(current.Length));
                int n = _compressors[c].Encode(current, next, context);
                Return(previous);
                previous = next;
                current = next.AsSpan(0, n);
            }

            return current.Length; // unreachable: the loop returns on its last codec
        }
        finally
        {
            Return(previous);
        }
    }

    /// <summary>Decodes stored bytes into <paramref name="destination"/> (exactly <see cref="DecodedLength"/> bytes).</summary>
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, string? key)
    {
        byte[]? previous = null;
        byte[]? stage = null;
        try
        {
            var context = new ZarrCodecContext(_itemSize, key);
            ReadOnlySpan<byte> current = source;
            bool bytesStepIsCopy = _shard is null && !_swapBytes && _transposeOrders.Length == 0;
            for (int c = _compressors.Length - 1; c >= 0; c--)
            {
                int length = _compressors[c] is Crc32cCodec ? current.Length - Crc32cCodec.ChecksumLength : _compressorDecodedLengths[c];
                if (length < 0)
                {
                    throw new ZarrCodecException($"crc32c in '{key}': {current.Length} bytes cannot hold a 4-byte checksum.", key);
                }

                byte[]? next = null;
                Span<byte> target;
                if (c == 0 && bytesStepIsCopy && length == DecodedLength)
                {
                    target = destination;
                }
                else
                {
                    next = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
                    target = next.AsSpan(0, length);
                }

                try
                {
                    _compressors[c].Decode(current, target, context);
                }
                catch
                {
                    Return(next);
                    throw;
                }

                Return(previous);
                previous = next;
                current = target;
            }

            Span<byte> arrayTarget = destination;
            if (_transposeOrders.Length > 0)
            {
                stage = ArrayPool<byte>.Shared.Rent(DecodedLength);
                arrayTarget = stage.AsSpan(0, DecodedLength);
            }

            if (_shard is not null)
            {
                _shard.Decode(current, arrayTarget, key);
            }
            else
            {
                if (current.Length != DecodedLength)
                {
                    throw new ZarrChunkException(
                        $"Chunk '{key}' decodes to {current.Length} bytes; a chunk of shape [{string.Join(", ", _storedShape)}] with {_itemSize}-byte elements must be {DecodedLength} bytes.", key);
                }

                if (_swapBytes)
                {
                    ChunkLayout.SwapBytes(current, arrayTarget, _itemSize);
                }
                else if (!current.Overlaps(arrayTarget))
                {
                    current.CopyTo(arrayTarget);
                }
            }

            if (_transposeOrders.Length > 0)
            {
                // Undo the transposes last to first: each inverse permutation maps the stored axes back.
                byte[] other = ArrayPool<byte>.Shared.Rent(DecodedLength);
                try
                {
                    Span<byte> from = arrayTarget;
                    bool fromIsStage = true;
                    int[] fromShape = _storedShape;
                    Span<int> inverseBuffer = stackalloc int[_storedShape.Length];
                    for (int t = _transposeOrders.Length - 1; t >= 0; t--)
                    {
                        int[] order = _transposeOrders[t];
                        Span<int> inverse = inverseBuffer;
                        for (int k = 0; k < order.Length; k++)
                        {
                            inverse[order[k]] = k;
                        }

                        Span<byte> to = t == 0 ? destination : (fromIsStage ? other.AsSpan(0, DecodedLength) : stage!.AsSpan(0, DecodedLength));
                        Transpose(from, to, fromShape, inverse, _itemSize);
                        from = to;
                        fromIsStage = !fromIsStage;
                        fromShape = _transposeInputShapes[t];
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(other);
                }
            }
        }
        finally
        {
            Return(previous);
            Return(stage);
        }
    }

    /// <summary>
    /// Permutes a C-order array of <paramref name="shape"/>: output axis i is input axis <paramref name="order"/>[i].
    /// </summary>
    internal static void Transpose(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<int> shape, ReadOnlySpan<int> order, int itemSize)
    {
        int rank = shape.Length;
        Span<long> inputStride = stackalloc long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inputStride[d] = s;
            s *= shape[d];
        }

        Span<long> stride = stackalloc long[rank];
        Span<int> extent = stackalloc int[rank];
        for (int d = 0; d < rank; d++)
        {
            stride[d] = inputStride[order[d]];
            extent[d] = shape[order[d]];
        }

        long total = s;
        if (total == 0)
        {
            return;
        }

        Span<int> index = stackalloc int[rank];
        long inputOffset = 0;
        int last = rank - 1;
        long lastStride = stride[last] * itemSize;
        int rowLength = extent[last];
        int outputOffset = 0;
        while (true)
        {
            int from = (int)(inputOffset * itemSize);
            for (int x = 0; x < rowLength; x++)
            {
                source.Slice(from, itemSize).CopyTo(destination.Slice(outputOffset, itemSize));
                from += (int)lastStride;
                outputOffset += itemSize;
            }

            int d = last - 1;
            for (; d >= 0; d--)
            {
                if (++index[d] < extent[d])
                {
                    inputOffset += stride[d];
                    break;
                }

                inputOffset -= (long)(extent[d] - 1) * stride[d];
                index[d] = 0;
            }

            if (d < 0)
            {
                return;
            }
        }
    }

    private static void CheckDestination(Span<byte> destination, int needed)
    {
        if (destination.Length < needed)
        {
            throw new ArgumentException($"The destination ({destination.Length} bytes) is smaller than the encoded chunk ({needed} bytes).", nameof(destination));
        }
    }

    private static void Return(byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
