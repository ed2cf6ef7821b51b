using System.Text.Json;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Data;

/// <summary>
/// `navigate convert` as a real child process on an OME-NGFF 0.4 image that zarr-python wrote the way ome-zarr-py's
/// <c>write_image</c> lays it out (image at the root, levels "0", "1", scale transformations, an attribute of another
/// tool), checked with zarr-python: every level copied value for value with the new codec, attributes kept.
/// </summary>
public sealed class ConvertEndToEndTests : IDisposable
{
    private const string Write = """
        import sys, numpy as np, zarr
        from numcodecs import Blosc
        root = zarr.open_group(sys.argv[1], mode="w")
        rng = np.random.default_rng(7)
        full = rng.integers(0, 4000, size=(2, 3, 40, 50), dtype="<u2")
        half = full[:, :, ::2, ::2].copy()
        root.create_dataset("0", data=full, chunks=(1, 1, 20, 25), compressor=Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE))
        root.create_dataset("1", data=half, chunks=(1, 1, 20, 25), compressor=Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE))
        axes = [{"name": "c", "type": "channel"}, {"name": "z", "type": "space", "unit": "micrometer"},
                {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space", "unit": "micrometer"}]
        root.attrs["multiscales"] = [{"version": "0.4", "name": "specimen", "axes": axes, "datasets": [
            {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 2.0, 0.5, 0.5]}]},
            {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [1, 2.0, 1.0, 1.0]}]}]}]
        root.attrs["_creator"] = {"name": "omero-zarr", "version": "0.5.3"}
        np.save(sys.argv[2], full)
        """;

    private const string Check = """
        import sys, json, numpy as np, zarr
        target = zarr.open_group(sys.argv[1], mode="r")
        full = np.load(sys.argv[2])
        same0 = bool((target["0"][:] == full).all())
        same1 = bool((target["1"][:] == full[:, :, ::2, ::2]).all())
        print(json.dumps({"same0": same0, "same1": same1, "codec": target["0"].compressor.get_config(),
                          "creator": target.attrs.get("_creator"), "name": target.attrs["multiscales"][0]["name"]}))
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnImageFromAnotherProgramIsRewrittenWithEveryLevelAndAttribute()
    {
        ZarrPython.Require();
        var source = _temp.Combine("from-python.ome.zarr");
        var pixels = _temp.Combine("full.npy");
        var written = ZarrPython.Run(Write, source, pixels);
        Assert.True(written.Exit == 0, written.Stderr);
        var target = _temp.Combine("converted.ome.zarr");

        using var navigate = NavigateProcess.Start("convert", "--plugins", Path.Combine(TestPaths.RepoRoot, "plugins.json"), source, target, "--compression", "zstd", "--clevel", "3");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, navigate.Stderr);
        Assert.Contains("every level", stdout, StringComparison.Ordinal);
        var (checkExit, json, error) = ZarrPython.Run(Check, target, pixels);
        Assert.True(checkExit == 0, error);
        using var result = JsonDocument.Parse(json);
        var r = result.RootElement;
        Assert.True(r.GetProperty("same0").GetBoolean());
        Assert.True(r.GetProperty("same1").GetBoolean());
        Assert.Equal("zstd", r.GetProperty("codec").GetProperty("cname").GetString());
        Assert.Equal("omero-zarr", r.GetProperty("creator").GetProperty("name").GetString());
        Assert.Equal("specimen", r.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ANewPyramidIsARewritePlaneByPlaneWithTheLevelsAsked()
    {
        ZarrPython.Require();
        var source = _temp.Combine("levels.ome.zarr");
        var pixels = _temp.Combine("levels.npy");
        var written = ZarrPython.Run(Write, source, pixels);
        Assert.True(written.Exit == 0, written.Stderr);
        var target = _temp.Combine("levels-out.ome.zarr");

        using var navigate = NavigateProcess.Start("convert", "--plugins", Path.Combine(TestPaths.RepoRoot, "plugins.json"), source, target, "--levels", "3");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, navigate.Stderr);
        Assert.Contains("6 planes", stdout, StringComparison.Ordinal); // 2 channels × 3 planes, rewritten one by one
        const string Levels = """
            import sys, json, numpy as np, zarr
            root = zarr.open_consolidated(sys.argv[1], mode="r")
            full = np.load(sys.argv[2])
            level0 = root["p0_0"][0]
            print(json.dumps({"levels": [k for k in sorted(root.array_keys())], "same": bool((level0 == full).all()),
                              "shape2": list(root["p0_2"].shape)}))
            """;
        var (checkExit, json, error) = ZarrPython.Run(Levels, target, pixels);
        Assert.True(checkExit == 0, error);
        using var result = JsonDocument.Parse(json);
        Assert.Equal(["p0_0", "p0_1", "p0_2"], result.RootElement.GetProperty("levels").EnumerateArray().Select(e => e.GetString()));
        Assert.True(result.RootElement.GetProperty("same").GetBoolean());
        Assert.Equal([1, 2, 3, 10, 13], result.RootElement.GetProperty("shape2").EnumerateArray().Select(e => e.GetInt32()));
    }
}
