using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A Zarr v2 array in a store: chunk and region reads and writes with caller-owned buffers. In memory, elements are
/// little endian and regions are in C order (last dimension fastest), whatever the stored byte order and order are.
/// </summary>
/// <remarks>
/// <para>Thread safety: reads may run in parallel with anything; writes may run in parallel as long as no two touch
/// the same chunk (a partial-chunk write reads, modifies and rewrites the chunk). <see cref="EncodeChunk"/> is pure and
/// may run on any number of threads; pair it with <see cref="WriteEncodedChunk"/> to compress in parallel.</para>
/// <para>Missing chunks read as the fill value. Edge chunks are stored full-size (the part outside the array holds the
/// fill value), as zarr-python stores them.</para>
/// </remarks>
public sealed class ZarrArray
{
    private readonly long[] _shape;
    private readonly int[] _chunks;
    private readonly int _itemSize;
    private readonly int _chunkBytes;
    private readonly int _maxEncodedChunkLength;
    private readonly bool _needsLayoutConversion;
    private readonly byte[] _fillElement;
    private readonly bool _fillIsZero;
    private readonly IZarrCodec[] _filters;
    private readonly CodecChain? _chain;

    private ZarrArray(IZarrStore store, string path, ZarrArrayMetadata metadata)
    {
        Store = store;
        Path = path;
        Metadata = metadata;
        _shape = [.. metadata.Shape];
        _chunks = [.. metadata.Chunks];
        _itemSize = metadata.DataType.ItemSize;
        _chunkBytes = metadata.ChunkByteLength;
        _filters = [.. metadata.Filters];
        _needsLayoutConversion = metadata.DataType.IsBigEndian || (metadata.Order == ZarrOrder.F && CountNonUnitDimensions(_chunks) > 1);
        _fillElement = new byte[_itemSize];
        metadata.FillValue.WriteElement(metadata.DataType, _fillElement);
        _fillIsZero = !_fillElement.AsSpan().ContainsAnyExcept((byte)0);
        if (metadata.ZarrFormat == 3)
        {
            _chain = CodecChain.Bind(metadata.EffectiveCodecs, _chunks, _itemSize, _fillElement, ZarrKey.Join(path, ZarrV3MetadataJson.NodeKey));
            _needsLayoutConversion = false;
            _maxEncodedChunkLength = _chain.MaxEncodedLength;
            return;
        }

        long max = _chunkBytes;
        foreach (IZarrCodec filter in _filters)
        {
            max = Math.Max(max, filter.GetMaxEncodedLength(_chunkBytes));
        }

        if (metadata.Compressor is { } compressor)
        {
            max = compressor.GetMaxEncodedLength((int)Math.Min(max, ZarrArrayMetadata.MaxChunkBytes));
        }

        _maxEncodedChunkLength = (int)Math.Min(max, int.MaxValue);
    }

    /// <summary>The store holding the array.</summary>
    public IZarrStore Store { get; }

    /// <summary>The array's node path in the store (empty for an array at the root).</summary>
    public string Path { get; }

    /// <summary>The array's metadata (<c>.zarray</c> or <c>zarr.json</c>).</summary>
    public ZarrArrayMetadata Metadata { get; }

    /// <summary>2 or 3.</summary>
    public int ZarrFormat => Metadata.ZarrFormat;

    /// <summary>The key of the array's metadata document (<c>.zarray</c> or <c>zarr.json</c>).</summary>
    public string MetadataKey => ZarrKey.Join(Path, ZarrFormat == 3 ? ZarrV3MetadataJson.NodeKey : ZarrMetadataJson.ArrayKey);

    /// <summary>The sharding layout when the array is a sharded v3 array (its chunks are shards), else null.</summary>
    public ShardingCodec? Sharding => Metadata.Sharding;

    /// <summary>The array's shape.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The chunk shape.</summary>
    public IReadOnlyList<int> Chunks => _chunks;

