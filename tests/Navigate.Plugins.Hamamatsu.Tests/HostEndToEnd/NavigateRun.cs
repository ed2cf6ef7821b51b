using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Navigate.Plugins.Hamamatsu.Tests.HostEndToEnd;

/// <summary>
/// A folder holding a plugins.json that enables synthetic, ome-zarr and hamamatsu (built copies, as a lab installs
/// them), and the real <c>navigate</c> CLI run against it as a child process with the simulator's environment.
/// </summary>
internal sealed class NavigateLab : IDisposable
{
    /// <summary>Small sensors keep every run fast; the two models and serials are the simulator's defaults.</summary>
    public const string Cameras = "C13440-20CU/301234/256x256,C15440-20UP/500678/288x288";

    /// <param name="library">The plugin's <c>library</c> setting.</param>
    /// <param name="ringFrames">
    /// The plugin's <c>ring_frames</c>. The default 64 holds every frame of the short runs, so the plugin snaps them
    /// (nothing can be overwritten however busy the machine); longer runs are free-running sequences.
    /// </param>
    /// <param name="cameras">DCAMSIM_CAMERAS: the simulated cameras, <see cref="Cameras"/> unless a test needs others.</param>
    public NavigateLab(string? library, int ringFrames = 64, string cameras = Cameras)
    {
        SimulatedCameras = cameras;
        Folder = Directory.CreateTempSubdirectory("hamamatsu-e2e-").FullName;
        LogFile = Path.Combine(Folder, "dcamsim.log");
        var plugins = new List<object>
        {
            new { name = "synthetic", path = CopyPlugin("Navigate.Plugins.Synthetic"), enabled = true },
            new { name = "ome-zarr", path = CopyPlugin("Navigate.Plugins.OmeZarr"), enabled = true },
            new { name = "hamamatsu", path = CopyPlugin("Navigate.Plugins.Hamamatsu"), enabled = true, settings = new { library, ring_frames = ringFrames } },
        };
        PluginsFile = Path.Combine(Folder, "plugins.json");
        File.WriteAllText(PluginsFile, JsonSerializer.Serialize(new { plugins }));
    }

    public string Folder { get; }

    public string SimulatedCameras { get; }

    public string PluginsFile { get; }

    /// <summary>DCAMSIM_LOG: every DCAM call the child process made and its result.</summary>
    public string LogFile { get; }

    public string Combine(string name) => Path.Combine(Folder, name);

    public NavigateProcess Start(params string[] args) => NavigateProcess.Start(PluginsFile, LogFile, args, SimulatedCameras);

    public async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var navigate = Start(args);
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(1));
        return (exit, stdout, navigate.Stderr);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string CopyPlugin(string name)
    {
        var built = Path.Combine(RepoRoot, "artifacts", "plugins", name);
        var target = Path.Combine(Folder, "plugins", name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return $"plugins/{name}/{name}.dll";
    }

    private static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Navigate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Navigate.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>The <c>navigate</c> CLI built beside the tests, as a child process.</summary>
internal sealed class NavigateProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly StringBuilder _stderr = new();

    private NavigateProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static NavigateProcess Start(string pluginsFile, string logFile, string[] args, string cameras)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "navigate.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.ArgumentList.Add("--plugins");
        start.ArgumentList.Add(pluginsFile);
        start.Environment["DCAMSIM_CAMERAS"] = cameras;
        start.Environment["DCAMSIM_LOG"] = logFile;
        return new NavigateProcess(Process.Start(start)!);
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public async Task<(int Exit, string Stdout)> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return (_process.ExitCode, await _stdout);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

/// <summary>Debian's python3 with python3-zarr, an independent reader of what we write.</summary>
internal static class ZarrPython
{
    public const string Python = "/usr/bin/python3";

    public static void Require()
    {
        if (File.Exists(Python) && Run("import zarr, numcodecs").Exit == 0)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1")
        {
            Assert.Fail($"{Python} cannot import zarr: install python3-zarr (NAVIGATE_REQUIRE_READERS=1 makes this a failure).");
        }

        Assert.Skip($"{Python} cannot import zarr (apt-get install python3-zarr).");
    }

    public static (int Exit, string Stdout, string Stderr) Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
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
}
