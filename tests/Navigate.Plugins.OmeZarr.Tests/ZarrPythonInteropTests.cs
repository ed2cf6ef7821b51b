using System.Globalization;
using System.Security.Cryptography;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>
/// Both directions with an independent implementation: zarr-python (Debian's python3-zarr) reads every array of
/// every position and level we write, value for value, and we read OME-NGFF images that zarr-python writes the way
/// ome-zarr-py lays them out.
/// </summary>
public sealed class ZarrPythonInteropTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    // Prints "path shape dtype sha256" for every level of every image, found the way a generic OME-NGFF reader finds
    // them (bioformats2raw series, else the root's multiscales), plus a few facts about the arrays.
    private const string ReadAllScript = """
        import sys, json, hashlib, zarr, numpy as np
        path, consolidated = sys.argv[1], sys.argv[2] == "1"
        root = zarr.open_consolidated(path, mode="r") if consolidated else zarr.open_group(path, mode="r")
        attrs = root.attrs.asdict()
        if "bioformats2raw.layout" in attrs:
            if "OME" in root and "series" in root["OME"].attrs:
                names = root["OME"].attrs["series"]
            else:
                names = []
                while str(len(names)) in root:
                    names.append(str(len(names)))
            groups = [(root[g], g + "/") for g in names]
        else:
            groups = [(root, "")]
        for group, prefix in groups:
            for ms in group.attrs["multiscales"]:
                names = [a["name"] for a in ms["axes"]]
                for ds in ms["datasets"]:
                    arr = group[ds["path"]]
                    data = arr[...]
                    dims = arr.attrs.get("_ARRAY_DIMENSIONS")
                    assert dims is None or dims == names, (dims, names)
                    comp = arr.compressor.get_config() if arr.compressor is not None else None
                    digest = hashlib.sha256(np.ascontiguousarray(data.astype(data.dtype.newbyteorder("<"))).tobytes()).hexdigest()
                    print(prefix + ds["path"], ",".join(map(str, data.shape)), data.dtype.str, digest, json.dumps(comp, sort_keys=True).replace(" ", ""))
        """;

    private static Dictionary<string, (string Shape, string DType, string Sha, string Codec)> ParseListing(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => (p[1], p[2], p[3], p[4]));

    /// <summary>The sha256 of the whole (t, c, z, y, x) array of (position, level), read through our data source.</summary>
    private static (string Shape, string Sha) OurDigest(OmeZarrDataSource source, int position, int level)
    {
        var shape = source.Shapes[level];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var t = 0; t < source.Shape.T; t++)
        {
            for (var c = 0; c < source.Shape.C; c++)
            {
                sha.AppendData(source.GetSlice(.., .., c, .., t, position, level).Bytes);
            }
        }

        return (string.Join(",", source.Shape.T, source.Shape.C, shape.Z, shape.Y, shape.X), Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public static TheoryData<string, string, string> WriteCases() => new()
    {
        { "navigate", "gzip", string.Empty },
        { "navigate", "none", "2,8,8" },
        { "navigate", "lz4", string.Empty },
        { "navigate", "zstd", "3,5,7" },
        { "bioformats2raw", "lz4", "2,8,8" },
        { "bioformats2raw", "gzip", string.Empty },
    };

    [Theory]
    [MemberData(nameof(WriteCases))]
    public void Zarr_python_reads_every_position_and_level_we_write(string layout, string compression, string chunks)
    {
        OmeZarrPython.Require();
        var m = OmeZarrLayoutTests.Metadata;
        var path = _temp.Combine("ours.ome.zarr");
        var settings = new Dictionary<string, string> { ["layout"] = layout, ["compression"] = compression, ["threads"] = "2" };
        if (chunks.Length > 0)
        {
            settings["chunks"] = chunks;
        }

        using (var source = OmeZarrDataSource.Create(path, m, new DataSourceOptions { Settings = settings }))
        {
            Frames.WriteAll(source, m);
        }

        var listing = ParseListing(OmeZarrPython.Run(ReadAllScript, path, "1"));
        using var read = OmeZarrDataSource.Open(path);
        Assert.Equal(m.Positions * 4, listing.Count);
        for (var p = 0; p < m.Positions; p++)
        {
            for (var k = 0; k < 4; k++)
            {
                var key = layout == "navigate" ? $"p{p}_{k}" : $"{p}/{k}";
                var (shape, dtype, digest, codec) = listing[key];
                var ours = OurDigest(read, p, k);
                Assert.Equal(ours.Shape, shape);
                Assert.Equal("<u2", dtype);
                Assert.True(ours.Sha == digest, $"{key}: zarr-python reads other values than we wrote ({compression}, chunks '{chunks}').");
                Assert.Contains(compression switch
                {
                    "none" => "null",
                    "gzip" => "\"id\":\"gzip\"",
                    "lz4" => "\"cname\":\"lz4\"",
                    _ => "\"cname\":\"zstd\"",
                }, codec, StringComparison.Ordinal);
            }
        }

        // The values themselves, not only agreement: one pixel of the last frame, at full resolution.
        Assert.Equal(Frames.Pixel(m.FrameCount - 1, 10, 18), read.GetSlice(.., .., 1, 2..3, 1, 1)[0, 10, 18]);
    }

    // Writes an OME-NGFF 0.4 image as ome-zarr-py lays one out: levels "0", "1", ... in the image group, multiscales
    // and omero in its attributes, zarr-python's own chunking and codec. Prints the digests of every level.
    private const string WriteImageScript = """
        import sys, json, hashlib, zarr, numpy as np, numcodecs
        path, axes, codec, layout = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
        compressors = {
            "default": None,
            "blosc-zstd-bit": numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE),
            "zlib": numcodecs.Zlib(level=6),
            "gzip": numcodecs.GZip(level=4),
            "zstd": numcodecs.Zstd(level=2),
            "lz4": numcodecs.LZ4(),
            "raw": "raw",
        }
        full = {"t": 2, "c": 3, "z": 5, "y": 37, "x": 29}
        kinds = {"t": ("time", "second"), "c": ("channel", None), "z": ("space", "micrometer"), "y": ("space", "micrometer"), "x": ("space", "micrometer")}
        shape = tuple(full[a] for a in axes)
        rng = np.random.default_rng(7)
        def image(group, seed):
            data = np.random.default_rng(seed).integers(0, 65535, size=shape, dtype="uint16")
            levels = [data]
            for _ in range(2):
                s = [slice(None)] * (len(axes) - 2) + [slice(None, None, 2), slice(None, None, 2)]
                levels.append(levels[-1][tuple(s)])
            datasets = []
            for i, lvl in enumerate(levels):
                kwargs = {} if codec == "default" else {"compressor": None if codec == "raw" else compressors[codec]}
                chunks = tuple(1 if a in "tc" else min(n, 16) for a, n in zip(axes, lvl.shape))
                group.create_dataset(str(i), data=lvl, chunks=chunks, dimension_separator="/", **kwargs)
                scale = [1.0 if a in "tc" else (0.5 if a == "z" else 0.2 * 2 ** i) for a in axes]
                datasets.append({"path": str(i), "coordinateTransformations": [{"type": "scale", "scale": scale}]})
                digest = hashlib.sha256(np.ascontiguousarray(lvl).tobytes()).hexdigest()
                print(group.path + ("/" if group.path else "") + str(i), ",".join(map(str, lvl.shape)), digest)
            ax = []
            for a in axes:
                k, u = kinds[a]
                ax.append({"name": a, "type": k, **({"unit": u} if u else {})})
            group.attrs["multiscales"] = [{"version": "0.4", "name": "img", "axes": ax, "datasets": datasets, "type": "nearest"}]
            if "c" in axes:
                group.attrs["omero"] = {"channels": [{"label": "ch%d" % c, "color": "00FF00", "active": True,
                    "window": {"start": 0, "end": 1000, "min": 0, "max": 65535}} for c in range(full["c"])]}
        root = zarr.open_group(path, mode="w")
        if layout == "bf2raw":
            root.attrs["bioformats2raw.layout"] = 3
            for s in range(2):
                image(root.create_group(str(s)), 11 + s)
        else:
            image(root, 11)
        """;

    public static TheoryData<string, string, string> ReadCases() => new()
    {
        { "tczyx", "default", "image" },
        { "tczyx", "zlib", "image" },
        { "czyx", "gzip", "image" },
        { "zyx", "zstd", "image" },
        { "yx", "lz4", "image" },
        { "tczyx", "raw", "image" },
        { "czyx", "blosc-zstd-bit", "image" },
        { "tczyx", "default", "bf2raw" },
    };

    [Theory]
    [MemberData(nameof(ReadCases))]
    public void We_read_images_zarr_python_writes(string axes, string codec, string layout)
    {
        var path = _temp.Combine("theirs.zarr");
        var expected = OmeZarrPython.Run(WriteImageScript, path, axes, codec, layout)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();

        using var source = OmeZarrDataSource.Open(path);
        var positions = layout == "bf2raw" ? 2 : 1;
        Assert.Equal(positions, source.Positions);
        Assert.Equal(3, source.Shapes.Count);
        Assert.Equal(PixelType.UInt16, source.Metadata.PixelType);
        Assert.Equal(new Size3(29, 37, axes.Contains('z', StringComparison.Ordinal) ? 5 : 1), source.Shapes[0]);
        Assert.Equal(new Size3(4, 4, 1), source.Resolutions[2]);
        Assert.Equal(0.2, source.VoxelSize.X, 12);
        Assert.Equal(axes.Contains('z', StringComparison.Ordinal) ? 0.5 : 1, source.VoxelSize.Z);
        Assert.Equal(axes.Contains('c', StringComparison.Ordinal) ? 3 : 1, source.Shape.C);
        Assert.Equal(axes.Contains('t', StringComparison.Ordinal) ? 2 : 1, source.Shape.T);
        if (axes.Contains('c', StringComparison.Ordinal))
        {
            Assert.Equal(["ch0", "ch1", "ch2"], source.Metadata.ChannelInfos.Select(c => c.Name));
        }

        var line = 0;
        for (var p = 0; p < positions; p++)
        {
            for (var k = 0; k < 3; k++, line++)
            {
                var shape = source.Shapes[k];
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                for (var t = 0; t < source.Shape.T; t++)
                {
                    for (var c = 0; c < source.Shape.C; c++)
                    {
                        sha.AppendData(source.GetSlice(.., .., c, .., t, p, k).Bytes);
                    }
                }

                Assert.Equal(expected[line][2], Convert.ToHexStringLower(sha.GetHashAndReset()));
                Assert.EndsWith(string.Join(",", shape.Y, shape.X), expected[line][1], StringComparison.Ordinal);
            }
        }

        // The inspector and converter take the same images.
        var inspection = OmeZarrInspector.Inspect(path);
        Assert.Equal(positions, inspection.Images.Count);
        Assert.Equal(axes.Select(a => a.ToString()), inspection.Images[0].Axes.Select(a => a.Name));
    }

    [Fact]
    public void Converted_datasets_hold_the_same_values_with_the_new_codec_and_chunks()
    {
        OmeZarrPython.Require();
        var source = OmeZarrLayoutTests.Write(_temp.Combine("src.ome.zarr"), "navigate");
        var before = ParseListing(OmeZarrPython.Run(ReadAllScript, source, "1"));
        var target = _temp.Combine("dst.ome.zarr");
        var reports = new List<OmeZarrConversionProgress>();
        OmeZarrConverter.Convert(source, target, new OmeZarrConversionOptions { Compression = OmeZarrCompression.Zstd, CompressionLevel = 4, Chunks = new ChunkShape(2, 4, 4), Threads = 2 }, new SynchronousProgress(reports.Add), TestContext.Current.CancellationToken);

        var after = ParseListing(OmeZarrPython.Run(ReadAllScript, target, "1"));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, value) in before)
        {
            Assert.Equal(value.Sha, after[key].Sha);
            Assert.Equal(value.Shape, after[key].Shape);
            Assert.Contains("\"clevel\":4", after[key].Codec, StringComparison.Ordinal);
            Assert.Contains("\"cname\":\"zstd\"", after[key].Codec, StringComparison.Ordinal);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(source, ".zattrs")), File.ReadAllText(Path.Combine(target, ".zattrs")));
        var inspection = OmeZarrInspector.Inspect(target);
        Assert.Equal([1, 1, 2, 4, 4], inspection.Images[0].Levels[0].Chunks);
        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesCopied);
        Assert.True(reports[^1].BytesTotal > 0);

        var e = Assert.Throws<IOException>(() => OmeZarrConverter.Convert(source, target, new OmeZarrConversionOptions(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("already holds data", e.Message, StringComparison.Ordinal);
        OmeZarrConverter.Convert(source, target, new OmeZarrConversionOptions { Overwrite = true, Compression = OmeZarrCompression.Gzip }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("\"id\":\"gzip\"", ParseListing(OmeZarrPython.Run(ReadAllScript, target, "1"))["p1_2"].Codec, StringComparison.Ordinal);
    }

    [Fact]
    public void Converting_a_zarr_python_image_keeps_values_and_names_its_dimensions()
    {
        var source = _temp.Combine("theirs.zarr");
        var expected = OmeZarrPython.Run(WriteImageScript, source, "czyx", "zlib", "bf2raw")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[2]);
        var target = _temp.Combine("converted.zarr");
        OmeZarrConverter.Convert(source, target, new OmeZarrConversionOptions { Compression = OmeZarrCompression.None, Chunks = new ChunkShape(5, 37, 29), Threads = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        var after = ParseListing(OmeZarrPython.Run(ReadAllScript, target, "0"));
        Assert.Equal(expected.Count, after.Count);
        foreach (var (key, sha) in expected)
        {
            Assert.Equal(sha, after[key].Sha);
            Assert.Equal("null", after[key].Codec);
        }
    }

    [Fact]
    public void A_dataset_never_closed_opens_in_zarr_python_with_what_was_stored()
    {
        OmeZarrPython.Require();
        var m = OmeZarrLayoutTests.Metadata;
        var path = _temp.Combine("crashed.ome.zarr");
        var source = OmeZarrDataSource.Create(path, m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["compression"] = "gzip", ["threads"] = "2" } });
        var perPosition = m.FrameCount / m.Positions;
        Frames.WriteAll(source, m, perPosition);
        source.GetSlice(.., .., 0, 0..1); // reading waits for the queued chunks (a fast disk would be there already)
        for (var f = perPosition; f < perPosition + 3; f++)
        {
            source.Write(Frames.Make(f, m.Width, m.Height)); // position 1 starts; the next write records position 0
        }

        // No Close: what a killed process leaves. Position 0 is durable and recorded as written.
        const string Script = """
            import sys, json, zarr
            root = zarr.open_group(sys.argv[1], mode="r")
            nav = root.attrs["navigate"]
            print(nav["frames_written"], nav["complete"], len(root.attrs["multiscales"]), int(root["p0_0"][1, 1, 2, 10, 18]))
            """;
        var fields = OmeZarrPython.Run(Script, path).Trim().Split(' ');
        Assert.True(long.Parse(fields[0], CultureInfo.InvariantCulture) >= perPosition, $"frames_written {fields[0]} < {perPosition}");
        Assert.Equal("False", fields[1]);
        Assert.Equal("2", fields[2]);
        Assert.Equal(Frames.Pixel(perPosition - 1, 10, 18).ToString(CultureInfo.InvariantCulture), fields[3]);
        Assert.Empty(Directory.GetFiles(path, "*.navtmp", SearchOption.AllDirectories));
        source.Dispose();
    }

    private sealed class SynchronousProgress(Action<OmeZarrConversionProgress> report) : IProgress<OmeZarrConversionProgress>
    {
        private readonly object _gate = new();

        public void Report(OmeZarrConversionProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
