using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>
/// We write every codec × dtype × separator × edge-chunk combination (plus multi-block blosc frames); zarr-python
/// (Debian's python3-zarr, one process for the whole class) must decode identical values.
/// </summary>
public sealed class ZarrPythonReadsOursTests(ZarrPythonReadsOursTests.Fixture fixture) : IClassFixture<ZarrPythonReadsOursTests.Fixture>
{
    private static readonly (string Name, Func<IZarrCodec?> Create)[] Codecs = BuildCodecs();

    private static readonly ZarrDataType[] DataTypes =
    [
        ZarrDataType.UInt8, ZarrDataType.Int8, ZarrDataType.UInt16, ZarrDataType.Int16, ZarrDataType.UInt32,
        ZarrDataType.Int32, ZarrDataType.UInt64, ZarrDataType.Int64, ZarrDataType.Float32, ZarrDataType.Float64,
    ];

    public static TheoryData<string> CaseNames => [.. AllCases().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ZarrPythonDecodesIdenticalValues(string name)
    {
        ExternalTool.ZarrPython.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        Assert.True(fixture.Results!.TryGetValue(name, out string? result), $"zarr-python did not report on '{name}'.");
        Assert.Equal("ok", result);
        byte[] decoded = File.ReadAllBytes(Path.Combine(fixture.Temp.Root, name + ".bin"));
        Assert.Equal(fixture.Expected[name], decoded);
    }

    [Fact]
    public void ZarrPythonReadsConsolidatedMetadataAndAttributes()
    {
        ExternalTool.ZarrPython.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        JsonObject consolidated = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Temp.Root, "consolidated.json")))!.AsObject();
        var arrays = consolidated["arrays"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(AllCases().Select(c => c.Name).Order(StringComparer.Ordinal).ToArray(), arrays);
        Assert.Equal("conformance", consolidated["attrs"]!["title"]!.GetValue<string>());
        Assert.Equal(3, consolidated["attrs"]!["nested"]!["list"]!.AsArray().Count);
    }

    internal sealed record Case(string Name, string Codec, ZarrDataType DataType, char Separator, bool Edge, long[] Shape, int[] Chunks, ZarrOrder Order = ZarrOrder.C);

    internal static IEnumerable<Case> AllCases()
    {
        foreach (var (codec, _) in Codecs)
        {
            foreach (ZarrDataType type in DataTypes)
            {
                foreach (char separator in new[] { '.', '/' })
                {
                    foreach (bool edge in new[] { true, false })
                    {
                        string name = $"{codec}_{type.NumpyName}_{(separator == '.' ? "dot" : "slash")}_{(edge ? "edge" : "even")}";
                        yield return new Case(name, codec, type, separator, edge, edge ? [37, 23] : [40, 24], [20, 12]);
                    }
                }
            }
        }

        // F order and big endian, which we also write (3-D so the transposition is not trivial).
        foreach (string codec in new[] { "none", "blosc-lz4-s1", "zstd" })
        {
            foreach (string dtype in new[] { "<u2", ">u2", ">i4", ">f8", "|u1", "<f4" })
            {
                ZarrDataType type = ZarrDataType.Parse(dtype);
                string t = dtype.Replace('<', 'l').Replace('>', 'b').Replace('|', 'n');
                yield return new Case($"{codec}_{t}_F", codec, type, '.', true, [5, 37, 23], [2, 20, 12], ZarrOrder.F);
                yield return new Case($"{codec}_{t}_C3d", codec, type, '/', true, [5, 37, 23], [2, 20, 12]);
            }
        }

        // Multi-block frames with a leftover block: clevel 1 keeps blocks small; 250×250 chunks make the leftover.
        foreach (string cname in new[] { "lz4", "lz4hc", "zstd", "zlib", "blosclz" })
        {
            foreach (int shuffle in new[] { 0, 1, 2 })
            {
                foreach (ZarrDataType type in new[] { ZarrDataType.UInt8, ZarrDataType.UInt16, ZarrDataType.Float64 })
                {
                    yield return new Case($"large_blosc-{cname}-c1-s{shuffle}_{type.NumpyName}", $"blosc-{cname}-c1-s{shuffle}", type, '.', true, [260, 255], [250, 250]);
                }
            }
        }
    }

    internal static IZarrCodec? CreateCodec(string name)
    {
        foreach (var (n, create) in Codecs)
        {
            if (n == name)
            {
                return create();
            }
        }

        // "blosc-<cname>-c<level>-s<shuffle>" for the large cases.
        string[] parts = name.Split('-');
        return new BloscCodec(ParseCname(parts[1]), int.Parse(parts[2][1..], System.Globalization.CultureInfo.InvariantCulture), (BloscShuffle)int.Parse(parts[3][1..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static BloscCompressor ParseCname(string cname) => cname switch
    {
        "lz4" => BloscCompressor.LZ4,
        "lz4hc" => BloscCompressor.LZ4HC,
        "zstd" => BloscCompressor.Zstd,
        "zlib" => BloscCompressor.Zlib,
        _ => BloscCompressor.BloscLZ,
    };

    private static (string, Func<IZarrCodec?>)[] BuildCodecs()
    {
        var list = new List<(string, Func<IZarrCodec?>)>
        {
            ("none", () => null),
            ("zstd", () => new ZstdCodec(3)),
            ("gzip", () => new GzipCodec(5)),
            ("zlib", () => new ZlibCodec(5)),
            ("lz4", () => new Lz4Codec(1)),
        };
        foreach (string cname in new[] { "lz4", "lz4hc", "zstd", "zlib", "blosclz" })
        {
            foreach (int shuffle in new[] { 0, 1, 2 })
            {
                list.Add(($"blosc-{cname}-s{shuffle}", () => new BloscCodec(ParseCname(cname), 5, (BloscShuffle)shuffle)));
            }
        }

        list.Add(("blosc-lz4-auto", () => new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.Auto)));
        list.Add(("blosc-lz4-c0", () => new BloscCodec(BloscCompressor.LZ4, 0, BloscShuffle.ByteShuffle)));
        list.Add(("blosc-zstd-c9-b256", () => new BloscCodec(BloscCompressor.Zstd, 9, BloscShuffle.ByteShuffle, blockSize: 256)));
        return [.. list];
    }

    public sealed class Fixture : IDisposable
    {
        private const string Script = """
            import json, sys, zarr, numpy as np
            root = sys.argv[1]
            names = json.load(open(root + '/manifest.json'))
            results = {}
            for name in names:
                try:
                    a = zarr.open_array(root + '/' + name, mode='r')
                    data = a[...]
                    np.ascontiguousarray(data.astype(data.dtype.newbyteorder('<'))).tofile(root + '/' + name + '.bin')
                    results[name] = 'ok'
                except Exception as e:
                    results[name] = repr(e)
            json.dump(results, open(root + '/results.json', 'w'))
            g = zarr.open_consolidated(root, mode='r')
            json.dump({'arrays': sorted(g.array_keys()), 'attrs': g.attrs.asdict()}, open(root + '/consolidated.json', 'w'))
            """;

        public Fixture()
        {
            var root = ZarrGroup.Create(Temp.Store, "", new JsonObject
            {
                ["title"] = "conformance",
                ["nested"] = new JsonObject { ["list"] = new JsonArray(1, 2.5, "three") },
            });
            var names = new List<string>();
            foreach (Case c in AllCases())
            {
                var metadata = new ZarrArrayMetadata
                {
                    Shape = c.Shape,
                    Chunks = c.Chunks,
                    DataType = c.DataType,
                    Compressor = CreateCodec(c.Codec),
                    DimensionSeparator = c.Separator,
                    FillValue = ZarrFillValue.Zero,
                    Order = c.Order,
                };
                ZarrArray array = root.CreateArray(c.Name, metadata);
                byte[] values = ElementPattern.Bytes(c.DataType, c.Shape.Aggregate(1L, (a, b) => a * b));
                array.WriteRegion(new long[c.Shape.Length], c.Shape, values);
                Expected[c.Name] = values;
                names.Add(c.Name);
            }

            root.WriteConsolidatedMetadata();
            File.WriteAllText(Path.Combine(Temp.Root, "manifest.json"), JsonSerializer.Serialize(names));
            if (ExternalTool.ZarrPython.UnavailableReason is not null)
            {
                return;
            }

            string script = Path.Combine(Temp.Root, "read.py");
            File.WriteAllText(script, Script);
            var (code, _, stderr) = ExternalTool.ZarrPython.Run([script, Temp.Root], Temp.Root, TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                ScriptFailure = $"zarr-python exited with {code}: {stderr}";
                return;
            }

            Results = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(Temp.Root, "results.json")));
        }

        public TempStore Temp { get; } = new();

        public Dictionary<string, byte[]> Expected { get; } = [];

        public Dictionary<string, string>? Results { get; }

        public string? ScriptFailure { get; }

        public void Dispose() => Temp.Dispose();
    }
}
