using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Navigate.Host.Acquisition;
using Navigate.Host.Cli;
using Navigate.Devices;
using Navigate.Host.Devices;
using Navigate.Host.Plugins;

namespace Navigate.Host.Benchmarks;

/// <summary>
/// Measures, in one run, on one folder and with the same frames: a plain sequential file write with fsync (the disk's
/// reference), our writer with none / lz4 / zstd with and without a pyramid, and zarr-python writing the same frames
/// with the same chunks and codecs when Debian's python3-zarr is installed. Every timing ends when the data is on disk.
/// </summary>
/// <remarks>Our writer runs as a child <c>navigate acquire</c> process per row, so memory and CPU figures are its own.</remarks>
public sealed class BenchRunner(DeviceCatalog devices, PluginCatalog plugins, string folder, int width, int height, int frames, string pluginsFile, TextWriter log)
{
    /// <summary>Distinct frames handed to zarr-python, which cycles through them (it cannot drive our camera).</summary>
    public const int SampleFrames = 16;

    /// <summary>The frame rate of the paced row (issue 8: no drops at 100 fps of 2048 × 2048 when the disk keeps up).</summary>
    public const int PacedFramesPerSecond = 100;

    /// <summary>The Debian Python with python3-zarr; the pyenv one on PATH may lack it.</summary>
    public const string DebianPython = "/usr/bin/python3";

    /// <summary>Runs every row.</summary>
    public BenchReport Run(IReadOnlyList<string>? only = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);

        // Said first, not only in the report: a run takes minutes and its figures would be worthless.
        var warnings = UnoptimizedBuildDetector.Warnings(plugins);
        foreach (var warning in warnings)
        {
            log.WriteLine($"bench: warning: {warning}");
        }

        var bytes = (long)width * height * 2 * frames;
        var rows = new List<BenchResult>();
        Step("plain write");
        var samplePath = Path.Combine(folder, "frames.u16");
        // The first pass over fresh memory pays for page faults that later rows do not (on a VM, each first touch of a
        // guest page can cost a host fault): it warms the page cache and is not reported, so the reference is the
        // disk's steady rate, not the machine's first-touch cost.
        PlainWrite(bytes, samplePath);
        var plain = PlainWrite(bytes, samplePath);
        rows.Add(plain);

        foreach (var (codec, levels) in new[] { ("none", 1), ("lz4", 1), ("zstd", 1), ("none", 4), ("lz4", 4), ("zstd", 4) })
        {
            var name = $"navigate {codec}{(levels > 1 ? $" +{levels}-level pyramid" : string.Empty)}";
            if (only is not null && !only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Step(name);
            rows.Add(Ours(name, codec, levels, bytes));
        }

        // Small chunks as navigate uses them, on Zarr v2 (one file per chunk) and sharded Zarr v3 (one file per shard).
        foreach (var (name, extra) in ShardRows)
        {
            if (only is not null && !only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Step(name);
            rows.Add(Ours(name, "lz4", 1, bytes, SmallChunks, extra));
        }

        // The camera at a sensor's pace instead of free-running: does the writer keep up without dropping a frame?
        var paced = $"navigate lz4 at {PacedFramesPerSecond} fps";
        if (only is null || only.Any(o => paced.Contains(o, StringComparison.OrdinalIgnoreCase)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Step(paced);
            rows.Add(Ours(paced, "lz4", 1, bytes, extra: ["--frame-rate", Text(PacedFramesPerSecond)]));
        }

        if (HasZarrPython())
        {
            foreach (var codec in new[] { "none", "lz4", "zstd" })
            {
                cancellationToken.ThrowIfCancellationRequested();
                Step($"zarr-python {codec}");
                rows.Add(ZarrPython(codec, samplePath, bytes));
            }
        }
        else
        {
            rows.Add(new BenchResult("zarr-python", bytes, 0, 0, 0, 0, 0, 0, $"not measured: {DebianPython} cannot import zarr (apt-get install python3-zarr)"));
        }

        File.Delete(samplePath);
        var plainRate = plain.MegabytesPerSecond;
        var withRatios = rows.Select(r => r with
        {
            RatioToPlainWrite = plainRate > 0 ? Math.Round(r.MegabytesPerSecond / plainRate, 3) : 0,
            RatioToDiskBound = plainRate > 0 && r.CompressionRatio > 0 ? Math.Round(r.MegabytesPerSecond / (plainRate * Math.Max(1, r.CompressionRatio)), 3) : 0,
            CoresBusy = r.Seconds > 0 ? Math.Round(r.CpuSeconds / r.Seconds / Environment.ProcessorCount, 3) : 0,
        }).ToArray();
        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {TotalMemory()}";
        return new BenchReport(machine, Path.GetFullPath(folder), width, height, frames, withRatios) { Warnings = warnings };
    }

    private void Step(string name) => log.WriteLine($"bench: {name} ...");

    private BenchResult PlainWrite(long bytes, string samplePath)
    {
        // The same frames as every other row: from the synthetic camera, free-running, through a ring of buffers.
        var path = Path.Combine(folder, "plain.raw");
        using var camera = devices.OpenCamera(DeviceCatalog.DefaultCamera);
        camera.Configure(camera.Settings with { Roi = RegionOfInterest.Centered(width, height, camera.Info.SensorWidth, camera.Info.SensorHeight), FrameRate = null });
        using var pool = new FramePool(8, width, height, PixelType.UInt16);
        using var sample = File.Create(samplePath);
        camera.StartSequence(pool, frames);
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            while (camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame) != FrameWaitResult.Completed)
            {
                using (frame)
                {
                    if (frame is null)
                    {
                        continue;
                    }

                    file.Write(frame.Bytes);
                    if (frame.FrameNumber < SampleFrames)
                    {
                        // Kept outside the clock's concern: a few frames for zarr-python, written once.
                        clock.Stop();
                        sample.Write(frame.Bytes);
                        clock.Start();
                    }
                }
            }

            file.Flush(flushToDisk: true);
        }

        clock.Stop();
        var cpuSeconds = (Cpu() - cpu).TotalSeconds;
        File.Delete(path);
        using var self = Process.GetCurrentProcess();
        return new BenchResult("plain file write + fsync", bytes, clock.Elapsed.TotalSeconds, cpuSeconds, self.PeakWorkingSet64, bytes, 1, camera.Counters.FramesDropped);
    }

