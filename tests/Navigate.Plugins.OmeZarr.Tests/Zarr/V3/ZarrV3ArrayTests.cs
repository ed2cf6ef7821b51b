using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.V3;

/// <summary>Zarr v3 arrays and groups through the one array API: metadata, chunk keys, every codec, sharding.</summary>
public sealed class ZarrV3ArrayTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> PipelineNames => [.. Pipelines.Keys];

    internal static Dictionary<string, IReadOnlyList<ZarrV3Codec>> Pipelines { get; } = new()
    {
        ["bytes"] = ZarrV3Codec.Default,
        ["bytes_big"] = [new BytesCodec(ZarrByteOrder.BigEndian)],
        ["transpose_bytes"] = [new TransposeCodec([1, 0]), BytesCodec.Little],
        ["blosc_lz4"] = ZarrV3Codec.Compressed(new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle)),
        ["blosc_zstd_bitshuffle"] = ZarrV3Codec.Compressed(new BloscCodec(BloscCompressor.Zstd, 3, BloscShuffle.BitShuffle)),
        ["zstd"] = ZarrV3Codec.Compressed(new ZstdCodec(3)),
        ["gzip"] = ZarrV3Codec.Compressed(new GzipCodec(5)),
        ["crc32c"] = ZarrV3Codec.Compressed(Crc32cCodec.Instance),
        ["zstd_crc32c"] = [BytesCodec.Little, new CompressionCodec(new ZstdCodec(1)), new CompressionCodec(Crc32cCodec.Instance)],
        ["transpose_big_gzip"] = [new TransposeCodec([1, 0]), new BytesCodec(ZarrByteOrder.BigEndian), new CompressionCodec(new GzipCodec(1))],
    };

    [Theory]
    [MemberData(nameof(PipelineNames))]
    public void EveryPipelineRoundTripsWholeAndPartial(string name)
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, name, Metadata(Pipelines[name]));
        byte[] values = ElementPattern.Bytes(ZarrDataType.UInt16, 37 * 23);
        array.WriteRegion([0, 0], [37, 23], values);

        ZarrArray reopened = ZarrArray.Open(_temp.Store, name);
        Assert.Equal(3, reopened.ZarrFormat);
        var back = new byte[values.Length];
        reopened.ReadRegion([0, 0], [37, 23], back);
        Assert.Equal(values, back);

        var part = new byte[5 * 7 * 2];
        reopened.ReadRegion([18, 10], [5, 7], part);
        for (int y = 0; y < 5; y++)
        {
            Assert.Equal(values.AsSpan((((18 + y) * 23) + 10) * 2, 14).ToArray(), part.AsSpan(y * 14, 14).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(PipelineNames))]
    public void WholeChunkWritesGoThroughThePipeline(string name)
    {
        // WriteChunk is the streaming writer's path; it once stored every v3 chunk raw because a v3 array has no
        // v2 Compressor. Its stored bytes must be EncodeChunk's, and read back as written.
        ZarrArray array = ZarrArray.Create(_temp.Store, name, Metadata(Pipelines[name]));
        byte[] chunk = ElementPattern.Bytes(ZarrDataType.UInt16, 20 * 12);
        array.WriteChunk([0, 0], chunk);

        byte[] encoded = new byte[array.MaxEncodedChunkLength];
        int length = array.EncodeChunk(chunk, encoded);
        Assert.Equal(encoded.AsSpan(0, length).ToArray(), File.ReadAllBytes(Path.Combine(_temp.Root, name, "c", "0", "0")));
        var back = new byte[chunk.Length];
        Assert.True(ZarrArray.Open(_temp.Store, name).ReadChunk([0, 0], back));
        Assert.Equal(chunk, back);
    }

    [Fact]
    public void WholeShardWritesStoreTheIndex()
    {
        var sharding = new ShardingCodec([5, 12], ZarrV3Codec.Compressed(new ZstdCodec(1)));
        ZarrArray array = ZarrArray.Create(_temp.Store, "s", Metadata([sharding]));
        byte[] shard = ElementPattern.Bytes(ZarrDataType.UInt16, 20 * 12);
        array.WriteChunk([1, 0], shard);

        byte[] stored = File.ReadAllBytes(Path.Combine(_temp.Root, "s", "c", "1", "0"));
        ReadOnlySpan<byte> index = stored.AsSpan(stored.Length - ((4 * 16) + 4));
        Assert.Equal(Crc32cCodec.Compute(index[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(index[^4..]));
        var back = new byte[shard.Length];
        Assert.True(ZarrArray.Open(_temp.Store, "s").ReadChunk([1, 0], back));
        Assert.Equal(shard, back);
    }

    [Fact]
    public void ZarrJsonHasTheV3FieldsAndDefaultChunkKeys()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", Metadata(ZarrV3Codec.Compressed(new BloscCodec())) with
        {
            DimensionNames = ["y", "x"],
            FillValue = ZarrFillValue.FromInteger(7),
        }, new JsonObject { ["note"] = "µm" });
        array.WriteRegion([0, 0], [37, 23], ElementPattern.Bytes(ZarrDataType.UInt16, 37 * 23));

        JsonObject json = JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "a", "zarr.json")))!.AsObject();
        Assert.Equal(3, (int)json["zarr_format"]!);
        Assert.Equal("array", (string)json["node_type"]!);
        Assert.Equal("uint16", (string)json["data_type"]!);
        Assert.Equal("""{"name":"regular","configuration":{"chunk_shape":[20,12]}}""", json["chunk_grid"]!.ToJsonString());
        Assert.Equal("""{"name":"default","configuration":{"separator":"/"}}""", json["chunk_key_encoding"]!.ToJsonString());
        Assert.Equal(7, (int)json["fill_value"]!);
        Assert.Equal("""[{"name":"bytes","configuration":{"endian":"little"}},{"name":"blosc","configuration":{"cname":"lz4","clevel":5,"shuffle":"shuffle","typesize":2,"blocksize":0}}]""",
            json["codecs"]!.ToJsonString());
        Assert.Equal("""["y","x"]""", json["dimension_names"]!.ToJsonString());
        Assert.Equal("µm", (string)json["attributes"]!["note"]!);
        Assert.Equal("a/c/1/1", array.GetChunkKey([1, 1]));
        Assert.True(File.Exists(Path.Combine(_temp.Root, "a", "c", "1", "1")));
        Assert.Equal("µm", (string)ZarrArray.Open(_temp.Store, "a").ReadAttributes()["note"]!);

        array.WriteAttributes(new JsonObject { ["other"] = 1 });
        ZarrArray reopened = ZarrArray.Open(_temp.Store, "a");
        Assert.Equal(1, (int)reopened.ReadAttributes()["other"]!);
        Assert.Equal(array.Metadata.Chunks, reopened.Metadata.Chunks);
        Assert.Equal(["y", "x"], reopened.Metadata.DimensionNames!);
    }

    [Fact]
    public void V2ChunkKeyEncodingInV3()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", Metadata(ZarrV3Codec.Default) with { ChunkKeyEncoding = ZarrChunkKeyEncoding.V2 });
        Assert.Equal("a/1.1", array.GetChunkKey([1, 1]));
        ZarrArray slash = ZarrArray.Create(_temp.Store, "b", Metadata(ZarrV3Codec.Default) with { ChunkKeyEncoding = ZarrChunkKeyEncoding.V2, DimensionSeparator = '/' });
        Assert.Equal("b/1/1", slash.GetChunkKey([1, 1]));
        Assert.Equal("b/1/1", ZarrArray.Open(_temp.Store, "b").GetChunkKey([1, 1]));
    }

    [Theory]
    [InlineData("\"0x3f800000\"", 0x3f800000)]
    [InlineData("\"0x7fc00001\"", 0x7fc00000)] // a NaN payload is not kept: the canonical quiet NaN
    [InlineData("\"-Infinity\"", unchecked((int)0xff800000))]
    [InlineData("2.5", 0x40200000)]
    public void MissingChunksReadAsTheFillValue(string fill, int bits)
    {
        _temp.Store.Set("f/zarr.json", Encoding.UTF8.GetBytes("""
            {"zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "float32",
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
             "chunk_key_encoding": {"name": "default"}, "fill_value": FILL,
             "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}
            """.Replace("FILL", fill, StringComparison.Ordinal)));
        var values = new float[4];
        ZarrArray.Open(_temp.Store, "f").ReadRegion<float>([0], [4], values);
        Assert.All(values, v => Assert.Equal(bits, BitConverter.SingleToInt32Bits(v)));
    }

    [Fact]
    public void Crc32cMatchesTheCastagnoliCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32cCodec.Compute("123456789"u8));
        Assert.Equal(0u, Crc32cCodec.Compute([]));
    }

    [Fact]
    public void GroupsInV3HoldAttributesAndListChildren()
    {
        ZarrGroup root = ZarrGroup.Create(_temp.Store, "", new JsonObject { ["ome"] = new JsonObject { ["version"] = "0.5" } }, zarrFormat: 3);
        ZarrGroup child = root.CreateGroup("A");
        Assert.Equal(3, child.ZarrFormat);
        root.CreateArray("0", Metadata(ZarrV3Codec.Default));
        ZarrGroup opened = ZarrGroup.Open(_temp.Store);
        Assert.Equal(3, opened.ZarrFormat);
        Assert.Equal("0.5", (string)opened.ReadAttributes()["ome"]!["version"]!);
        Assert.Equal(["0"], opened.ListArrays());
        Assert.Equal(["A"], opened.ListGroups());
        Assert.Throws<NotSupportedException>(opened.WriteConsolidatedMetadata);
        Assert.Equal("""{"zarr_format":3,"node_type":"group","attributes":{}}""",
            JsonNode.Parse(File.ReadAllText(Path.Combine(_temp.Root, "A", "zarr.json")))!.ToJsonString());
    }

    [Theory]
    [InlineData(ShardIndexLocation.End, false)]
    [InlineData(ShardIndexLocation.Start, false)]
    [InlineData(ShardIndexLocation.End, true)]
    public void ShardsRoundTripAndLeaveEmptyInnerChunksOut(ShardIndexLocation location, bool contiguousInner)
    {
        // A 3-D array: shards of [4, 8, 6]; inner chunks either whole planes (contiguous runs) or 2×4×3 blocks.
        int[] inner = contiguousInner ? [1, 8, 6] : [2, 4, 3];
        var sharding = new ShardingCodec(inner, ZarrV3Codec.Compressed(new ZstdCodec(1)), IndexLocation: location);
        var metadata = new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = [6, 16, 9],
            Chunks = [4, 8, 6],
            DataType = ZarrDataType.Int32,
            FillValue = ZarrFillValue.FromInteger(-1),
            Codecs = [sharding],
        };
        ZarrArray array = ZarrArray.Create(_temp.Store, "s", metadata);
        byte[] values = ElementPattern.Bytes(ZarrDataType.Int32, 6 * 16 * 9);
        // Leave the first two planes unwritten: they read as the fill value and their inner chunks are not stored.
        array.WriteRegion([2, 0, 0], [4, 16, 9], values.AsSpan(2 * 16 * 9 * 4).ToArray());

        var back = new int[6 * 16 * 9];
        ZarrArray.Open(_temp.Store, "s").ReadRegion<int>([0, 0, 0], [6, 16, 9], back);
        for (int i = 0; i < back.Length; i++)
        {
            int expected = i < 2 * 16 * 9 ? -1 : BinaryPrimitives.ReadInt32LittleEndian(values.AsSpan(i * 4));
            Assert.Equal(expected, back[i]);
        }

        // Shard [0, 0, 0]: 16 (or 8) inner chunks; those covering planes 0-1 are missing (2^64-1, 2^64-1).
        byte[] shard = File.ReadAllBytes(Path.Combine(_temp.Root, "s", "c", "0", "0", "0"));
        int count = 4 / inner[0] * (8 / inner[1]) * (6 / inner[2]);
        int indexLength = (count * 16) + 4;
        ReadOnlySpan<byte> index = location == ShardIndexLocation.Start ? shard.AsSpan(0, indexLength) : shard.AsSpan(shard.Length - indexLength);
        Assert.Equal(Crc32cCodec.Compute(index[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(index[^4..]));
        int missing = 0;
        for (int n = 0; n < count; n++)
        {
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(index[(n * 16)..]);
            ulong nbytes = BinaryPrimitives.ReadUInt64LittleEndian(index[((n * 16) + 8)..]);
            if (offset == ulong.MaxValue)
            {
                Assert.Equal(ulong.MaxValue, nbytes);
                missing++;
            }
        }

        Assert.Equal(count / 2, missing);
    }

    [Theory]
    [InlineData(ShardIndexLocation.End, true)]
    [InlineData(ShardIndexLocation.Start, false)]
    public void PartialReadsOfShardsDecodeOnlyWhatTheyNeedAndMatchWholeReads(ShardIndexLocation location, bool contiguousInner)
    {
        int[] inner = contiguousInner ? [1, 8, 6] : [2, 4, 3];
        ZarrArray array = ZarrArray.Create(_temp.Store, "p", new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = [10, 16, 9],
            Chunks = [4, 8, 6],
            DataType = ZarrDataType.UInt16,
            FillValue = ZarrFillValue.FromInteger(9),
            Codecs = [new ShardingCodec(inner, ZarrV3Codec.Compressed(new BloscCodec()), IndexLocation: location)],
        });
        // Planes 0-1 unwritten (missing inner chunks), planes 8-9 unwritten (missing edge shards).
        array.WriteRegion<ushort>([2, 0, 0], [6, 16, 9], [.. Enumerable.Range(0, 6 * 16 * 9).Select(i => (ushort)(i * 7))]);
        // What every element must be, from what was written (not from another read).
        var whole = new ushort[10 * 16 * 9];
        for (int i = 0; i < whole.Length; i++)
        {
            int z = i / (16 * 9);
            whole[i] = z is >= 2 and < 8 ? (ushort)((i - (2 * 16 * 9)) * 7) : (ushort)9;
        }

        var all = new ushort[whole.Length];
        array.ReadRegion<ushort>([0, 0, 0], [10, 16, 9], all);
        Assert.Equal(whole, all);
        (long[] Start, long[] Shape)[] regions = [([3, 0, 0], [1, 16, 9]), ([1, 5, 2], [8, 7, 6]), ([0, 0, 0], [2, 16, 9]), ([7, 3, 4], [3, 13, 5])];
        foreach (var (start, shape) in regions)
        {
            var part = new ushort[shape[0] * shape[1] * shape[2]];
            array.ReadRegion<ushort>(start, shape, part);
            int n = 0;
            for (long z = start[0]; z < start[0] + shape[0]; z++)
            {
                for (long y = start[1]; y < start[1] + shape[1]; y++)
                {
                    for (long x = start[2]; x < start[2] + shape[2]; x++)
                    {
                        Assert.Equal(whole[(((z * 16) + y) * 9) + x], part[n++]);
                    }
                }
            }
        }

        // The whole-shard path (ReadChunk) agrees with the region path.
        var shard = new byte[4 * 8 * 6 * 2];
        Assert.True(array.ReadChunk([1, 0, 0], shard));
        Assert.Equal(whole[(4 * 16 * 9) + 5], BitConverter.ToUInt16(shard, ((0 * 8 * 6) + 5) * 2));
    }

    [Fact]
    public void AShardOfOnlyFillValueIsStillWrittenWithAnAllMissingIndex()
    {
        var metadata = new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = [4, 4],
            Chunks = [4, 4],
            DataType = ZarrDataType.UInt8,
            Codecs = [new ShardingCodec([2, 2], ZarrV3Codec.Default)],
        };
        ZarrArray array = ZarrArray.Create(_temp.Store, "e", metadata);
        array.WriteRegion([0, 0], [4, 4], new byte[16]);
        byte[] shard = File.ReadAllBytes(Path.Combine(_temp.Root, "e", "c", "0", "0"));
        Assert.Equal((4 * 16) + 4, shard.Length);
        Assert.All(shard.AsSpan(0, 64).ToArray(), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void V2ArraysStillOpenThroughTheSameApi()
    {
        ZarrArray.Create(_temp.Store, "v2", new ZarrArrayMetadata { Shape = [4], Chunks = [2], DataType = ZarrDataType.UInt8 });
        Assert.Equal(2, ZarrArray.Open(_temp.Store, "v2").ZarrFormat);
        Assert.Equal("v2/.zarray", ZarrArray.Open(_temp.Store, "v2").MetadataKey);
    }

    internal static ZarrArrayMetadata Metadata(IReadOnlyList<ZarrV3Codec> codecs) => new()
    {
        ZarrFormat = 3,
        Shape = [37, 23],
        Chunks = [20, 12],
        DataType = ZarrDataType.UInt16,
        Codecs = codecs,
    };
}