    /// <summary>The element type.</summary>
    public ZarrDataType DataType => Metadata.DataType;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Bytes of one decoded chunk (full size, edge chunks included).</summary>
    public int ChunkByteLength => _chunkBytes;

    /// <summary>
    /// The sharding layout when the array's codecs are exactly <c>sharding_indexed</c> (a stored chunk is a shard
    /// with its index and nothing around it), so a writer may pack shards itself from inner chunks; else null.
    /// </summary>
    internal ShardLayout? PackableShard => _chain?.DirectShard;

    /// <summary>An upper bound on the encoded length of one chunk: the destination size for <see cref="EncodeChunk"/>.</summary>
    public int MaxEncodedChunkLength => _maxEncodedChunkLength;

    /// <summary>
    /// Creates an array at <paramref name="path"/>: writes its <c>.zarray</c> (and <c>.zattrs</c> if given). Throws
    /// <see cref="ZarrNodeExistsException"/> if an array or group is already there, unless <paramref name="overwrite"/>,
    /// which first deletes everything under the path.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path (<c>"image/0"</c>; empty for the root).</param>
    /// <param name="metadata">Shape, chunks, dtype, compressor...</param>
    /// <param name="attributes">Attributes to write to <c>.zattrs</c>, or null for none.</param>
    /// <param name="overwrite">Replace whatever is at the path.</param>
    public static ZarrArray Create(IZarrStore store, string path, ZarrArrayMetadata metadata, JsonObject? attributes = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metadata);
        string normalized = ZarrKey.NormalizePath(path);
        if (metadata.ZarrFormat == 3)
        {
            string nodeKey = ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey);
            metadata.Validate(nodeKey);
            ZarrNodeDocuments.PrepareForCreate(store, normalized, overwrite);
            store.Set(nodeKey, ZarrMetadataJson.Serialize(ZarrV3MetadataJson.ArrayToJson(metadata, attributes), sortKeys: false));
            return new ZarrArray(store, normalized, metadata);
        }

        string key = ZarrKey.Join(normalized, ZarrMetadataJson.ArrayKey);
        metadata.Validate(key);
        ZarrNodeDocuments.PrepareForCreate(store, normalized, overwrite);
        store.Set(key, ZarrMetadataJson.Serialize(ZarrMetadataJson.ArrayToJson(metadata)));
        if (attributes is not null)
        {
            ZarrNodeDocuments.WriteAttributes(store, normalized, attributes);
        }

        return new ZarrArray(store, normalized, metadata);
    }

    /// <summary>
    /// Opens the array at <paramref name="path"/> by reading its <c>.zarray</c>. Throws
    /// <see cref="ZarrNodeNotFoundException"/> if there is none, <see cref="ZarrMetadataException"/> or
    /// <see cref="ZarrCodecException"/> if it is malformed or names an unknown codec.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path.</param>
    /// <param name="codecs">The codec registry; <see cref="ZarrCodecRegistry.Default"/> if null.</param>
    public static ZarrArray Open(IZarrStore store, string path, ZarrCodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        string key = ZarrKey.Join(normalized, ZarrMetadataJson.ArrayKey);
        JsonObject? json = ZarrNodeDocuments.TryReadObject(store, key);
        if (json is null)
        {
            string nodeKey = ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey);
            JsonObject node = ZarrNodeDocuments.TryReadObject(store, nodeKey) ?? throw NotFound(store, normalized, key);
            return new ZarrArray(store, normalized, ZarrV3MetadataJson.ParseArray(node, nodeKey, codecs ?? ZarrCodecRegistry.Default));
        }

        return new ZarrArray(store, normalized, ZarrMetadataJson.ParseArray(json, key, codecs ?? ZarrCodecRegistry.Default));
    }

    /// <summary>
    /// Opens the array at <paramref name="path"/> from a <c>.zarray</c> document already read (e.g. from consolidated
    /// metadata), without touching the store.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path.</param>
    /// <param name="zarray">The <c>.zarray</c> JSON object.</param>
    /// <param name="codecs">The codec registry; <see cref="ZarrCodecRegistry.Default"/> if null.</param>
    public static ZarrArray Open(IZarrStore store, string path, JsonObject zarray, ZarrCodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(zarray);
        string normalized = ZarrKey.NormalizePath(path);
        if (zarray["zarr_format"] is JsonValue f && f.TryGetValue(out int format) && format == 3)
        {
            string nodeKey = ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey);
            return new ZarrArray(store, normalized, ZarrV3MetadataJson.ParseArray(zarray, nodeKey, codecs ?? ZarrCodecRegistry.Default));
        }

        string key = ZarrKey.Join(normalized, ZarrMetadataJson.ArrayKey);
        return new ZarrArray(store, normalized, ZarrMetadataJson.ParseArray(zarray, key, codecs ?? ZarrCodecRegistry.Default));
    }

    /// <summary>The array's attributes (<c>.zattrs</c>, or <c>attributes</c> in v3's <c>zarr.json</c>); empty if it has none.</summary>
    public JsonObject ReadAttributes() => ZarrFormat == 3
        ? ZarrNodeDocuments.ReadV3Attributes(Store, Path)
        : ZarrNodeDocuments.ReadAttributes(Store, Path);

    /// <summary>Replaces the array's attributes (<c>.zattrs</c>, or <c>attributes</c> in v3's <c>zarr.json</c>).</summary>
    /// <param name="attributes">The new attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        if (ZarrFormat == 3)
        {
            ZarrNodeDocuments.WriteV3Attributes(Store, Path, attributes);
        }
        else
        {
            ZarrNodeDocuments.WriteAttributes(Store, Path, attributes);
        }
    }

    /// <summary>The number of chunks along <paramref name="dimension"/>.</summary>
    /// <param name="dimension">The dimension.</param>
    public long ChunkCount(int dimension) => Metadata.ChunkCount(dimension);

    /// <summary>The store key of a chunk (<c>"image/0/3.0.1"</c>, <c>"image/0/3/0/1"</c>, or v3's <c>"image/0/c/3/0/1"</c>); a shard's key for sharded arrays.</summary>
    /// <param name="chunkIndex">The chunk's index along each dimension.</param>
    public string GetChunkKey(ReadOnlySpan<long> chunkIndex)
    {
        CheckChunkIndex(chunkIndex);
        Span<char> buffer = stackalloc char[(Rank * 21) + 2];
        int n = 0;
        bool prefix = Metadata.ChunkKeyEncoding == ZarrChunkKeyEncoding.Default;
        if (prefix)
        {
            buffer[n++] = 'c';
        }

        for (int d = 0; d < Rank; d++)
        {
            if (d > 0 || prefix)
            {
                buffer[n++] = Metadata.DimensionSeparator;
            }

            chunkIndex[d].TryFormat(buffer[n..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            n += written;
        }

        return Path.Length == 0 ? new string(buffer[..n]) : string.Concat(Path, "/", buffer[..n]);
    }

    /// <summary>True when the chunk is stored (a missing chunk reads as the fill value).</summary>
    /// <param name="chunkIndex">The chunk's index along each dimension.</param>
    public bool ChunkExists(ReadOnlySpan<long> chunkIndex) => Store.Exists(GetChunkKey(chunkIndex));

    /// <summary>
    /// Encodes one chunk (full chunk size, C order, little endian) with the array's filters and compressor into
    /// <paramref name="destination"/> and returns the encoded length. Pure and thread-safe.
    /// </summary>
    /// <param name="chunk">Exactly <see cref="ChunkByteLength"/> bytes.</param>
    /// <param name="destination">At least <see cref="MaxEncodedChunkLength"/> bytes.</param>
    public int EncodeChunk(ReadOnlySpan<byte> chunk, Span<byte> destination)
    {
        if (chunk.Length != _chunkBytes)
        {
            throw new ArgumentException($"A chunk of this array is {_chunkBytes} bytes; got {chunk.Length}.", nameof(chunk));
        }

        if (_chain is not null)
        {
            if (destination.Length < _maxEncodedChunkLength)
            {
                throw new ArgumentException($"The destination ({destination.Length} bytes) is smaller than MaxEncodedChunkLength ({_maxEncodedChunkLength}).", nameof(destination));
            }

            return _chain.Encode(chunk, destination, Path);
        }

        byte[]? converted = null;
        byte[]? stage = null;
        try
        {
            ReadOnlySpan<byte> current = chunk;
            if (_needsLayoutConversion)
            {
                converted = ArrayPool<byte>.Shared.Rent(_chunkBytes);
                ChunkLayout.FromMemoryLayout(chunk, converted.AsSpan(0, _chunkBytes), _chunks, _itemSize, Metadata.Order, DataType.IsBigEndian);
                current = converted.AsSpan(0, _chunkBytes);
            }

            var context = new ZarrCodecContext(_itemSize, Path);
            foreach (IZarrCodec filter in _filters)
            {
                byte[] next = ArrayPool<byte>.Shared.Rent(filter.GetMaxEncodedLength(current.Length));
                int n = filter.Encode(current, next, context);
                if (stage is not null)
                {
                    ArrayPool<byte>.Shared.Return(stage);
                }

                stage = next;
                current = next.AsSpan(0, n);
            }

            if (Metadata.Compressor is { } compressor)
            {
                return compressor.Encode(current, destination, context);
            }

            if (destination.Length < current.Length)
            {
                throw new ArgumentException($"The destination ({destination.Length} bytes) is smaller than the chunk ({current.Length} bytes).", nameof(destination));
            }

            current.CopyTo(destination);
            return current.Length;
        }
        finally
        {
            ReturnAll(converted, stage, null);
        }
    }

    /// <summary>
    /// True when a whole chunk's encoding is its decoded bytes (no filter, codec or byte-order change): it is stored
    /// without being copied. A v3 array has no Compressor (its codecs do that work), so only its chain can say.
    /// </summary>
    public bool StoresChunksAsIs => _chain is null
        ? !_needsLayoutConversion && _filters.Length == 0 && Metadata.Compressor is null
        : _chain.IsIdentity;

    /// <summary>Stores already encoded chunk bytes (from <see cref="EncodeChunk"/>) under the chunk's key, atomically.</summary>
    /// <param name="chunkIndex">The chunk's index along each dimension.</param>
    /// <param name="encoded">The encoded bytes.</param>
    public void WriteEncodedChunk(ReadOnlySpan<long> chunkIndex, ReadOnlySpan<byte> encoded) =>
        Store.Set(GetChunkKey(chunkIndex), encoded);

    /// <summary>Encodes and stores one whole chunk (full chunk size, C order, little endian).</summary>
    /// <param name="chunkIndex">The chunk's index along each dimension.</param>
    /// <param name="chunk">Exactly <see cref="ChunkByteLength"/> bytes.</param>
    public void WriteChunk(ReadOnlySpan<long> chunkIndex, ReadOnlySpan<byte> chunk)
    {
        string key = GetChunkKey(chunkIndex);
        if (StoresChunksAsIs)
        {
            // Uncompressed: the chunk's bytes are its encoding; a copy would only cost memory bandwidth.
            if (chunk.Length != _chunkBytes)
            {
                throw new ArgumentException($"A chunk of this array is {_chunkBytes} bytes; got {chunk.Length}.", nameof(chunk));
            }

            Store.Set(key, chunk);
            return;
        }

        // Not the streaming path: the writer encodes into aligned buffers of its own (ChunkWriteQueue) and stores with
        // WriteEncodedChunk, so a pooled buffer here is enough.
        byte[] encoded = ArrayPool<byte>.Shared.Rent(_maxEncodedChunkLength);
        try
        {
            int n = EncodeChunk(chunk, encoded);
            Store.Set(key, encoded.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>
    /// Reads one whole chunk (full chunk size, C order, little endian) into <paramref name="destination"/>. Returns
    /// false, with <paramref name="destination"/> set to the fill value, if the chunk is not stored.
    /// </summary>
    /// <param name="chunkIndex">The chunk's index along each dimension.</param>
    /// <param name="destination">Exactly <see cref="ChunkByteLength"/> bytes.</param>
    public bool ReadChunk(ReadOnlySpan<long> chunkIndex, Span<byte> destination)
    {
        if (destination.Length != _chunkBytes)
        {
            throw new ArgumentException($"A chunk of this array is {_chunkBytes} bytes; the destination is {destination.Length}.", nameof(destination));
        }

        string key = GetChunkKey(chunkIndex);
        if (!ReadChunkCore(key, destination))
        {
            Fill(destination);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Writes a region (C order, little endian) starting at <paramref name="start"/> with shape
    /// <paramref name="shape"/>. Whole chunks are encoded straight from the data; partly covered chunks are read,
    /// updated and rewritten.
    /// </summary>
    /// <param name="start">The region's first index along each dimension.</param>
    /// <param name="shape">The region's size along each dimension; the region must lie inside the array.</param>
    /// <param name="data">Exactly product(shape) × item size bytes.</param>
    public void WriteRegion(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, ReadOnlySpan<byte> data)
    {
        long elements = CheckRegion(start, shape, data.Length, nameof(data));
        if (elements == 0)
        {
            return;
        }

        int rank = Rank;
        Span<long> first = stackalloc long[rank];
        Span<long> last = stackalloc long[rank];
        Span<long> index = stackalloc long[rank];
        for (int d = 0; d < rank; d++)
        {
            first[d] = start[d] / _chunks[d];
            last[d] = (start[d] + shape[d] - 1) / _chunks[d];
        }

        first.CopyTo(index);
        byte[]? chunkBuffer = null;
        byte[]? encoded = null;
        try
        {
            do
            {
                string key = GetChunkKey(index);
                bool regionIsChunk = RegionIsExactlyChunk(start, shape, index);
                ReadOnlySpan<byte> chunkData;
                if (regionIsChunk)
                {
                    chunkData = data;
                }
                else
                {
                    chunkBuffer ??= ArrayPool<byte>.Shared.Rent(_chunkBytes);
                    Span<byte> chunk = chunkBuffer.AsSpan(0, _chunkBytes);
                    if (CoversChunk(start, shape, index))
                    {
                        if (IsEdgeChunk(index))
                        {
                            Fill(chunk);
                        }
                    }
                    else if (!ReadChunkCore(key, chunk))
                    {
                        Fill(chunk);
                    }

                    RegionCopy.RegionToChunk(data, start, shape, chunk, index, _chunks, _itemSize);
                    chunkData = chunk;
                }

                encoded ??= ArrayPool<byte>.Shared.Rent(_maxEncodedChunkLength);
                int n = EncodeChunk(chunkData, encoded);
                Store.Set(key, encoded.AsSpan(0, n));
            }
            while (Next(index, first, last));
        }
        finally
        {
            ReturnAll(chunkBuffer, encoded, null);
        }
    }

    /// <summary>Reads a region (C order, little endian) into <paramref name="destination"/>; missing chunks read as the fill value.</summary>
    /// <param name="start">The region's first index along each dimension.</param>
    /// <param name="shape">The region's size along each dimension; the region must lie inside the array.</param>
    /// <param name="destination">Exactly product(shape) × item size bytes.</param>
    public void ReadRegion(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, Span<byte> destination)
    {
        long elements = CheckRegion(start, shape, destination.Length, nameof(destination));
        if (elements == 0)
        {
            return;
        }

        int rank = Rank;
        Span<long> first = stackalloc long[rank];
        Span<long> last = stackalloc long[rank];
        Span<long> index = stackalloc long[rank];
        for (int d = 0; d < rank; d++)
        {
            first[d] = start[d] / _chunks[d];
            last[d] = (start[d] + shape[d] - 1) / _chunks[d];
        }

        first.CopyTo(index);
        byte[]? chunkBuffer = null;
        try
        {
            do
            {
                string key = GetChunkKey(index);
                if (RegionIsExactlyChunk(start, shape, index))
                {
                    if (!ReadChunkCore(key, destination))
                    {
                        Fill(destination);
                    }

                    continue;
                }

                if (_chain?.DirectShard is { } shard)
                {
                    // Part of a shard: decode only the inner chunks the region meets.
                    ReadShardRegion(shard, key, index, destination, start, shape);
                    continue;
                }

                chunkBuffer ??= ArrayPool<byte>.Shared.Rent(_chunkBytes);
                Span<byte> chunk = chunkBuffer.AsSpan(0, _chunkBytes);
                if (!ReadChunkCore(key, chunk))
                {
                    Fill(chunk);
                }

                RegionCopy.ChunkToRegion(chunk, index, _chunks, destination, start, shape, _itemSize);
            }
            while (Next(index, first, last));
        }
        finally
        {
            ReturnAll(chunkBuffer, null, null);
        }
    }

    /// <summary>Typed <see cref="WriteRegion(ReadOnlySpan{long}, ReadOnlySpan{long}, ReadOnlySpan{byte})"/>; <typeparamref name="T"/> must have the dtype's size.</summary>
    /// <typeparam name="T">An element type of the dtype's size (<see cref="ushort"/> for <c>&lt;u2</c>).</typeparam>
    /// <param name="start">The region's first index along each dimension.</param>
    /// <param name="shape">The region's size along each dimension.</param>
    /// <param name="data">product(shape) elements.</param>
    public void WriteRegion<T>(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, ReadOnlySpan<T> data)
        where T : unmanaged
    {
        CheckElementType<T>();
        WriteRegion(start, shape, MemoryMarshal.AsBytes(data));
    }

    /// <summary>Typed <see cref="ReadRegion(ReadOnlySpan{long}, ReadOnlySpan{long}, Span{byte})"/>; <typeparamref name="T"/> must have the dtype's size.</summary>
    /// <typeparam name="T">An element type of the dtype's size.</typeparam>
    /// <param name="start">The region's first index along each dimension.</param>
    /// <param name="shape">The region's size along each dimension.</param>
    /// <param name="destination">product(shape) elements.</param>
    public void ReadRegion<T>(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, Span<T> destination)
        where T : unmanaged
    {
        CheckElementType<T>();
        ReadRegion(start, shape, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>Decodes a stored chunk into <paramref name="destination"/> (exactly a chunk); false if it is not stored.</summary>
    private bool ReadChunkCore(string key, Span<byte> destination)
    {
        byte[]? encoded = RentAndRead(key, out int length);
        if (encoded is null)
        {
            return false;
        }

        if (_chain is not null)
        {
            try
            {
                _chain.Decode(encoded.AsSpan(0, length), destination, key);
                return true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(encoded);
            }
        }

        byte[]? converted = null;
        byte[]? stage = null;
        try
        {
            ReadOnlySpan<byte> source = encoded.AsSpan(0, length);
            Span<byte> target = destination;
            if (_needsLayoutConversion)
            {
                converted = ArrayPool<byte>.Shared.Rent(_chunkBytes);
                target = converted.AsSpan(0, _chunkBytes);
            }

            var context = new ZarrCodecContext(_itemSize, key);
            if (_filters.Length == 0)
            {
                DecodeCompressed(source, target, context);
            }
            else
            {
                // Filters are bytes-to-bytes codecs of the chunk's length: decode the compressor, then the filters in reverse.
                stage = ArrayPool<byte>.Shared.Rent(_chunkBytes);
                Span<byte> a = stage.AsSpan(0, _chunkBytes);
                DecodeCompressed(source, a, context);
                for (int i = _filters.Length - 1; i >= 0; i--)
                {
                    _filters[i].Decode(a, target, context);
                    if (i > 0)
                    {
                        target.CopyTo(a);
                    }
                }
            }

            if (_needsLayoutConversion)
            {
                ChunkLayout.ToMemoryLayout(target, destination, _chunks, _itemSize, Metadata.Order, DataType.IsBigEndian);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
            ReturnAll(converted, stage, null);
        }
    }

    /// <summary>The part of a region inside one shard, decoding only the inner chunks it meets.</summary>
    private void ReadShardRegion(ShardLayout shard, string key, ReadOnlySpan<long> shardIndex, Span<byte> destination, ReadOnlySpan<long> start, ReadOnlySpan<long> shape)
    {
        byte[]? encoded = RentAndRead(key, out int length);
        if (encoded is null)
        {
            // A missing shard: its part of the region is the fill value, copied from a filled chunk buffer.
            byte[] filled = ArrayPool<byte>.Shared.Rent(_chunkBytes);
            try
            {
                Fill(filled.AsSpan(0, _chunkBytes));
                RegionCopy.ChunkToRegion(filled.AsSpan(0, _chunkBytes), shardIndex, _chunks, destination, start, shape, _itemSize);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(filled);
            }

            return;
        }

        try
        {
            shard.DecodeRegion(encoded.AsSpan(0, length), shardIndex, destination, start, shape, key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    /// <summary>Reads a stored value into a pooled buffer; null if it does not exist.</summary>
    private byte[]? RentAndRead(string key, out int length)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (!Store.TryGetSize(key, out long size))
            {
                length = 0;
                return null;
            }

            if (size > int.MaxValue)
            {
                throw new ZarrChunkException($"Chunk '{key}' is {size} bytes; at most {int.MaxValue} bytes can be read.", key);
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)size));
            try
            {
                if (Store.TryGet(key, buffer, out length))
                {
                    return buffer;
                }

                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }
            catch (ZarrChunkException) when (attempt < 2)
            {
                // A writer replaced the chunk with a longer one between the two calls: size it again.
                ArrayPool<byte>.Shared.Return(buffer);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    private void DecodeCompressed(ReadOnlySpan<byte> source, Span<byte> target, in ZarrCodecContext context)
    {
        if (Metadata.Compressor is { } compressor)
        {
            compressor.Decode(source, target, context);
            return;
        }

        if (source.Length != target.Length)
        {
            throw new ZarrChunkException(
                $"Chunk '{context.Key}' is {source.Length} bytes; an uncompressed chunk of shape [{string.Join(", ", _chunks)}] "
                + $"and dtype '{DataType.TypeString}' must be {target.Length} bytes.", context.Key);
        }

        source.CopyTo(target);
    }

    private void Fill(Span<byte> destination)
    {
        if (_fillIsZero)
        {
            destination.Clear();
            return;
        }

        _fillElement.CopyTo(destination);
        int filled = _itemSize;
        while (filled < destination.Length)
        {
            int n = Math.Min(filled, destination.Length - filled);
            destination[..n].CopyTo(destination[filled..]);
            filled += n;
        }
    }

    private bool RegionIsExactlyChunk(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, ReadOnlySpan<long> chunkIndex)
    {
        for (int d = 0; d < Rank; d++)
        {
            if (start[d] != chunkIndex[d] * _chunks[d] || shape[d] != _chunks[d])
            {
                return false;
            }
        }

        return true;
    }

    private bool CoversChunk(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, ReadOnlySpan<long> chunkIndex)
    {
        for (int d = 0; d < Rank; d++)
        {
            long chunkStart = chunkIndex[d] * _chunks[d];
            long chunkEnd = Math.Min(chunkStart + _chunks[d], _shape[d]);
            if (start[d] > chunkStart || start[d] + shape[d] < chunkEnd)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsEdgeChunk(ReadOnlySpan<long> chunkIndex)
    {
        for (int d = 0; d < Rank; d++)
        {
            if ((chunkIndex[d] + 1) * _chunks[d] > _shape[d])
            {
                return true;
            }
        }

        return false;
    }

    private static bool Next(Span<long> index, ReadOnlySpan<long> first, ReadOnlySpan<long> last)
    {
        for (int d = index.Length - 1; d >= 0; d--)
        {
            if (index[d] < last[d])
            {
                index[d]++;
                return true;
            }

            index[d] = first[d];
        }

        return false;
    }

    private long CheckRegion(ReadOnlySpan<long> start, ReadOnlySpan<long> shape, int bufferLength, string bufferName)
    {
        if (start.Length != Rank || shape.Length != Rank)
        {
            throw new ArgumentException($"The array has {Rank} dimensions; the region has start of {start.Length} and shape of {shape.Length}.");
        }

        long elements = 1;
        for (int d = 0; d < Rank; d++)
        {
            if (start[d] < 0 || shape[d] < 0 || start[d] > _shape[d] || shape[d] > _shape[d] - start[d])
            {
                throw new ArgumentOutOfRangeException(nameof(start),
                    $"Region [{start[d]}, {start[d] + shape[d]}) of dimension {d} is outside the array's [0, {_shape[d]}).");
            }

            elements *= shape[d];
        }

        if (elements * _itemSize != bufferLength)
        {
            throw new ArgumentException(
                $"A region of shape [{string.Join(", ", shape.ToArray())}] needs {elements * _itemSize} bytes; the buffer has {bufferLength}.", bufferName);
        }

        return elements;
    }

    private void CheckChunkIndex(ReadOnlySpan<long> chunkIndex)
    {
        if (chunkIndex.Length != Rank)
        {
            throw new ArgumentException($"The array has {Rank} dimensions; the chunk index has {chunkIndex.Length}.", nameof(chunkIndex));
        }

        for (int d = 0; d < Rank; d++)
        {
            long count = Metadata.ChunkCount(d);
            if (chunkIndex[d] < 0 || chunkIndex[d] >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(chunkIndex), $"Chunk index {chunkIndex[d]} of dimension {d} is outside [0, {count}).");
            }
        }
    }

    private void CheckElementType<T>()
        where T : unmanaged
    {
        if (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() != _itemSize)
        {
            throw new ArgumentException($"{typeof(T).Name} is {System.Runtime.CompilerServices.Unsafe.SizeOf<T>()} bytes; dtype '{DataType.TypeString}' has {_itemSize}-byte elements.");
        }
    }

    private static int CountNonUnitDimensions(int[] chunks) => chunks.Count(c => c > 1);

    private static void ReturnAll(byte[]? a, byte[]? b, byte[]? c)
    {
        if (a is not null)
        {
            ArrayPool<byte>.Shared.Return(a);
        }

        if (b is not null)
        {
            ArrayPool<byte>.Shared.Return(b);
        }

        if (c is not null)
        {
            ArrayPool<byte>.Shared.Return(c);
        }
    }

    private static ZarrNodeNotFoundException NotFound(IZarrStore store, string path, string key)
    {
        string groupKey = ZarrKey.Join(path, ZarrMetadataJson.GroupKey);
        string detail = store.Exists(groupKey) ? $"; '{groupKey}' exists: it is a group" : string.Empty;
        string nodeKey = ZarrKey.Join(path, ZarrV3MetadataJson.NodeKey);
        if (store.Exists(nodeKey))
        {
            detail = $"; '{nodeKey}' exists: it is a v3 group";
        }

        return new ZarrNodeNotFoundException(
            $"No Zarr array at '{ZarrNodeDocuments.DisplayPath(path)}': '{key}' does not exist{detail}.", key);
    }
}
