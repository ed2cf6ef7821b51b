using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

public sealed class ZarrArrayTests
{
    public static TheoryData<string> Compressors => new() { "none", "zstd", "gzip", "zlib", "lz4" };

    internal static IZarrCodec? CodecByName(string name) => name switch
    {
        "none" => null,
        "zstd" => new ZstdCodec(3),
        "gzip" => new GzipCodec(5),
        "zlib" => new ZlibCodec(5),
        "lz4" => new Lz4Codec(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Compressors))]
    public void RegionRoundTripsThroughEdgeChunks(string compressor)
    {
        using var temp = new TempStore();
        var metadata = new ZarrArrayMetadata
        {
            Shape = [37, 23],
            Chunks = [10, 7],
            DataType = ZarrDataType.UInt16,
            Compressor = CodecByName(compressor),
        };
        ZarrArray array = ZarrArray.Create(temp.Store, "a", metadata);
        ushort[] data = new ushort[37 * 23];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (ushort)(i * 7919);
        }

        array.WriteRegion<ushort>([0, 0], [37, 23], data);

        ZarrArray reopened = ZarrArray.Open(temp.Store, "a");
        ushort[] back = new ushort[data.Length];
        reopened.ReadRegion<ushort>([0, 0], [37, 23], back);
        Assert.Equal(data, back);

        ushort[] part = new ushort[5 * 9];
        reopened.ReadRegion<ushort>([31, 12], [5, 9], part);
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                Assert.Equal(data[((31 + y) * 23) + 12 + x], part[(y * 9) + x]);
            }
        }
    }

    [Fact]
    public void MissingChunksReadAsFillValue()
    {
        using var temp = new TempStore();
        var metadata = new ZarrArrayMetadata
        {
            Shape = [20, 20],
            Chunks = [8, 8],
            DataType = ZarrDataType.Float32,
            FillValue = ZarrFillValue.FromDouble(double.NaN),
        };
        ZarrArray array = ZarrArray.Create(temp.Store, "", metadata);
        array.WriteRegion<float>([0, 0], [2, 2], [1f, 2f, 3f, 4f]);
        float[] back = new float[9];
        array.ReadRegion<float>([0, 0], [3, 3], back);
        Assert.Equal(1f, back[0]);
        Assert.Equal(2f, back[1]);
        Assert.True(float.IsNaN(back[2]));
        Assert.Equal(3f, back[3]);
        Assert.True(float.IsNaN(back[8]));
        Assert.False(array.ChunkExists([1, 1]));
        JsonObject zarray = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Root, ".zarray")))!.AsObject();
        Assert.Equal("NaN", zarray["fill_value"]!.GetValue<string>());
    }
}

