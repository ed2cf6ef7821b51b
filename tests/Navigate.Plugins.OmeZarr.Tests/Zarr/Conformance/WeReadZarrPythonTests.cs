using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>
/// zarr-python writes arrays during the test (every codec numcodecs has that we support, F order, big endian, fill
/// values with missing chunks, "/" separators, multi-block blosc frames) in one process; we must read identical values.
/// </summary>
public sealed class WeReadZarrPythonTests(WeReadZarrPythonTests.Fixture fixture) : IClassFixture<WeReadZarrPythonTests.Fixture>
{
    public static TheoryData<string> CaseNames => [.. AllCases().Select(c => c["name"]!.GetValue<string>())];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void WeReadIdenticalValues(string name)
    {
        ExternalTool.ZarrPython.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        ZarrArray array = ZarrArray.Open(fixture.Temp.Store, name);
        AssertMatchesPython(array, name);
    }

    [Fact]
    public void WeOpenEveryArrayFromZarrPythonsConsolidatedMetadata()
    {
        ExternalTool.ZarrPython.RequireOrSkip();
        Assert.Null(fixture.ScriptFailure);
        IReadOnlyDictionary<string, JsonObject> documents = ZarrConsolidatedMetadata.TryRead(fixture.Temp.Store)!;
        Assert.Equal("python", documents[".zattrs"]["writer"]!.GetValue<string>());
        Assert.True(documents.ContainsKey(".zgroup"));
        foreach (string name in AllCases().Select(c => c["name"]!.GetValue<string>()))
        {
            ZarrArray array = ZarrArray.Open(fixture.Temp.Store, name, documents[name + "/.zarray"]);
            AssertMatchesPython(array, name);
        }
    }

    private void AssertMatchesPython(ZarrArray array, string name)
    {
        byte[] expected = File.ReadAllBytes(Path.Combine(fixture.Temp.Root, name + ".bin"));
        byte[] actual = new byte[expected.Length];
        long[] start = new long[array.Rank];
        array.ReadRegion(start, [.. array.Shape], actual);
        Assert.Equal(expected, actual);

        // A region across chunk borders, not starting at the origin.
        long[] shape = [.. array.Shape];
        long[] from = [.. shape.Select(s => s / 3)];
        long[] size = [.. shape.Select(s => s - (s / 3) - (s / 5))];
        int item = array.DataType.ItemSize;
        byte[] part = new byte[size.Aggregate(1L, (a, b) => a * b) * item];
        array.ReadRegion(from, size, part);
        long[] index = new long[shape.Length];
        for (long k = 0; k < part.Length / item; k++)
        {
            long rest = k;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = (rest % size[d]) + from[d];
                rest /= size[d];
            }

            long flat = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                flat = (flat * shape[d]) + index[d];
            }

