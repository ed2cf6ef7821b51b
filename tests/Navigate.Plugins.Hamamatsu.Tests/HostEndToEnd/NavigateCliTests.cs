using System.Globalization;
using System.Text.Json;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests.HostEndToEnd;

/// <summary>
/// The lab's route, end to end: plugins.json → host → Hamamatsu plugin → DCAM-API (the simulator, named by the
/// <c>library</c> setting) → OME-Zarr, with the real <c>navigate</c> CLI as a child process and zarr-python reading
/// what it wrote.
/// </summary>
[Collection(SimulatorCollectionDefinition.Name)]
public sealed class NavigateCliTests : IDisposable
{
    // Checks every plane (c, z, t, p) of every position: the frame number the simulator wrote into its first four
    // pixels must be the engine's frame index for that place, and pixel (x=1, y=1) must hold the simulator's pattern
    // (3·xs + 5·ys + k) at its sensor position (x0 + bin, y0 + bin) for the ROI's sensor offset (x0, y0) and the
    // binning, which proves which camera, which region and which binning was read.
    // Prints "<planes in place> <planes misplaced> <shape of p0_0> <frames whose plane is empty, or ->". Every real
    // frame has a non-zero pattern pixel, so an all-zero plane is one that was never written (a drop, or after a stop).
    private const string Verify = """
        import json, sys
        import numpy as np, zarr
        path, C, Z, T, P, x0, y0, b = sys.argv[1], *map(int, sys.argv[2:9])
        root = zarr.open_consolidated(path, mode="r")
        good = bad = 0
        missing = []
        for f in range(C * Z * T * P):
            c, z, t, p = (f // Z) % C, f % Z, (f // (C * Z)) % T, f // (C * Z * T)
            array = root[f"p{p}_0"]
            if t >= array.shape[0] or c >= array.shape[1] or z >= array.shape[2]:
                continue  # a dataset closed early is shrunk to what was written
            plane = array[t, c, z]
            if not plane.any():
                missing.append(f)
                continue
            stamp = int(np.frombuffer(plane.reshape(-1)[:4].astype("<u2").tobytes(), "<i8")[0])
            pattern = (3 * (x0 + b) + 5 * (y0 + b) + f) % 65536
            if stamp == f and int(plane[1, 1]) == pattern: good += 1
            else: bad += 1; print("misplaced", f, "found", stamp, int(plane[1, 1]), "expected pattern", pattern, file=sys.stderr)
        print(good, bad, ",".join(map(str, root["p0_0"].shape)), ",".join(map(str, missing)) or "-")
        """;

    private readonly NavigateLab _lab = new(DcamSim.LibraryPath);

    public void Dispose() => _lab.Dispose();

    [Fact]
    public async Task Navigate_devices_lists_both_cameras_with_model_serial_and_property_ranges()
    {
        var (exit, stdout, stderr) = await _lab.RunAsync("devices", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var cameras = json.RootElement.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["synthetic", "hamamatsu", "hamamatsu:301234", "hamamatsu:500678"], cameras.Keys);
        foreach (var (name, model, serial, size) in new[] { ("hamamatsu", "C13440-20CU", "301234", 256), ("hamamatsu:301234", "C13440-20CU", "301234", 256), ("hamamatsu:500678", "C15440-20UP", "500678", 288) })
        {
            var info = cameras[name].GetProperty("info");
            Assert.Equal((model, serial, size, size), (info.GetProperty("model").GetString(), info.GetProperty("serialNumber").GetString(), info.GetProperty("sensorWidth").GetInt32(), info.GetProperty("sensorHeight").GetInt32()));
            var hsize = cameras[name].GetProperty("properties").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "subarray_hsize");
            Assert.Equal((4.0, size, 4.0), (hsize.GetProperty("minimum").GetDouble(), hsize.GetProperty("maximum").GetDouble(), hsize.GetProperty("step").GetDouble()));
        }

        var (textExit, text, textErrors) = await _lab.RunAsync("devices");

