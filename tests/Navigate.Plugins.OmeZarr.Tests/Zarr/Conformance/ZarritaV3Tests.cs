using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Tests.Zarr.V3;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>
/// Zarr v3 both ways with zarrita 0.7.5 under node: it reads every v3 variant we write (each codec pipeline, data
/// types, sharded with each inner pipeline, index at the end and the start, empty inner chunks, edge shards) and its
/// decoded values must equal ours; and we read the v3 arrays zarrita writes. Two node processes for the class.
/// </summary>
public sealed class ZarritaV3Tests(ZarritaV3Tests.Fixture fixture) : IClassFixture<ZarritaV3Tests.Fixture>
{
    public static TheoryData<string> OurCaseNames => [.. Fixture.OurCases().Select(c => c.Name), .. Fixture.DatasetArrays];

    public static TheoryData<string> TheirCaseNames => [.. Fixture.TheirCases.Select(c => (string)c["name"]!)];

    [Theory]
    [MemberData(nameof(OurCaseNames))]
    public void ZarritaDecodesIdenticalValues(string name)
    {
        fixture.Node.RequireOrSkip();
        Assert.True(fixture.ScriptFailure is null, fixture.ScriptFailure);
        JsonNode result = fixture.Results!["read"]![name]!;
        Assert.Null(result["error"]);
        Assert.Equal(JsonSerializer.Serialize(fixture.Shapes[name]), result["shape"]!.ToJsonString());
        Assert.Equal(fixture.Expected[name], File.ReadAllBytes(Path.Combine(fixture.Ours.Root, name + ".zarrita.bin")));
    }

    [Theory]
    [MemberData(nameof(TheirCaseNames))]
    public void WeReadWhatZarritaWrites(string name)
    {
        fixture.Node.RequireOrSkip();
        Assert.True(fixture.ScriptFailure is null, fixture.ScriptFailure);
        ZarrArray array = ZarrArray.Open(fixture.Theirs.Store, name);
        Assert.Equal(3, array.ZarrFormat);
        Assert.Equal(name, (string)array.ReadAttributes()["case"]!);
        byte[] expected = File.ReadAllBytes(Path.Combine(fixture.Theirs.Root, name + ".input.bin"));
        var back = new byte[expected.Length];
        array.ReadRegion(new long[array.Rank], [.. array.Shape], back);
        Assert.Equal(expected, back);
        Assert.Equal("zarrita", (string)ZarrGroup.Open(fixture.Theirs.Store).ReadAttributes()["writer"]!);
    }

    public sealed class Fixture : IDisposable
    {
        internal static readonly JsonObject[] TheirCases =
        [
            Case("their_bytes_u2", "uint16", """[{"name": "bytes", "configuration": {"endian": "little"}}]""", "0"),
            Case("their_bytes_big_i4", "int32", """[{"name": "bytes", "configuration": {"endian": "big"}}]""", "-5"),
            Case("their_transpose_f4", "float32", """[{"name": "transpose", "configuration": {"order": [1, 0]}}, {"name": "bytes", "configuration": {"endian": "little"}}]""", "0"),
            Case("their_blosc_u2", "uint16", """[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle", "typesize": 2, "blocksize": 0}}]""", "0"),
            Case("their_blosc_zstd_bitshuffle_f8", "float64", """[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 3, "shuffle": "bitshuffle", "typesize": 8, "blocksize": 0}}]""", "0"),
            Case("their_zstd_i8", "int64", """[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "zstd", "configuration": {"level": 3, "checksum": false}}]""", "0"),
            // zarrita 0.7.5 cannot encode gzip or crc32c (it decodes them: see ZarritaDecodesIdenticalValues).
            Case("their_blosc_zlib_noshuffle_u1", "uint8", """[{"name": "bytes"}, {"name": "blosc", "configuration": {"cname": "zlib", "clevel": 5, "shuffle": "noshuffle", "blocksize": 0}}]""", "3"),
        ];