public sealed class ZarrArrayLayoutTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("<u2", ZarrOrder.C)]
    [InlineData(">u2", ZarrOrder.C)]
    [InlineData("<f8", ZarrOrder.F)]
    [InlineData(">i4", ZarrOrder.F)]
    [InlineData("|u1", ZarrOrder.F)]
    public void WritesAndReadsEveryLayoutInMemoryAsCOrderLittleEndian(string dtype, ZarrOrder order)
    {
        ZarrDataType type = ZarrDataType.Parse(dtype);
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata
        {
            Shape = [3, 11, 9],
            Chunks = [2, 4, 5],
            DataType = type,
            Order = order,
            Compressor = new BloscCodec(),
        });
        byte[] values = Conformance.ElementPattern.Bytes(type, 3 * 11 * 9);
        array.WriteRegion([0, 0, 0], [3, 11, 9], values);
        byte[] back = new byte[values.Length];
        ZarrArray.Open(_temp.Store, "a").ReadRegion([0, 0, 0], [3, 11, 9], back);
        Assert.Equal(values, back);

        // The stored chunk really is in the declared layout: element (0,0,1) of chunk 0 sits at offset 1 (C) or 8 (F).
        byte[] chunk = new byte[array.ChunkByteLength];
        var raw = new BloscCodec();
        raw.Decode(_temp.Store.TryGetBytes("a/0.0.0"), chunk, new ZarrCodecContext(type.ItemSize, null));
        int size = type.ItemSize;
        int position = order == ZarrOrder.C ? 1 : 2 * 4;
        byte[] expected = values.AsSpan(size, size).ToArray(); // element (0,0,1) in C order of the whole array
        if (type.IsBigEndian)
        {
            Array.Reverse(expected);
        }

        Assert.Equal(expected, chunk.AsSpan(position * size, size).ToArray());
    }

    [Fact]
    public void PartialWritesKeepTheRestOfTheChunk()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata
        {
            Shape = [10, 10],
            Chunks = [4, 4],
            DataType = ZarrDataType.Int16,
            FillValue = ZarrFillValue.FromInteger(-1),
            Compressor = new ZstdCodec(),
        });
        array.WriteRegion<short>([1, 1], [2, 2], [1, 2, 3, 4]);
        array.WriteRegion<short>([2, 2], [3, 3], [5, 6, 7, 8, 9, 10, 11, 12, 13]);
        short[] all = new short[100];
        array.ReadRegion<short>([0, 0], [10, 10], all);
        Assert.Equal(-1, all[0]);
        Assert.Equal(1, all[11]);
        Assert.Equal(2, all[12]);
        Assert.Equal(3, all[21]);
        Assert.Equal(5, all[22]);
        Assert.Equal(13, all[44]);
        Assert.Equal(-1, all[99]);
        Assert.Equal(-1, all[45]);
    }

    [Fact]
    public void EncodeChunkOnManyThreadsThenStore()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata
        {
            Shape = [32, 64, 64],
            Chunks = [1, 64, 64],
            DataType = ZarrDataType.UInt16,
            Compressor = new BloscCodec(),
            DimensionSeparator = '/',
        });
        byte[][] frames = [.. Enumerable.Range(0, 32).Select(i => Codecs.TestData.Smooth(array.ChunkByteLength, seed: i))];
        Parallel.For(0, 32, z =>
        {
            byte[] buffer = new byte[array.MaxEncodedChunkLength];
            int n = array.EncodeChunk(frames[z], buffer);
            array.WriteEncodedChunk([z, 0, 0], buffer.AsSpan(0, n));
        });
        byte[] back = new byte[array.ChunkByteLength];
        for (int z = 0; z < 32; z++)
        {
            Assert.True(array.ReadChunk([z, 0, 0], back));
            Assert.Equal(frames[z], back);
        }

        Assert.True(File.Exists(Path.Combine(_temp.Root, "a", "31", "0", "0")));
    }

    [Fact]
    public void AttributesAndConsolidatedOpenRoundTrip()
    {
        ZarrGroup root = ZarrGroup.Create(_temp.Store, "", new JsonObject { ["a"] = 1 });
        root.CreateArray("x/y", new ZarrArrayMetadata { Shape = [5], Chunks = [2], DataType = ZarrDataType.Float64 }, new JsonObject { ["unit"] = "µm" });
        root.WriteConsolidatedMetadata();
        IReadOnlyDictionary<string, JsonObject> docs = ZarrConsolidatedMetadata.TryRead(_temp.Store)!;
        Assert.Equal([".zattrs", ".zgroup", "x/y/.zarray", "x/y/.zattrs"], docs.Keys.Order(StringComparer.Ordinal));
        ZarrArray y = ZarrArray.Open(_temp.Store, "x/y", docs["x/y/.zarray"]);
        Assert.Equal([5L], y.Shape);
        Assert.Equal("µm", y.ReadAttributes()["unit"]!.GetValue<string>());
        Assert.Equal(1, root.ReadAttributes()["a"]!.GetValue<int>());
        Assert.Contains("\"µm\"", File.ReadAllText(Path.Combine(_temp.Root, "x", "y", ".zattrs")), StringComparison.Ordinal);
    }

    [Fact]
    public void OverwriteDeletesTheOldChunks()
    {
        var metadata = new ZarrArrayMetadata { Shape = [4], Chunks = [2], DataType = ZarrDataType.UInt8 };
        ZarrArray.Create(_temp.Store, "a", metadata).WriteRegion<byte>([0], [4], [1, 2, 3, 4]);
        ZarrArray fresh = ZarrArray.Create(_temp.Store, "a", metadata, overwrite: true);
        byte[] back = new byte[4];
        fresh.ReadRegion<byte>([0], [4], back);
        Assert.Equal(new byte[4], back);
    }

    [Fact]
    public void CallerMistakesAreArgumentErrors()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata { Shape = [4, 4], Chunks = [2, 2], DataType = ZarrDataType.UInt16 });
        Assert.Throws<ArgumentOutOfRangeException>(() => array.ReadRegion([3, 0], [2, 4], new byte[16]));
        Assert.Throws<ArgumentException>(() => array.ReadRegion([0, 0], [2, 2], new byte[7]));
        Assert.Throws<ArgumentException>(() => array.ReadRegion<int>([0, 0], [1, 1], new int[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => array.GetChunkKey([2, 0]));
        Assert.Throws<ArgumentException>(() => array.WriteChunk([0, 0], new byte[3]));
    }

    [Fact]
    public void FiltersRunBeforeTheCompressor()
    {
        var registry = ZarrCodecRegistry.CreateDefault().Register("xor", _ => new XorFilter());
        var metadata = new ZarrArrayMetadata
        {
            Shape = [8],
            Chunks = [8],
            DataType = ZarrDataType.UInt8,
            Filters = [new XorFilter()],
            Compressor = new ZlibCodec(),
        };
        ZarrArray.Create(_temp.Store, "a", metadata).WriteRegion<byte>([0], [8], [0, 1, 2, 3, 4, 5, 6, 7]);
        byte[] stored = new byte[8];
        new ZlibCodec().Decode(_temp.Store.TryGetBytes("a/0"), stored, new ZarrCodecContext(1, null));
        Assert.Equal(new byte[] { 0x5A, 0x5B, 0x58, 0x59, 0x5E, 0x5F, 0x5C, 0x5D }, stored);
        byte[] back = new byte[8];
        ZarrArray.Open(_temp.Store, "a", registry).ReadRegion<byte>([0], [8], back);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, back);
    }

    private sealed class XorFilter : IZarrCodec
    {
        public string Id => "xor";

        public int GetMaxEncodedLength(int decodedLength) => decodedLength;

        public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = (byte)(source[i] ^ 0x5A);
            }

            return source.Length;
        }

        public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) => Encode(source, destination, context);

        public JsonObject ToJson() => new() { ["id"] = Id };
    }
}
