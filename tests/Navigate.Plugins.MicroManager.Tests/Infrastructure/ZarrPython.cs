using System.Diagnostics;

namespace Navigate.Plugins.MicroManager.Tests.Infrastructure;

/// <summary>
/// Debian's python (<c>/usr/bin/python3</c>, where apt's <c>python3-zarr</c> lives) as an independent reader of the
/// datasets acquisitions write. Without zarr the calling test is skipped, unless NAVIGATE_REQUIRE_READERS=1 (CI),
/// where it fails.
/// </summary>
internal static class ZarrPython
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed";
        }

        var (code, _, error) = RunRaw("import zarr, numpy", []);
        return code == 0 ? null : $"zarr-python is not importable by {Python} (apt-get install python3-zarr): {error.Trim()}";
    });

    /// <summary>Runs <paramref name="script"/>; returns stdout; fails the test on a non-zero exit; skips without zarr.</summary>
    public static string Run(string script, params string[] args)
    {
        if (Missing.Value is { } reason)
        {
            if (Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1")
            {
                Assert.Fail($"Independent reader missing: {reason}.");
            }

            Assert.Skip(reason);
        }

        var (exit, output, stderr) = RunRaw(script, args);
        Assert.True(exit == 0, $"python failed ({exit}):\n{stderr}\n--- stdout ---\n{output}");
        return output;
    }

    private static (int Code, string Output, string Error) RunRaw(string script, string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, "timed out after 120 s\n" + error.Result);
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
