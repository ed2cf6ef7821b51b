using System.Text.Json;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Acquisition;

/// <summary>
/// `navigate acquire` as a real child process through the repository's plugins.json (synthetic camera → OME-Zarr),
/// checked with zarr-python: every frame in place, Ctrl-C/SIGTERM and kill -9 recoveries.
/// </summary>
[Collection(nameof(AcquireEndToEndTests))]
public sealed class AcquireEndToEndTests : IDisposable
{
    // Finds every written plane of every position p{p}_0 and checks the frame number in its first four pixels against
    // navigate's frame order. Prints "<planes with data> <planes misplaced>" and the root's navigate attributes.
    private const string Verify = """
        import json, sys, os
        import numpy as np, zarr
        path, C, Z, T, P, per_stack, consolidated = sys.argv[1], *map(int, sys.argv[2:7]), sys.argv[7] == "1"
        root = zarr.open_consolidated(path, mode="r") if consolidated else zarr.open_group(path, mode="r")
        def index(f):
            if Z > 1:
                c, z = ((f // Z) % C, f % Z) if per_stack else (f % C, (f // C) % Z)
                return c, z, (f // (C * Z)) % T, f // (C * Z * T)
            return f % C, 0, (f // C) % T, f // (C * T)
        good = bad = 0
        arrays = {}
        for f in range(C * Z * T * P):
            c, z, t, p = index(f)
            name = f"p{p}_0"
            if name not in arrays:
                arrays[name] = root[name] if name in root else None
            array = arrays[name]
            # A dataset closed early is shrunk to what was written, as navigate does.
            if array is None or t >= array.shape[0] or c >= array.shape[1] or z >= array.shape[2]:
                continue
            plane = array[t, c, z]
            stamp = int(np.frombuffer(plane.reshape(-1)[:4].astype("<u2").tobytes(), "<i8")[0])
            if stamp == 0 and f != 0 and not plane.any():
                continue  # never written: fill value
            if stamp == f: good += 1
            else: bad += 1; print("misplaced", f, "found", stamp, file=sys.stderr)
        attrs = dict(zarr.open_group(path, mode="r").attrs)
        print(good, bad, json.dumps(attrs.get("navigate", {})))
        """;

