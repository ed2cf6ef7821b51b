using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>
/// zarrita (JavaScript, npm) under node reads what we write, through our consolidated metadata: blosc with each
/// shuffle, zstd, gzip, zlib, lz4, "/" separators and edge chunks. One node process for the class.
/// </summary>
public sealed class ZarritaReadsOursTests(ZarritaReadsOursTests.Fixture fixture) : IClassFixture<ZarritaReadsOursTests.Fixture>
{
    private static readonly (string Name, ZarrDataType Type, IZarrCodec? Codec, char Separator)[] Cases =
    [
        ("blosc_lz4_shuffle_u2", ZarrDataType.UInt16, new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle), '.'),
        ("blosc_zstd_bitshuffle_f4", ZarrDataType.Float32, new BloscCodec(BloscCompressor.Zstd, 3, BloscShuffle.BitShuffle), '/'),
        ("blosc_blosclz_noshuffle_i2", ZarrDataType.Int16, new BloscCodec(BloscCompressor.BloscLZ, 5, BloscShuffle.NoShuffle), '.'),
        ("blosc_zlib_auto_u1", ZarrDataType.UInt8, new BloscCodec(BloscCompressor.Zlib, 5, BloscShuffle.Auto), '/'),
        ("zstd_u4", ZarrDataType.UInt32, new ZstdCodec(3), '.'),
        ("gzip_f8", ZarrDataType.Float64, new GzipCodec(5), '/'),
        ("zlib_i4", ZarrDataType.Int32, new ZlibCodec(5), '.'),
        ("lz4_u2", ZarrDataType.UInt16, new Lz4Codec(), '.'),
        ("raw_i1", ZarrDataType.Int8, null, '/'),
    ];

    public static TheoryData<string> CaseNames => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ZarritaDecodesIdenticalValues(string name)
    {
        fixture.Node.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        JsonNode result = fixture.Results!["arrays"]![name]!;
        Assert.Null(result["error"]);
        Assert.Equal("[37,23]", result["shape"]!.ToJsonString());
        Assert.Equal(fixture.Expected[name], File.ReadAllBytes(Path.Combine(fixture.Temp.Root, name + ".zarrita.bin")));
    }

    [Fact]
    public void ZarritaListsOurConsolidatedMetadataAndAttributes()
    {
        fixture.Node.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        string[] contents = [.. fixture.Results!["contents"]!.AsArray().Select(n => n!.GetValue<string>())];
        Assert.Contains("group:/", contents);
        foreach (var c in Cases)
        {
            Assert.Contains($"array:/{c.Name}", contents);
        }

        Assert.Equal("navigate", fixture.Results["rootAttributes"]!["writer"]!.GetValue<string>());
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            string? folder = FindNodeFolder();
            Node = new ExternalTool(
                "/usr/bin/node",
                ["-e", $"require('fs').accessSync({JsonSerializer.Serialize(Path.Combine(folder ?? "/nonexistent", "node_modules", "zarrita", "package.json"))})"],
                "zarrita under node (.ci/install.d/zarrita.sh: npm ci in tests/Navigate.Plugins.OmeZarr.Tests/node)");
            var root = ZarrGroup.Create(Temp.Store, "", new JsonObject { ["writer"] = "navigate" });
            foreach (var c in Cases)
            {
                ZarrArray array = root.CreateArray(c.Name, new ZarrArrayMetadata
                {
                    Shape = [37, 23],
                    Chunks = [20, 12],
                    DataType = c.Type,
                    Compressor = c.Codec,
                    DimensionSeparator = c.Separator,
                });
                byte[] values = ElementPattern.Bytes(c.Type, 37 * 23);
                array.WriteRegion([0, 0], [37, 23], values);
                Expected[c.Name] = values;
            }

            root.WriteConsolidatedMetadata();
            if (folder is null || Node.UnavailableReason is not null)
            {
                return;
            }

            string manifest = Path.Combine(Temp.Root, "manifest.json");
            File.WriteAllText(manifest, JsonSerializer.Serialize(Cases.Select(c => c.Name)));
            var (code, _, stderr) = Node.Run([Path.Combine(folder, "read.mjs"), Temp.Root, manifest], folder, TimeSpan.FromMinutes(2));
            if (code != 0)
            {
                ScriptFailure = $"node exited with {code}: {stderr}";
                return;
            }

            Results = JsonNode.Parse(File.ReadAllText(Path.Combine(Temp.Root, "zarrita-results.json")));
        }

        public ExternalTool Node { get; }

        public TempStore Temp { get; } = new();

        public Dictionary<string, byte[]> Expected { get; } = [];

        public JsonNode? Results { get; }

        public string? ScriptFailure { get; }

        public void Dispose() => Temp.Dispose();

        private static string? FindNodeFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "Navigate.Plugins.OmeZarr.Tests", "node");
                if (File.Exists(Path.Combine(candidate, "read.mjs")))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
