using System.Diagnostics;
using System.Text.Json;

namespace Navigate.Plugins.OmeTiff.Tests.Infrastructure;

/// <summary>
/// Debian's python3-tifffile (through /usr/bin/python3, not the PATH python) as the independent reader and writer.
/// Missing: the test skips, or fails when NAVIGATE_REQUIRE_READERS=1 (CI).
/// </summary>
internal static class Tifffile
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<string?> Problem = new(FindProblem);

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Infrastructure", "tifffile_probe.py");

    /// <summary>Skips (or fails on CI) when tifffile cannot run here.</summary>
    public static void Require()
    {
        if (Problem.Value is not { } problem)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1")
        {
            Assert.Fail($"tifffile is required (NAVIGATE_REQUIRE_READERS=1) but {problem}. Install Debian's python3-tifffile (.ci/apt-packages.txt).");
        }

        Assert.Skip($"tifffile unavailable: {problem}. Install Debian's python3-tifffile.");
    }

    /// <summary>tifffile's view of each file (see tifffile_probe.py).</summary>
    public static JsonElement[] Read(params string[] paths)
    {
        Require();
        return [.. Run(["read", .. paths]).EnumerateArray()];
    }

    /// <summary>One pixel of one page, the page count and (OME) that page's PositionZ, reading only that page.</summary>
    public static JsonElement ReadPage(string path, int page, int y, int x)
    {
        Require();
        return Run(["page", path, page.ToString(System.Globalization.CultureInfo.InvariantCulture), y.ToString(System.Globalization.CultureInfo.InvariantCulture), x.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    /// <summary>Writes files with tifffile from a spec list (see tifffile_probe.py); returns path and sha256 of each.</summary>
    public static JsonElement[] Write(string workFolder, params object[] items)
    {
        Require();
        var spec = Path.Combine(workFolder, "spec-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(spec, JsonSerializer.Serialize(items));
        try
        {
            return [.. Run(["write", spec]).EnumerateArray()];
        }
        finally
        {
            File.Delete(spec);
        }
    }

    /// <summary>
    /// Runs one command in a tifffile process started once for the whole test run (importing numpy and tifffile
    /// costs more than most commands); commands from parallel tests take turns.
    /// </summary>
    private static JsonElement Run(IEnumerable<string> args)
    {
        lock (Server)
        {
            var process = Server.Value;
            process.StandardInput.WriteLine(JsonSerializer.Serialize(new { args = args.ToArray() }));
            process.StandardInput.Flush();
            var line = process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"tifffile_probe.py exited: {string.Join('\n', ServerErrors)}");
            var answer = JsonDocument.Parse(line).RootElement;
            if (answer.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"tifffile_probe.py failed: {error.GetString()}");
            }

            return answer.GetProperty("ok").Clone();
        }
    }

    private static readonly Queue<string> ServerErrors = new();

    private static readonly Lazy<Process> Server = new(() =>
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add("serve");
        var process = Process.Start(start)!;
        // tifffile logs warnings (e.g. on cut-short files); drain them so the pipe never fills, keep the last few.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (ServerErrors)
            {
                ServerErrors.Enqueue(e.Data);
                if (ServerErrors.Count > 50)
                {
                    ServerErrors.Dequeue();
                }
            }
        };
        process.BeginErrorReadLine();
        // The process ends when its input closes, which happens when the test run exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => process.StandardInput.Close();
        return process;
    });

    private static string? FindProblem()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} does not exist";
        }

        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import tifffile, numpy"]) { RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{Python} cannot import tifffile: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} cannot run: {e.Message}";
        }
    }
}
