using System.Diagnostics;

namespace Navigate.Plugins.OmeZarr.Tests.TestSupport;

/// <summary>
/// Runs Debian's python (<c>/usr/bin/python3</c>, where apt's <c>python3-zarr</c> lives) as an independent reader and
/// writer. Without zarr the calling test is skipped, unless NAVIGATE_REQUIRE_READERS=1 (CI), where it fails.
/// </summary>
internal static class OmeZarrPython
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed";
        }

        var (code, _, error) = RunRaw("import zarr, numcodecs, numpy", []);
        return code == 0 ? null : $"zarr-python is not importable by {Python} (apt-get install python3-zarr): {error.Trim()}";
    });

    /// <summary>Skips (or, on CI, fails) the test when zarr-python is missing.</summary>
    public static void Require()
    {
        if (Missing.Value is { } reason)
        {
            if (Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1")
            {
                Assert.Fail($"Independent reader missing: {reason}.");
            }

            Assert.Skip(reason);
        }
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; returns stdout, fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        Require();
        var (code, output, error) = RunRaw(script, args);
        Assert.True(code == 0, $"python failed ({code}):\n{error}\n--- stdout ---\n{output}");
        return output;
    }

    private static (int Code, string Output, string Error) RunRaw(string script, string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
