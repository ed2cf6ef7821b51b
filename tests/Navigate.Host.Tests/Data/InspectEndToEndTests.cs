using System.Text.Json;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Data;

/// <summary>
/// `navigate inspect` as a real child process on an OME-NGFF 0.4 image that zarr-python wrote (not navigate): a
/// three-level t, c, z, y, x pyramid at the root, each level's transformations a scale then a translation as the spec
/// orders them, a multiscale-level scale on top, and a label image. The JSON must give each level's real shape,
/// chunks, dtype, codec and effective scale, and list the label.
/// </summary>
public sealed class InspectEndToEndTests : IDisposable
{
    private const string Write = """
        import sys, numpy as np, zarr
        from numcodecs import Blosc
        root = zarr.open_group(sys.argv[1], mode="w")
        full = (np.arange(2 * 3 * 5 * 40 * 30) % 4093).astype("<u2").reshape(2, 3, 5, 40, 30)
        codec = Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE)
        levels = [full, full[:, :, :, ::2, ::2], full[:, :, :, ::4, ::4]]
        chunks = [(1, 1, 5, 20, 15), (1, 1, 5, 20, 15), (1, 1, 5, 10, 8)]
        datasets = []
        for k, (data, chunk) in enumerate(zip(levels, chunks)):
            root.create_dataset(str(k), data=np.ascontiguousarray(data), chunks=chunk, compressor=codec)
            step = 0.25 * 2 ** k
            offset = 0.125 * (2 ** k - 1)
            # OME-NGFF 0.4: exactly one scale, first, then at most one translation.
            datasets.append({"path": str(k), "coordinateTransformations": [
                {"type": "scale", "scale": [0.5, 1, 2.0, step, step]},
                {"type": "translation", "translation": [0, 0, 0, offset, offset]}]})
        axes = [{"name": "t", "type": "time", "unit": "second"}, {"name": "c", "type": "channel"},
                {"name": "z", "type": "space", "unit": "micrometer"}, {"name": "y", "type": "space", "unit": "micrometer"},
                {"name": "x", "type": "space", "unit": "micrometer"}]
        root.attrs["multiscales"] = [{"version": "0.4", "name": "specimen", "axes": axes, "datasets": datasets,
                                      "coordinateTransformations": [{"type": "scale", "scale": [60, 1, 1, 1, 1]}]}]
        labels = root.create_group("labels")
        labels.attrs["labels"] = ["cells"]
        cells = labels.create_group("cells")
        cells.create_dataset("0", data=(full[:, :1] % 3).astype("|u1"), chunks=(1, 1, 5, 40, 30), compressor=None)
        cells.attrs["multiscales"] = [{"version": "0.4", "name": "cells", "axes": axes, "datasets": [
            {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [0.5, 1, 2.0, 0.25, 0.25]}]}]}]
        cells.attrs["image-label"] = {"version": "0.4", "colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]}]}
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AnImageFromZarrPythonIsDescribedLevelByLevel()
    {
        ZarrPython.Require();
        var image = _temp.Combine("from-python.ome.zarr");
        var written = ZarrPython.Run(Write, image);
        Assert.True(written.Exit == 0, written.Stderr);
        var plugins = Path.Combine(TestPaths.RepoRoot, "plugins.json");

        using var navigate = NavigateProcess.Start("inspect", "--plugins", plugins, image, "--json");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == 0, navigate.Stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("ome-zarr 0.4 (zarr v2)", root.GetProperty("format").GetString());
        var images = root.GetProperty("images");
        Assert.Equal(1, images.GetArrayLength());
        var specimen = images[0];
        Assert.Equal("specimen", specimen.GetProperty("name").GetString());
        Assert.Equal(["t", "c", "z", "y", "x"], Strings(specimen.GetProperty("axes"), "name"));
        Assert.Equal(["time", "channel", "space", "space", "space"], Strings(specimen.GetProperty("axes"), "type"));
        Assert.Equal("micrometer", specimen.GetProperty("axes")[4].GetProperty("unit").GetString());

        var levels = specimen.GetProperty("levels");
        Assert.Equal(["0", "1", "2"], Strings(levels, "path"));
        Assert.Equal([2L, 3, 5, 40, 30], Longs(levels[0].GetProperty("shape")));
        Assert.Equal([2L, 3, 5, 20, 15], Longs(levels[1].GetProperty("shape")));
        Assert.Equal([2L, 3, 5, 10, 8], Longs(levels[2].GetProperty("shape")));
        Assert.Equal([1L, 1, 5, 20, 15], Longs(levels[0].GetProperty("chunks")));
        Assert.Equal([1L, 1, 5, 10, 8], Longs(levels[2].GetProperty("chunks")));
        Assert.All(Strings(levels, "dataType"), t => Assert.Equal("uint16", t));
        Assert.Equal("blosc(zstd, clevel 3, shuffle 2, blocksize 0)", levels[0].GetProperty("codec").GetString());
        // Effective scale: the dataset's [0.5, 1, 2, 0.25·2^k, 0.25·2^k] times the multiscale's [60, 1, 1, 1, 1].
        Assert.Equal([30, 1, 2, 0.25, 0.25], Doubles(levels[0].GetProperty("scale")));
        Assert.Equal([30, 1, 2, 0.5, 0.5], Doubles(levels[1].GetProperty("scale")));
        Assert.Equal([30, 1, 2, 1, 1], Doubles(levels[2].GetProperty("scale")));
        Assert.Equal([0, 0, 0, 0.375, 0.375], Doubles(levels[2].GetProperty("translation")));

        var cells = Assert.Single(specimen.GetProperty("labels").EnumerateArray());
        Assert.Equal("cells", cells.GetProperty("name").GetString());
        Assert.Equal("labels/cells", cells.GetProperty("path").GetString());
        var labelLevel = Assert.Single(cells.GetProperty("levels").EnumerateArray());
        Assert.Equal("labels/cells/0", labelLevel.GetProperty("path").GetString());
        Assert.Equal([2L, 1, 5, 40, 30], Longs(labelLevel.GetProperty("shape")));
        Assert.Equal("uint8", labelLevel.GetProperty("dataType").GetString());
        Assert.Equal("none", labelLevel.GetProperty("codec").GetString());

        // The tables say the same.
        using var text = NavigateProcess.Start("inspect", "--plugins", plugins, image);
        var (textExit, table) = await text.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(textExit == 0, text.Stderr);
        Assert.Contains("image specimen at '': axes t (time, second), c (channel), z (space, micrometer)", table, StringComparison.Ordinal);
        Assert.Contains("30, 1, 2, 0.5, 0.5", table, StringComparison.Ordinal);
        Assert.Contains("label cells at 'labels/cells'", table, StringComparison.Ordinal);
    }

    private static string?[] Strings(JsonElement array, string property) => [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString())];

    private static long[] Longs(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt64())];

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];
}
