using System.Globalization;
using System.Text.Json.Nodes;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Writing;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Storage;

/// <summary>
/// One Zarr array as the data source uses it: chunk writes by (t, c, z, y, x) chunk index, block reads by
/// (t, c, z, y, x) ranges whatever the array's own dimensions, resizing after an early close, and copying with
/// other chunks or codec.
/// </summary>
internal sealed class OmeZarrArray
{
    private ZarrArray _array;
    private readonly AxisMap? _map;

    public OmeZarrArray(ZarrArray array, AxisMap? map)
    {
        _array = array;
        _map = map;
    }

    /// <summary>The engine's array.</summary>
    public ZarrArray Zarr => _array;

    /// <summary>Node path.</summary>
    public string Path => _array.Path;

    /// <summary>Dimensions.</summary>
    public int Rank => _array.Rank;

    /// <summary>Shape.</summary>
    public IReadOnlyList<long> Shape => _array.Shape;

    /// <summary>Chunk shape.</summary>
    public IReadOnlyList<int> Chunks => _array.Chunks;

    /// <summary>The dtype string (<c>&lt;u2</c>).</summary>
    public string DataTypeName => _array.DataType.TypeString;

    /// <summary>Uncompressed bytes of the whole array.</summary>
    public long ByteLength => _array.Shape.Aggregate(1L, (a, b) => a * b) * _array.DataType.ItemSize;

    /// <summary>The pixel type, or null for a dtype the data source does not read.</summary>
    public PixelType? PixelType => (_array.DataType.Kind, _array.DataType.ItemSize) switch
    {
        (ZarrDataKind.UnsignedInteger, 1) => Devices.PixelType.UInt8,
        (ZarrDataKind.UnsignedInteger, 2) => Devices.PixelType.UInt16,
        (ZarrDataKind.SignedInteger, 2) => Devices.PixelType.Int16,
        (ZarrDataKind.UnsignedInteger, 4) => Devices.PixelType.UInt32,
        (ZarrDataKind.Float, 4) => Devices.PixelType.Float32,
        (ZarrDataKind.Float, 8) => Devices.PixelType.Float64,
        _ => null,
    };

    /// <summary>The compressor in words: <c>blosc(lz4, clevel 5, shuffle 1)</c>, <c>zstd(level 3)</c>, <c>none</c>.</summary>
    public string CodecDescription
    {
        get
        {
            if (_array.ZarrFormat == 3)
            {
                return DescribeV3(_array.Metadata.EffectiveCodecs);
            }

            var parts = new List<string>();
            foreach (var filter in _array.Metadata.Filters)
            {
                parts.Add("filter " + Describe(filter.ToJson()));
            }

            parts.Add(_array.Metadata.Compressor is { } c ? Describe(c.ToJson()) : "none");
            return string.Join(" + ", parts);

            static string DescribeV3(IReadOnlyList<ZarrV3Codec> codecs) => string.Join(" + ", codecs.Select(codec => codec switch
            {
                ShardingCodec s => $"sharding(inner [{string.Join(", ", s.ChunkShape)}], {DescribeV3(s.Codecs)}, index at {(s.IndexLocation == ShardIndexLocation.Start ? "start" : "end")})",
                CompressionCodec { Codec: var c } => Describe(c.ToJson()),
                TransposeCodec t => $"transpose({string.Join(", ", t.Order)})",
                BytesCodec b => b.Endian == ZarrByteOrder.BigEndian ? "bytes(big)" : "bytes",
                _ => codec.Name,
            }));
        }
    }

    private static string Describe(JsonObject json)
    {
        var id = json["id"]?.ToString() ?? "?";
        var args = json.Where(kv => kv.Key != "id").Select(kv => kv.Key == "cname" ? kv.Value?.ToString() : $"{kv.Key} {kv.Value?.ToJsonString()}");
        return $"{id}({string.Join(", ", args)})";
    }

    /// <summary>Our compression setting that matches the array's codec (lz4 when it has no close match).</summary>
    public OmeZarrCompression Compression => CompressorOf(_array.Metadata) switch
    {
        null => OmeZarrCompression.None,
        BloscCodec { Compressor: BloscCompressor.Zstd } => OmeZarrCompression.Zstd,
        GzipCodec => OmeZarrCompression.Gzip,
        _ => OmeZarrCompression.Lz4,
    };

    /// <summary>The Zarr v3 inner chunk (sharded arrays), or null.</summary>
    public IReadOnlyList<int>? InnerChunks => _array.Sharding?.ChunkShape;

    /// <summary>The compressor of the chunks: v2's, or the last compressing codec of v3's (inner) pipeline.</summary>
    private static IZarrCodec? CompressorOf(ZarrArrayMetadata metadata)
    {
        if (metadata.ZarrFormat != 3)
        {
            return metadata.Compressor;
        }

        var codecs = metadata.Sharding?.Codecs ?? metadata.EffectiveCodecs;
        return codecs.OfType<CompressionCodec>().Select(c => c.Codec).LastOrDefault(c => c is not Crc32cCodec);
    }

    /// <summary>The size along t, c, z, y or x (<see cref="AxisMap"/> constants); 1 for an axis the image lacks.</summary>
    public int SizeOf(int axis) => Dimension(axis) is var d && d >= 0 ? checked((int)_array.Shape[d]) : 1;

    /// <summary>The chunk size along t, c, z, y or x; 1 for an axis the image lacks.</summary>
    public int ChunkOf(int axis) => Dimension(axis) is var d && d >= 0 ? _array.Chunks[d] : 1;