        Assert.True(textExit == 0, textErrors);
        Assert.Contains("camera hamamatsu:301234", text, StringComparison.Ordinal);
        Assert.Contains("C13440-20CU, serial 301234, sensor 256×256", text, StringComparison.Ordinal);
        Assert.Contains("C15440-20UP, serial 500678, sensor 288×288", text, StringComparison.Ordinal);
        Assert.Contains("exposure_time", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hamamatsu", 256)] // the first DCAM camera
    [InlineData("hamamatsu:500678", 288)] // by serial number: the other one
    public async Task Navigate_acquire_writes_every_frame_in_place_with_the_roi_as_its_shape(string camera, int sensor)
    {
        ZarrPython.Require();
        var output = _lab.Combine("run.ome.zarr");

        var (exit, stdout, stderr) = await _lab.RunAsync("acquire", "--camera", camera, "--out", output, "--width", "128", "--height", "64",
            "--z", "3", "--channels", "2", "--timepoints", "2", "--positions", "2", "--json");

        Assert.True(exit == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal((24, 0), (summary.RootElement.GetProperty("framesWritten").GetInt64(), summary.RootElement.GetProperty("framesDropped").GetInt64()));
        Assert.Equal((128, 64), (summary.RootElement.GetProperty("width").GetInt32(), summary.RootElement.GetProperty("height").GetInt32()));
        var (good, bad, shape, missing) = Check(output, 2, 3, 2, 2, x0: (sensor - 128) / 2, y0: (sensor - 64) / 2);
        Assert.Equal((24, 0), (good, bad));
        Assert.Empty(missing);
        Assert.Equal("2,2,3,64,128", shape);
        AssertCleanShutdown();
    }

    [Fact]
    public async Task Binning_reads_a_region_twice_as_large_and_writes_binned_frames_of_the_asked_size()
    {
        ZarrPython.Require();
        var output = _lab.Combine("binned.ome.zarr");

        var (exit, stdout, stderr) = await _lab.RunAsync("acquire", "--camera", "hamamatsu", "--out", output, "--binning", "2",
            "--width", "64", "--height", "32", "--z", "4", "--channels", "1", "--timepoints", "1", "--positions", "1", "--json");

        Assert.True(exit == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal((64, 32), (summary.RootElement.GetProperty("width").GetInt32(), summary.RootElement.GetProperty("height").GetInt32()));
        // A 128×64 sensor region centred on the 256×256 sensor, read 2×2 binned.
        var (good, bad, shape, missing) = Check(output, 1, 4, 1, 1, x0: 64, y0: 96, binning: 2);
        Assert.Equal((4, 0), (good, bad));
        Assert.Empty(missing);
        Assert.Equal("1,1,4,32,64", shape);
        AssertCleanShutdown();
    }

    [Fact]
    public async Task Sigint_stops_the_camera_and_leaves_a_readable_dataset_and_a_clean_dcam_shutdown()
    {
        ZarrPython.Require();
        var output = _lab.Combine("stopped.ome.zarr");
        using var navigate = _lab.Start("acquire", "--camera", "hamamatsu:301234", "--out", output, "--width", "128", "--height", "64",
            "--z", "2000", "--channels", "1", "--timepoints", "1", "--positions", "1", "--frame-rate", "200", "--chunks", "4,64,128", "--json");
        await WaitForChunks(navigate, Path.Combine(output, "p0_0"));

        navigate.Signal("INT");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(exit == 130, $"exit {exit}: {navigate.Stderr}");
        using var summary = JsonDocument.Parse(stdout);
        Assert.True(summary.RootElement.GetProperty("interrupted").GetBoolean());
        var written = summary.RootElement.GetProperty("framesWritten").GetInt64();
        Assert.InRange(written, 1, 1_999);
        var (good, bad, _, missing) = Check(output, 1, 2000, 1, 1, x0: 64, y0: 96);
        Assert.Equal((written, 0), (good, bad));
        var dropped = summary.RootElement.GetProperty("droppedFrames").EnumerateArray().Select(f => f.GetInt64());
        Assert.Equal(dropped, missing);
        AssertCleanShutdown();
    }

    [Fact]
    public async Task A_deliberately_slow_writer_loses_frames_that_are_counted_listed_and_left_empty_never_misplaced()
    {
        ZarrPython.Require();
        // Three DCAM buffers, two pool frames, 2048×2048 frames through a 4-level pyramid and gzip level 9: the writer
        // keeps up with about 40 % of the free-running camera's frames (23-24 of 60 here), and the camera overwrites
        // the ones not read. The work per frame makes the writer slow, not start-up costs: the data source compiles its
        // codec before the camera starts (the 256×256 frames this test used before stopped dropping then).
        const int frames = 60;
        using var lab = new NavigateLab(DcamSim.LibraryPath, ringFrames: 3, cameras: "C13440-20CU/301234/2048x2048");
        var output = lab.Combine("slow.ome.zarr");

        var (exit, stdout, stderr) = await lab.RunAsync("acquire", "--camera", "hamamatsu", "--out", output, "--width", "2048", "--height", "2048",
            "--z", frames.ToString(CultureInfo.InvariantCulture), "--channels", "1", "--timepoints", "1", "--positions", "1",
            "--levels", "4", "--ring", "2", "--compression", "gzip", "--clevel", "9", "--fail-on-drop", "--json");

        Assert.True(exit == 3, $"exit {exit} (3: frames dropped with --fail-on-drop): {stderr}");
        using var summary = JsonDocument.Parse(stdout);
        var written = summary.RootElement.GetProperty("framesWritten").GetInt64();
        var dropped = summary.RootElement.GetProperty("droppedFrames").EnumerateArray().Select(f => f.GetInt64()).ToArray();
        Assert.Equal(dropped.Length, summary.RootElement.GetProperty("framesDropped").GetInt64());
        Assert.Equal(frames, written + dropped.Length);
        Assert.NotEmpty(dropped);
        Assert.Contains($"sequence ended: {written} frames delivered, {dropped.Length} dropped ({dropped.Length} overwritten in the ring", stderr, StringComparison.Ordinal);
        var (good, bad, _, missing) = Check(output, 1, frames, 1, 1, x0: 0, y0: 0);
        Assert.Equal((written, 0), (good, bad));
        Assert.Equal(dropped, missing);
        AssertCleanShutdown(lab);
    }

    [Fact]
    public async Task A_region_the_camera_cannot_take_is_refused_before_anything_is_written()
    {
        var output = _lab.Combine("odd.ome.zarr");

        var (exit, _, stderr) = await _lab.RunAsync("acquire", "--camera", "hamamatsu", "--out", output, "--width", "130", "--height", "64", "--z", "2");

        Assert.NotEqual(0, exit);
        Assert.Contains("Camera 'hamamatsu' snaps a 130×64 region of interest to 128×64 (its subarray step)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{output} was created");
        AssertCleanShutdown();
    }

    [Fact]
    public async Task A_missing_library_names_every_path_tried_and_writes_nothing()
    {
        using var lab = new NavigateLab("dcam/libdcamapi.so");
        var output = lab.Combine("never.ome.zarr");

        var (exit, _, stderr) = await lab.RunAsync("acquire", "--camera", "hamamatsu", "--out", output, "--z", "2");

        Assert.NotEqual(0, exit);
        Assert.Contains("DCAM-API (library 'dcamapi') could not be loaded. Tried:", stderr, StringComparison.Ordinal);
        Assert.Contains($"{lab.Combine(Path.Combine("dcam", "libdcamapi.so"))} (plugins.json setting 'library'): file not found", stderr, StringComparison.Ordinal);
        Assert.Contains("hamamatsu", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{output} was created");
    }

    private static (int Good, int Bad, string Shape, long[] Missing) Check(string path, int c, int z, int t, int p, int x0, int y0, int binning = 1)
    {
        var args = new[] { path }.Concat(new[] { c, z, t, p, x0, y0, binning }.Select(v => v.ToString(CultureInfo.InvariantCulture))).ToArray();
        var (exit, stdout, stderr) = ZarrPython.Run(Verify, args);
        Assert.True(exit == 0, $"zarr-python failed on {path}: {stderr}");
        Assert.True(stderr.Length == 0, stderr);
        var parts = stdout.Trim().Split(' ');
        var missing = parts[3] == "-" ? [] : parts[3].Split(',').Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], missing);
    }

    /// <summary>The child's DCAM calls, from the simulator's log: whatever happened, it ended as DCAM-API asks.</summary>
    private void AssertCleanShutdown() => AssertCleanShutdown(_lab);

    private static void AssertCleanShutdown(NavigateLab lab)
    {
        var calls = File.ReadAllLines(lab.LogFile);
        var lastInit = Array.FindLastIndex(calls, l => l.StartsWith("dcamapi_init ", StringComparison.Ordinal));
        Assert.True(lastInit >= 0, "no dcamapi_init in the simulator's log");
        var session = calls[lastInit..];
        Assert.Equal("dcamapi_uninit 0x00000001", session[^1]);
        Assert.Equal(
            session.Count(l => l == "dcamdev_open 0x00000001"),
            session.Count(l => l == "dcamdev_close 0x00000001"));
        Assert.Equal(
            session.Count(l => l == "dcambuf_attach 0x00000001"),
            session.Count(l => l == "dcambuf_release 0x00000001"));
    }

    private static async Task WaitForChunks(NavigateProcess navigate, string level0)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(level0) && Directory.EnumerateFiles(level0, "*", SearchOption.AllDirectories).Count(f => !Path.GetFileName(f).StartsWith('.')) >= 3)
            {
                return;
            }

            Assert.DoesNotContain("error", navigate.Stderr, StringComparison.OrdinalIgnoreCase);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"no chunks appeared in {level0} within 30 s: {navigate.Stderr}");
    }
}