    /// <summary>navigate's Zarr v3 inner chunk, used by the v2-versus-v3 rows.</summary>
    private const string SmallChunks = "8,256,256";

    private static readonly (string Name, string[] Extra)[] ShardRows =
    [
        ("navigate lz4 v2 chunks 8,256,256", []),
        ("navigate lz4 v3 shard 32,256,256 (navigate's)", ["--zarr-version", "3", "--shard", "32,256,256"]),
        ("navigate lz4 v3 shard 32,1024,1024", ["--zarr-version", "3", "--shard", "32,1024,1024"]),
    ];

    private BenchResult Ours(string name, string codec, int levels, long bytes, string? chunks = null, string[]? extra = null)
    {
        var output = Path.Combine(folder, $"navigate-{codec}-{levels}.ome.zarr");
        string[] args =
        [
            "acquire", "--plugins", pluginsFile, "--out", output, "--overwrite", "--sync", "--json",
            "--width", Text(width), "--height", Text(height), "--z", Text(frames), "--channels", "1", "--timepoints", "1", "--positions", "1",
            "--compression", codec, "--levels", Text(levels), "--chunks", chunks ?? $"1,{Text(height)},{Text(width)}",
            .. extra ?? [],
        ];
        var (exit, stdout, stderr) = RunSelf(args);
        try
        {
            if (exit != 0)
            {
                return new BenchResult(name, bytes, 0, 0, 0, 0, 0, 0, $"navigate acquire exited {exit}: {FirstLine(stderr)}");
            }

            var summary = JsonSerializer.Deserialize<AcquisitionSummary>(stdout, CliJson.Options)!;
            return new BenchResult(name, summary.BytesWritten, summary.Seconds, summary.CpuSeconds, summary.PeakMemoryBytes, summary.BytesOnDisk, summary.Files, summary.FramesDropped);
        }
        finally
        {
            DeleteQuietly(output);
        }
    }

    private BenchResult ZarrPython(string codec, string samplePath, long bytes)
    {
        var output = Path.Combine(folder, $"zarr-python-{codec}.zarr");
        var script = Path.Combine(folder, "zarr_python_writer.py");
        using (var resource = typeof(BenchRunner).Assembly.GetManifestResourceStream("zarr_python_writer.py")!)
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }

        try
        {
            var (exit, stdout, stderr) = Run(DebianPython, [script, output, samplePath, Text(width), Text(height), Text(frames), codec]);
            if (exit != 0)
            {
                return new BenchResult($"zarr-python {codec}", bytes, 0, 0, 0, 0, 0, 0, $"exited {exit}: {FirstLine(stderr)}");
            }

            using var json = JsonDocument.Parse(stdout);
            var r = json.RootElement;
            return new BenchResult(
                $"zarr-python {r.GetProperty("zarr").GetString()} {codec}",
                bytes,
                r.GetProperty("seconds").GetDouble(),
                r.GetProperty("cpuSeconds").GetDouble(),
                r.GetProperty("peakMemoryBytes").GetInt64(),
                r.GetProperty("bytesOnDisk").GetInt64(),
                r.GetProperty("files").GetInt64(),
                0);
        }
        finally
        {
            DeleteQuietly(output);
            File.Delete(script);
        }
    }

    private static bool HasZarrPython()
        => File.Exists(DebianPython) && Run(DebianPython, ["-c", "import zarr, numcodecs"]).Exit == 0;

    private static (int Exit, string Stdout, string Stderr) RunSelf(string[] args)
    {
        // Under `dotnet navigate.dll` the process is dotnet itself: pass the assembly first.
        var host = Environment.ProcessPath!;
        var isDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return Run(host, isDotnet ? [typeof(BenchRunner).Assembly.Location, .. args] : args);
    }

    private static (int Exit, string Stdout, string Stderr) Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string TotalMemory()
    {
        var info = GC.GetGCMemoryInfo();
        return $"{info.TotalAvailableMemoryBytes / (1L << 30)} GiB";
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? string.Empty;

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