    /// <summary>
    /// Stores one chunk's encoding (from <see cref="ZarrArray.EncodeChunk"/>, or the chunk itself when the array stores
    /// chunks as they are) of a (t, c, z, y, x) array; thread-safe for distinct chunks.
    /// </summary>
    public void WriteEncodedChunk(ChunkIndex index, ReadOnlySpan<byte> encoded)
    {
        Span<long> at = [index.T, index.C, index.Z, index.Y, index.X];
        _array.WriteEncodedChunk(at, encoded);
    }

    /// <summary>Reads the (z, y, x) block of one timepoint and channel into <paramref name="destination"/>.</summary>
    public void ReadBlock(int t, int c, int z0, int zn, int y0, int yn, int x0, int xn, Span<byte> destination)
    {
        Span<long> start = stackalloc long[Rank];
        Span<long> count = stackalloc long[Rank];
        count.Fill(1);
        Place(start, count, AxisMap.T, t, 1, "t");
        Place(start, count, AxisMap.C, c, 1, "c");
        Place(start, count, AxisMap.Z, z0, zn, "z");
        Place(start, count, AxisMap.Y, y0, yn, "y");
        Place(start, count, AxisMap.X, x0, xn, "x");
        for (var d = 0; d < Rank; d++)
        {
            if (_array.Shape[d] > 1 && !IsMapped(d))
            {
                throw new OmeZarrLayoutException($"Array '{Path}': dimension {d} has size {_array.Shape[d]} but is none of t, c, z, y, x.");
            }
        }

        _array.ReadRegion(start, count, destination);
    }

    private void Place(Span<long> start, Span<long> count, int axis, int first, int length, string name)
    {
        var d = Dimension(axis);
        if (d < 0)
        {
            if (first != 0 || length != 1)
            {
                throw new ArgumentOutOfRangeException(name, $"Array '{Path}' has no {name} axis; only index 0 exists.");
            }

            return;
        }

        start[d] = first;
        count[d] = length;
    }

    /// <summary>Rewrites the <c>.zarray</c> (or <c>zarr.json</c>) with a new shape; the chunks stay (they all lie inside the new shape).</summary>
    public void Resize(long[] shape)
    {
        var metadata = _array.Metadata with { Shape = shape };
        if (metadata.ZarrFormat == 3)
        {
            _array.Store.Set(_array.MetadataKey, ZarrMetadataJson.Serialize(ZarrV3MetadataJson.ArrayToJson(metadata, _array.ReadAttributes()), sortKeys: false));
            _array = ZarrArray.Open(_array.Store, _array.Path);
            return;
        }

        var key = _array.Path.Length == 0 ? ".zarray" : $"{_array.Path}/.zarray";
        _array.Store.Set(key, ZarrMetadataJson.Serialize(ZarrMetadataJson.ArrayToJson(metadata)));
        _array = ZarrArray.Open(_array.Store, _array.Path);
    }

    /// <summary>
    /// Copies every element into <paramref name="target"/> (same shape), in slabs that cover whole target chunks along
    /// the first dimensions and the full extent of the last two, on up to <paramref name="threads"/> threads.
    /// </summary>
    public void CopyTo(OmeZarrArray target, int threads, Action<long> copiedBytes, CancellationToken cancellationToken)
    {
        var rank = Rank;
        var itemSize = _array.DataType.ItemSize;
        if (rank == 0)
        {
            return;
        }

        // Slabs: target chunk size along every dimension but the last two, which are taken whole.
        var slab = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            slab[d] = d >= rank - 2 ? _array.Shape[d] : target.Chunks[d];
        }

        var grid = new long[rank];
        long slabs = 1;
        for (var d = 0; d < rank; d++)
        {
            grid[d] = (_array.Shape[d] + slab[d] - 1) / slab[d];
            slabs *= grid[d];
        }

        if (slabs == 0 || _array.Shape.Any(s => s == 0))
        {
            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        Parallel.For(0L, slabs, options, () => (byte[]?)null, (index, _, buffer) =>
        {
            var start = new long[rank];
            var count = new long[rank];
            var rest = index;
            long elements = 1;
            for (var d = rank - 1; d >= 0; d--)
            {
                var i = rest % grid[d];
                rest /= grid[d];
                start[d] = i * slab[d];
                count[d] = Math.Min(slab[d], _array.Shape[d] - start[d]);
                elements *= count[d];
            }

            var bytes = checked((int)(elements * itemSize));
            if (buffer is null || buffer.Length < bytes)
            {
                buffer = new byte[bytes];
            }

            _array.ReadRegion(start, count, buffer.AsSpan(0, bytes));
            target._array.WriteRegion(start, count, buffer.AsSpan(0, bytes));
            copiedBytes(bytes);
            return buffer;
        }, _ => { });
    }

    /// <summary>The Zarr dtype of a pixel type (little endian).</summary>
    public static ZarrDataType DataTypeOf(PixelType type) => type switch
    {
        Devices.PixelType.UInt8 => ZarrDataType.UInt8,
        Devices.PixelType.UInt16 => ZarrDataType.UInt16,
        Devices.PixelType.Int16 => ZarrDataType.Int16,
        Devices.PixelType.UInt32 => ZarrDataType.UInt32,
        Devices.PixelType.Float32 => ZarrDataType.Float32,
        Devices.PixelType.Float64 => ZarrDataType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, string.Create(CultureInfo.InvariantCulture, $"Pixel type {type} has no Zarr dtype.")),
    };

    private int Dimension(int axis) => _map is null ? axis : _map[axis];

    private bool IsMapped(int dimension)
    {
        for (var axis = 0; axis < 5; axis++)
        {
            if (Dimension(axis) == dimension)
            {
                return true;
            }
        }

        return false;
    }
}