            Assert.True(
                expected.AsSpan((int)(flat * item), item).SequenceEqual(part.AsSpan((int)(k * item), item)),
                $"element {string.Join(",", index)} differs in the partial read");
        }
    }

    internal static IEnumerable<JsonObject> AllCases()
    {
        static JsonObject Case(string name, string dtype, JsonNode? compressor, long[]? shape = null, int[]? chunks = null,
            string order = "C", JsonNode? fill = null, string separator = ".", bool partial = false) => new()
        {
            ["name"] = name,
            ["dtype"] = dtype,
            ["compressor"] = compressor?.DeepClone(),
            ["shape"] = new JsonArray([.. (shape ?? [37, 23]).Select(s => (JsonNode)s)]),
            ["chunks"] = new JsonArray([.. (chunks ?? [10, 7]).Select(s => (JsonNode)s)]),
            ["order"] = order,
            ["fill_value"] = fill?.DeepClone() ?? 0,
            ["separator"] = separator,
            ["partial"] = partial,
        };

        static JsonObject Blosc(string cname, int clevel, int shuffle, int blocksize = 0) =>
            new() { ["id"] = "blosc", ["cname"] = cname, ["clevel"] = clevel, ["shuffle"] = shuffle, ["blocksize"] = blocksize };

        var compressors = new List<(string, JsonNode?)>
        {
            ("none", null),
            ("zstd-1", new JsonObject { ["id"] = "zstd", ["level"] = 1 }),
            ("zstd-9", new JsonObject { ["id"] = "zstd", ["level"] = 9 }),
            ("gzip-1", new JsonObject { ["id"] = "gzip", ["level"] = 1 }),
            ("gzip-9", new JsonObject { ["id"] = "gzip", ["level"] = 9 }),
            ("zlib-1", new JsonObject { ["id"] = "zlib", ["level"] = 1 }),
            ("zlib-9", new JsonObject { ["id"] = "zlib", ["level"] = 9 }),
            ("lz4-1", new JsonObject { ["id"] = "lz4", ["acceleration"] = 1 }),
            ("lz4-10", new JsonObject { ["id"] = "lz4", ["acceleration"] = 10 }),
            ("blosc-lz4-c0", Blosc("lz4", 0, 1)),
            ("blosc-lz4-c1", Blosc("lz4", 1, 1)),
            ("blosc-blosclz-c9", Blosc("blosclz", 9, 1)),
            ("blosc-zstd-b1024", Blosc("zstd", 5, 1, 1024)),
        };
        foreach (string cname in new[] { "lz4", "lz4hc", "zstd", "zlib", "blosclz" })
        {
            foreach (int shuffle in new[] { -1, 0, 1, 2 })
            {
                compressors.Add(($"blosc-{cname}-s{shuffle}", Blosc(cname, 5, shuffle)));
            }
        }

        foreach (var (name, compressor) in compressors)
        {
            yield return Case($"codec_{name}", "<u2", compressor);
        }

        string[] dtypes = ["|u1", "|i1", "<u2", "<i2", "<u4", "<i4", "<u8", "<i8", "<f4", "<f8", ">u2", ">i2", ">u4", ">i4", ">u8", ">i8", ">f4", ">f8"];
        foreach (string dtype in dtypes)
        {
            string t = dtype.Replace('<', 'l').Replace('>', 'b').Replace('|', 'n');
            foreach (string order in new[] { "C", "F" })
            {
                yield return Case($"dtype_{t}_{order}_none", dtype, null, order: order);
                yield return Case($"dtype_{t}_{order}_blosc", dtype, Blosc("lz4", 5, 1), order: order);
                yield return Case($"dtype_{t}_{order}_3d", dtype, Blosc("zstd", 3, 2), [5, 37, 23], [2, 10, 7], order: order);
            }
        }

        yield return Case("fill_f4_nan", "<f4", Blosc("lz4", 5, 1), fill: "NaN", partial: true);
        yield return Case("fill_f8_neginf", "<f8", null, fill: "-Infinity", partial: true);
        yield return Case("fill_f8_inf_F", ">f8", Blosc("zlib", 5, 1), order: "F", fill: "Infinity", partial: true);
        yield return Case("fill_f4_fraction", "<f4", null, fill: 0.5, partial: true);
        yield return Case("fill_u2_42", "<u2", new JsonObject { ["id"] = "zstd", ["level"] = 1 }, fill: 42, partial: true);
        yield return Case("fill_i2_neg7", ">i2", null, fill: -7, partial: true);
        yield return Case("fill_u1_255", "|u1", Blosc("blosclz", 5, 2), fill: 255, partial: true);
        yield return Case("fill_u8_max", "<u8", null, fill: ulong.MaxValue, partial: true);
        yield return Case("fill_i8_min", "<i8", null, fill: long.MinValue, partial: true);
        yield return Case("fill_null", "<u2", Blosc("lz4", 5, 1), fill: JsonValue.Create((string?)null));

        foreach (var (name, compressor) in compressors.Where(c => c.Item1 is "none" or "zstd-1" or "gzip-1" or "lz4-1" or "blosc-lz4-s1" or "blosc-zstd-s2"))
        {
            yield return Case($"slash_{name}", "<u2", compressor, separator: "/");
            yield return Case($"slash3d_{name}", "<f4", compressor, [5, 37, 23], [2, 10, 7], separator: "/", partial: true);
        }

        foreach (string cname in new[] { "lz4", "lz4hc", "zstd", "zlib", "blosclz" })
        {
            foreach (int shuffle in new[] { 0, 1, 2 })
            {
                foreach (string dtype in new[] { "|u1", "<u2", "<f8" })
                {
                    foreach (int clevel in new[] { 1, 5 })
                    {
                        yield return Case($"large_{cname}_s{shuffle}_{dtype[1..]}_c{clevel}", dtype, Blosc(cname, clevel, shuffle), [260, 255], [250, 250]);
                    }
                }
            }
        }
    }

    public sealed class Fixture : IDisposable
    {
        private const string Script = """
            import json, sys, zarr, numcodecs, numpy as np
            root = sys.argv[1]
            cases = json.load(open(root + '/manifest.json'))
            store = zarr.DirectoryStore(root)
            g = zarr.group(store=store, overwrite=True)
            g.attrs['writer'] = 'python'

            def pattern(shape, dtype):
                dt = np.dtype(dtype)
                i = np.arange(int(np.prod(shape)), dtype=np.int64)
                smooth = (i % 97) * 3 + i // 50 + (i * 7919) % 5
                if dt.kind == 'f':
                    v = smooth * 0.25 - 40.5
                    v[::101] = np.nan
                    v[5::211] = np.inf
                    v[7::307] = -np.inf
                elif dt.kind == 'i':
                    v = (smooth - 300) * (1 if dt.itemsize <= 2 else 100003) - (i % 3) * (2 ** (8 * dt.itemsize - 2))
                else:
                    v = smooth * (1 if dt.itemsize <= 2 else 65537) + (i % 3) * (2 ** (8 * dt.itemsize - 2))
                return v.astype(dt).reshape(shape)

            for c in cases:
                name = c['name']
                compressor = numcodecs.get_codec(c['compressor']) if c['compressor'] is not None else None
                shape = tuple(c['shape'])
                a = zarr.open_array(store=zarr.DirectoryStore(root + '/' + name, dimension_separator=c['separator']),
                                    mode='w', shape=shape, chunks=tuple(c['chunks']), dtype=c['dtype'], order=c['order'],
                                    compressor=compressor, fill_value=c['fill_value'])
                data = pattern(shape, c['dtype'])
                if c['partial']:
                    # Only the first chunk row along axis 0 and a corner: the rest stays missing (fill value).
                    a[0:c['chunks'][0]] = data[0:c['chunks'][0]]
                    a[-1:] = data[-1:]
                else:
                    a[...] = data
                back = a[...]
                np.ascontiguousarray(back.astype(back.dtype.newbyteorder('<'))).tofile(root + '/' + name + '.bin')
            zarr.consolidate_metadata(store)
            """;

        public Fixture()
        {
            if (ExternalTool.ZarrPython.UnavailableReason is not null)
            {
                return;
            }

            File.WriteAllText(Path.Combine(Temp.Root, "manifest.json"), new JsonArray([.. AllCases()]).ToJsonString());
            string script = Path.Combine(Temp.Root, "write.py");
            File.WriteAllText(script, Script);
            var (code, _, stderr) = ExternalTool.ZarrPython.Run([script, Temp.Root], Temp.Root, TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                ScriptFailure = $"zarr-python exited with {code}: {stderr}";
            }
        }

        public TempStore Temp { get; } = new();

        public string? ScriptFailure { get; }

        public void Dispose() => Temp.Dispose();
    }
}
