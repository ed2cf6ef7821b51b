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

    private static JsonElement Run(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Script);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tifffile_probe.py failed ({process.ExitCode}): {stderr.Result}");
        }

        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

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