    // For each TIFF file: what tifffile makes of it (is_ome, the series' shape and dtype), the number of OME Planes and
    // their TheZ, and the frame number in the first four pixels of each page. Prints a JSON list, one object a file.
    private const string ReadTiffStacks = """
        import json, sys
        import xml.etree.ElementTree as ET
        import numpy as np, tifffile
        out = []
        for path in sys.argv[1:]:
            with tifffile.TiffFile(path) as tif:
                data = tif.series[0].asarray()
                planes = [] if not tif.is_ome else ET.fromstring(tif.ome_metadata).findall(".//{*}Pixels/{*}Plane")
                stamps = [int(np.frombuffer(page.asarray().reshape(-1)[:4].astype("<u2").tobytes(), "<i8")[0]) for page in tif.pages]
                out.append({"is_ome": bool(tif.is_ome), "shape": list(data.shape), "dtype": str(data.dtype),
                            "planes": len(planes), "plane_z": [int(p.get("TheZ", -1)) for p in planes], "stamps": stamps})
        print(json.dumps(out))
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Plugins => Path.Combine(TestPaths.RepoRoot, "plugins.json");

    private static (int Good, int Bad, JsonElement Navigate) Check(string path, int c, int z, int t, int p, bool perStack, bool consolidated)
    {
        var (exit, stdout, stderr) = ZarrPython.Run(Verify, path, $"{c}", $"{z}", $"{t}", $"{p}", perStack ? "1" : "0", consolidated ? "1" : "0");
        Assert.True(exit == 0, $"zarr-python failed on {path}: {stderr}");
        var parts = stdout.Trim().Split(' ', 3);
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), JsonDocument.Parse(parts[2]).RootElement.Clone());
    }

    [Fact]
    public async Task EveryFrameLandsInPlaceAndTheSummaryIsJson()
    {
        ZarrPython.Require();
        var output = _temp.Combine("run.ome.zarr");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", output, "--width", "128", "--height", "96",
            "--z", "5", "--channels", "2", "--timepoints", "2", "--positions", "2", "--json");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, navigate.Stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(40, summary.RootElement.GetProperty("framesWritten").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("framesDropped").GetInt64());
        var (good, bad, _) = Check(output, 2, 5, 2, 2, perStack: true, consolidated: true);
        Assert.Equal((40, 0), (good, bad));
    }

    [Fact]
    public async Task AnExperimentFileSetsTheAcquisitionAndOptionsOverrideIt()
    {
        ZarrPython.Require();
        // navigate's saved experiment: 2 selected channels, 11 planes, 3 timepoints, 2 positions, per_z cycling.
        var fixtures = Path.Combine(TestPaths.RepoRoot, "tests", "Navigate.Experiment.Tests", "Fixtures");
        var output = _temp.Combine("experiment.ome.zarr");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", output,
            "--experiment", Path.Combine(fixtures, "experiment.yml"), "--configuration", Path.Combine(fixtures, "configuration.yaml"),
            "--width", "128", "--height", "64", "--timepoints", "1", "--json");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exit == 0, navigate.Stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(2 * 11 * 2, summary.RootElement.GetProperty("framesWritten").GetInt64());
        var (good, bad, _) = Check(output, 2, 11, 1, 2, perStack: false, consolidated: true);
        Assert.Equal((44, 0), (good, bad));
        var zattrs = File.ReadAllText(Path.Combine(output, ".zattrs"));
        Assert.Contains("0.97", zattrs, StringComparison.Ordinal); // the configuration's pixel size at the experiment's zoom
    }

    [Theory]
    [InlineData("ome-tiff")]
    [InlineData("tiff")] // the plugin's alias: the same OME-TIFF folder for a path without an ending
    public async Task TheOmeTiffPluginWritesAFolderThatInspectReads(string format)
    {
        TiffPython.Require();
        const int C = 2, Z = 3, T = 2, P = 2, Width = 64, Height = 32;
        var output = _temp.Combine($"{format}-run");
        using (var acquire = NavigateProcess.Start("acquire", "--plugins", Plugins, "--format", format, "--out", output,
            "--width", $"{Width}", "--height", $"{Height}", "--z", $"{Z}", "--channels", $"{C}", "--timepoints", $"{T}", "--positions", $"{P}", "--json"))
        {
            var (exit, stdout) = await acquire.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, acquire.Stderr);
            using var summary = JsonDocument.Parse(stdout);
            Assert.Equal(C * Z * T * P, summary.RootElement.GetProperty("framesWritten").GetInt64());
            Assert.True(summary.RootElement.GetProperty("bytesOnDisk").GetInt64() >= C * Z * T * P * Width * Height * 2);
        }

        // navigate's TIFF layout: a folder per position, a stack per channel and timepoint, and nothing else.
        var expected = new List<(string File, int C, int T, int P)>();
        for (var p = 0; p < P; p++)
        {
            for (var t = 0; t < T; t++)
            {
                for (var c = 0; c < C; c++)
                {
                    expected.Add((Path.Combine(output, $"Position{p}", $"CH{c:00}_{t:000000}.ome.tiff"), c, t, p));
                }
            }
        }

        Assert.Equal(
            expected.Select(e => e.File).Order(StringComparer.Ordinal),
            Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

        // tifffile, an independent reader, on every file the CLI wrote: each a z stack whose planes carry the frame
        // numbers the synthetic camera stamped, in navigate's order for per_stack (the CLI's default without an
        // experiment): z fastest, then channel, timepoint, position.
        var (readExit, read, readErrors) = TiffPython.Run(ReadTiffStacks, [.. expected.Select(e => e.File)]);
        Assert.True(readExit == 0, $"tifffile failed on {output}: {readErrors}");
        using var stacks = JsonDocument.Parse(read);
        var files = stacks.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Count, files.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            var (file, c, t, p) = expected[i];
            var stack = files[i];
            var name = Path.GetRelativePath(output, file);
            Assert.True(stack.GetProperty("is_ome").GetBoolean(), $"{name} is not OME-TIFF to tifffile");
            Assert.Equal(new[] { Z, Height, Width }, stack.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            Assert.Equal("uint16", stack.GetProperty("dtype").GetString());
            Assert.Equal(Z, stack.GetProperty("planes").GetInt32());
            Assert.Equal(Enumerable.Range(0, Z), stack.GetProperty("plane_z").EnumerateArray().Select(z => z.GetInt32()));
            var frames = Enumerable.Range(0, Z).Select(z => (long)(z + (Z * (c + (C * (t + (T * p)))))));
            Assert.True(
                frames.SequenceEqual(stack.GetProperty("stamps").EnumerateArray().Select(f => f.GetInt64())),
                $"{name}: frames {stack.GetProperty("stamps")}, expected [{string.Join(", ", frames)}]");
        }

        using var inspect = NavigateProcess.Start("inspect", "--plugins", Plugins, output, "--json");
        var (inspectExit, json) = await inspect.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(inspectExit == 0, inspect.Stderr);
        using var description = JsonDocument.Parse(json);
        Assert.StartsWith("ome-tiff", description.RootElement.GetProperty("format").GetString(), StringComparison.Ordinal);
        Assert.Equal(P, description.RootElement.GetProperty("images").GetArrayLength());
    }

    [Fact]
    public async Task AMissingExperimentFileIsAUsageErrorNamingIt()
    {
        var missing = _temp.Combine("nowhere", "experiment.yml");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", _temp.Combine("none.ome.zarr"), "--experiment", missing);
        var (exit, _) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(2, exit);
        Assert.Contains($"--experiment {missing}: no such file.", navigate.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("none.ome.zarr")));
    }

    [Fact]
    public async Task AV3ShardedAcquisitionConvertsToV2AndBackWithEveryFrameInPlace()
    {
        ZarrPython.Require();
        var v3 = _temp.Combine("run.v3.ome.zarr");
        using (var acquire = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", v3, "--width", "128", "--height", "96",
            "--z", "5", "--channels", "2", "--timepoints", "2", "--positions", "2", "--zarr-version", "3", "--chunks", "2,32,32", "--shard", "4,64,64", "--json"))
        {
            var (exit, stdout) = await acquire.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, acquire.Stderr);
            Assert.Equal(40, JsonDocument.Parse(stdout).RootElement.GetProperty("framesWritten").GetInt64());
        }

        Assert.True(File.Exists(Path.Combine(v3, "A", "1", "1", "0", "zarr.json")));
        Assert.False(File.Exists(Path.Combine(v3, ".zgroup")));
        using (var inspect = NavigateProcess.Start("inspect", "--plugins", Plugins, v3))
        {
            var (exit, stdout) = await inspect.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, inspect.Stderr);
            Assert.Contains("sharding(inner [1, 1, 2, 32, 32]", stdout, StringComparison.Ordinal);
        }

        // v3 -> v2 (zarr-python reads it: every frame in place), v2 -> v3 -> v2 again.
        var v2 = _temp.Combine("back.v2.ome.zarr");
        await Convert(v3, v2, "--zarr-version", "2", "--layout", "navigate");
        var (good, bad, _) = Check(v2, 2, 5, 2, 2, perStack: true, consolidated: true);
        Assert.Equal((40, 0), (good, bad));
        var again = _temp.Combine("again.v3.ome.zarr");
        await Convert(v2, again, "--zarr-version", "3", "--shard", "4,64,64", "--chunks", "2,32,32");
        var twice = _temp.Combine("twice.v2.ome.zarr");
        await Convert(again, twice, "--layout", "navigate");
        (good, bad, _) = Check(twice, 2, 5, 2, 2, perStack: true, consolidated: true);
        Assert.Equal((40, 0), (good, bad));

        static async Task Convert(string from, string to, params string[] options)
        {
            using var convert = NavigateProcess.Start(["convert", "--plugins", Plugins, from, to, .. options]);
            var (exit, _) = await convert.WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exit == 0, convert.Stderr);
        }
    }

    [Fact]
    public async Task ExistingDataIsNotOverwrittenWithoutOverwrite()
    {
        var output = _temp.Combine("kept.ome.zarr");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, ".zgroup"), "{\"zarr_format\": 2}");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", output, "--width", "64", "--height", "64", "--z", "2");
        var (exit, _) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, exit);
        Assert.Contains(output, navigate.Stderr);
        Assert.Equal("{\"zarr_format\": 2}", File.ReadAllText(Path.Combine(output, ".zgroup")));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 130)]
    public async Task ASignalStopsTheCameraFlushesAndLeavesAReadableDataset(string signal, int expectedExit)
    {
        ZarrPython.Require();
        var output = _temp.Combine($"stopped-{signal}.ome.zarr");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", output, "--width", "128", "--height", "128",
            "--z", "100000", "--channels", "1", "--timepoints", "1", "--positions", "1", "--frame-rate", "100", "--json");
        await WaitForProgress(navigate, output);
        navigate.Signal(signal);
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exit == expectedExit, $"exit {exit}: {navigate.Stderr}");
        using var summary = JsonDocument.Parse(stdout);
        Assert.True(summary.RootElement.GetProperty("interrupted").GetBoolean());
        var written = summary.RootElement.GetProperty("framesWritten").GetInt64();
        Assert.InRange(written, 1, 99_999);
        var (good, bad, attrs) = Check(output, 1, 100_000, 1, 1, perStack: true, consolidated: true);
        Assert.Equal(0, bad);
        Assert.Equal(written, good);
        Assert.Equal(written, attrs.GetProperty("frames_written").GetInt64());
    }

    [Fact]
    public async Task AfterKill9WhatWasWrittenOpensAndTheDatasetSaysHowMuch()
    {
        ZarrPython.Require();
        var output = _temp.Combine("killed.ome.zarr");
        using var navigate = NavigateProcess.Start("acquire", "--plugins", Plugins, "--out", output, "--width", "128", "--height", "128",
            "--z", "100000", "--channels", "1", "--timepoints", "1", "--positions", "1", "--frame-rate", "200");
        await WaitForProgress(navigate, output);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        navigate.Signal("KILL");
        await navigate.WaitAsync(TimeSpan.FromMinutes(1));

        // No consolidated metadata was written at close; the arrays' own metadata was written before any chunk.
        var (good, bad, attrs) = Check(output, 1, 100_000, 1, 1, perStack: true, consolidated: false);
        Assert.Equal(0, bad);
        Assert.True(good > 0, "complete chunks written before the kill must be readable");
        if (attrs.TryGetProperty("frames_written", out var recorded))
        {
            // The recorded count is a watermark: never more than what is really there.
            Assert.InRange(recorded.GetInt64(), 0, good);
        }
        else
        {
            Assert.Fail("the dataset does not record how many frames it holds");
        }
    }

    private static async Task WaitForProgress(NavigateProcess navigate, string output)
    {
        // Wait until a few chunks of level 0 are on disk, so there is something to flush or to recover.
        var level0 = Path.Combine(output, "p0_0");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(level0) && Directory.EnumerateFiles(level0).Count(f => !Path.GetFileName(f).StartsWith('.')) >= 5)
            {
                return;
            }

            Assert.False(navigate.Stderr.Contains("error", StringComparison.OrdinalIgnoreCase), navigate.Stderr);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"no chunks appeared in {level0} within a minute: {navigate.Stderr}");
    }
}