        public Fixture()
        {
            string? folder = FindNodeFolder();
            Node = new ExternalTool(
                "/usr/bin/node",
                ["-e", $"require('fs').accessSync({JsonSerializer.Serialize(Path.Combine(folder ?? "/nonexistent", "node_modules", "zarrita", "package.json"))})"],
                "zarrita under node (.ci/install.d/zarrita.sh: npm ci in tests/Navigate.Plugins.OmeZarr.Tests/node)");

            ZarrGroup.Create(Ours.Store, "", new JsonObject { ["writer"] = "navigate" }, zarrFormat: 3);
            foreach (var (name, metadata, unwritten) in OurCases())
            {
                ZarrArray array = ZarrArray.Create(Ours.Store, name, metadata);
                long count = metadata.Shape.Aggregate(1L, (a, s) => a * s);
                byte[] values = ElementPattern.Bytes(metadata.DataType, count);
                long planeElements = count / metadata.Shape[0];
                int skip = (int)(unwritten * planeElements * metadata.DataType.ItemSize);
                values.AsSpan(0, skip).Clear(); // the fill value (0) where nothing is written
                long[] start = new long[metadata.Rank];
                start[0] = unwritten;
                long[] shape = [.. metadata.Shape];
                shape[0] -= unwritten;
                array.WriteRegion(start, shape, values.AsSpan(skip).ToArray());
                Expected[name] = values;
                Shapes[name] = [.. metadata.Shape];
            }

            // A dataset as the data source writes it (HCS, sharded, 2 levels): zarrita reads its level arrays.
            string dataset = Path.Combine(Ours.Root, "ds.ome.zarr");
            OmeZarrV3DataSourceTests.Write(dataset, OmeZarrV3DataSourceTests.V3Settings());
            foreach (string name in DatasetArrays)
            {
                ZarrArray array = ZarrArray.Open(Ours.Store, name);
                byte[] values = new byte[array.Shape.Aggregate(1L, (a, b) => a * b) * array.DataType.ItemSize];
                array.ReadRegion(new long[array.Rank], [.. array.Shape], values);
                Assert.Contains(values, b => b != 0);
                Expected[name] = values;
                Shapes[name] = [.. array.Shape];
            }

            if (folder is null || Node.UnavailableReason is not null)
            {
                return;
            }

            string manifest = Path.Combine(Ours.Root, "manifest.json");
            File.WriteAllText(manifest, JsonSerializer.Serialize(Expected.Keys));
            var (code, _, stderr) = Node.Run([Path.Combine(folder, "v3.mjs"), "read", Ours.Root, manifest], folder, TimeSpan.FromMinutes(2));
            if (code != 0)
            {
                ScriptFailure = $"node v3.mjs read exited with {code}: {stderr}";
                return;
            }

            foreach (JsonObject c in TheirCases)
            {
                var type = ZarrV3MetadataJsonNames.Parse((string)c["dtype"]!);
                File.WriteAllBytes(Path.Combine(Theirs.Root, (string)c["name"]! + ".input.bin"), ElementPattern.Bytes(type, 29 * 17));
            }

            string cases = Path.Combine(Theirs.Root, "cases.json");
            File.WriteAllText(cases, new JsonArray([.. TheirCases.Select(c => c.DeepClone())]).ToJsonString());
            (code, _, stderr) = Node.Run([Path.Combine(folder, "v3.mjs"), "write", Theirs.Root, cases], folder, TimeSpan.FromMinutes(2));
            if (code != 0)
            {
                ScriptFailure = $"node v3.mjs write exited with {code}: {stderr}";
                return;
            }

            Results = new JsonObject { ["read"] = JsonNode.Parse(File.ReadAllText(Path.Combine(Ours.Root, "zarrita-v3-results.json"))) };
        }

        internal static string[] DatasetArrays { get; } = ["ds.ome.zarr/A/1/0/0", "ds.ome.zarr/A/1/1/1"];

        public ExternalTool Node { get; }

        public TempStore Ours { get; } = new();

        public TempStore Theirs { get; } = new();

        public Dictionary<string, byte[]> Expected { get; } = [];

        public Dictionary<string, long[]> Shapes { get; } = [];

        public JsonNode? Results { get; }

        public string? ScriptFailure { get; }

