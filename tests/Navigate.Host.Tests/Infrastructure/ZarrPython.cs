using System.Diagnostics;

namespace Navigate.Host.Tests.Infrastructure;

/// <summary>Debian's python3 with python3-zarr, an independent reader of what we write.</summary>
internal static class ZarrPython
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Whether Debian's python3 can import zarr and numcodecs.</summary>
    public static bool IsInstalled => File.Exists(Python) && Run("import zarr, numcodecs").Exit == 0;

    /// <summary>Skips (or, on CI with NAVIGATE_REQUIRE_READERS=1, fails) when zarr-python is not installed.</summary>
    public static void Require()
    {
        if (IsInstalled)
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