        /// <summary>Our variants: name, metadata, and how many leading index-0 slices stay unwritten (fill value).</summary>
        internal static IEnumerable<(string Name, ZarrArrayMetadata Metadata, int Unwritten)> OurCases()
        {
            foreach (var (name, codecs) in ZarrV3ArrayTests.Pipelines)
            {
                yield return ("p_" + name, ZarrV3ArrayTests.Metadata(codecs), 0);
            }

            foreach (ZarrDataType type in new[] { ZarrDataType.UInt8, ZarrDataType.Int8, ZarrDataType.Int16, ZarrDataType.UInt32, ZarrDataType.Int32, ZarrDataType.UInt64, ZarrDataType.Int64, ZarrDataType.Float32, ZarrDataType.Float64 })
            {
                yield return ("t_" + type.NumpyName, ZarrV3ArrayTests.Metadata(ZarrV3Codec.Compressed(new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle))) with { DataType = type }, 0);
            }

            yield return ("k_v2_dot", ZarrV3ArrayTests.Metadata(ZarrV3Codec.Default) with { ChunkKeyEncoding = ZarrChunkKeyEncoding.V2 }, 0);

            var inner = new Dictionary<string, IReadOnlyList<ZarrV3Codec>>
            {
                ["bytes"] = ZarrV3Codec.Default,
                ["blosc"] = ZarrV3Codec.Compressed(new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle)),
                ["zstd"] = ZarrV3Codec.Compressed(new ZstdCodec(1)),
                ["gzip"] = ZarrV3Codec.Compressed(new GzipCodec(1)),
                ["zstd_crc32c"] = [BytesCodec.Little, new CompressionCodec(new ZstdCodec(1)), new CompressionCodec(Crc32cCodec.Instance)],
            };
            foreach (var (innerName, codecs) in inner)
            {
                foreach (ShardIndexLocation location in new[] { ShardIndexLocation.End, ShardIndexLocation.Start })
                {
                    // navigate's layout scaled down: TCZYX, shards of 16 planes, inner chunks of 4; edge shards in Z, Y and X;
                    // the first 5 planes are never written (missing inner chunks and a partly empty shard).
                    yield return ($"s_{innerName}_{location.ToString().ToLowerInvariant()}", new ZarrArrayMetadata
                    {
                        ZarrFormat = 3,
                        Shape = [1, 1, 40, 70, 50],
                        Chunks = [1, 1, 16, 32, 32],
                        DataType = ZarrDataType.UInt16,
                        Codecs = [new ShardingCodec([1, 1, 4, 32, 32], codecs, IndexLocation: location)],
                        DimensionNames = ["t", "c", "z", "y", "x"],
                    }, 0);
                }
            }

            yield return ("s_index_big_endian_no_crc", new ZarrArrayMetadata
            {
                ZarrFormat = 3,
                Shape = [30, 20],
                Chunks = [10, 20],
                DataType = ZarrDataType.Float32,
                Codecs = [new ShardingCodec([5, 4], ZarrV3Codec.Default, [new BytesCodec(ZarrByteOrder.BigEndian)])],
            }, 3);
            yield return ("s_transposed_inner", new ZarrArrayMetadata
            {
                ZarrFormat = 3,
                Shape = [12, 10],
                Chunks = [6, 10],
                DataType = ZarrDataType.Int16,
                Codecs = [new ShardingCodec([3, 5], [new TransposeCodec([1, 0]), BytesCodec.Little, new CompressionCodec(new GzipCodec(1))])],
            }, 2);
        }

        public void Dispose()
        {
            Ours.Dispose();
            Theirs.Dispose();
        }

        private static JsonObject Case(string name, string dtype, string codecs, string fill) => new()
        {
            ["name"] = name,
            ["dtype"] = dtype,
            ["shape"] = new JsonArray(29, 17),
            ["chunk_shape"] = new JsonArray(10, 8),
            ["codecs"] = JsonNode.Parse(codecs),
            ["fill_value"] = JsonNode.Parse(fill),
        };

        private static string? FindNodeFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "Navigate.Plugins.OmeZarr.Tests", "node");
                if (File.Exists(Path.Combine(candidate, "v3.mjs")))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}

/// <summary>v3 data type names for the test (the engine's parser is internal).</summary>
internal static class ZarrV3MetadataJsonNames
{
    public static ZarrDataType Parse(string name) =>
        new[] { ZarrDataType.UInt8, ZarrDataType.Int8, ZarrDataType.UInt16, ZarrDataType.Int16, ZarrDataType.UInt32, ZarrDataType.Int32, ZarrDataType.UInt64, ZarrDataType.Int64, ZarrDataType.Float32, ZarrDataType.Float64 }
            .Single(t => t.NumpyName == name);
}
