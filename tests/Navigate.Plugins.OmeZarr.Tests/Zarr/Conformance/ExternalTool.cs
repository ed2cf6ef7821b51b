using System.Diagnostics;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>
/// Runs an independent reader (Debian's zarr-python, node's zarrita). When it is missing the test is skipped, or fails
/// when NAVIGATE_REQUIRE_READERS=1 (CI).
/// </summary>
public sealed class ExternalTool
{
    private readonly Lazy<string?> _unavailableReason;

    public ExternalTool(string executable, string[] probeArguments, string description)
    {
        Executable = executable;
        _unavailableReason = new Lazy<string?>(() =>
        {
            if (!File.Exists(executable))
            {
                return $"{description}: {executable} does not exist";
            }

            var (code, _, stderr) = RunCore(probeArguments, Environment.CurrentDirectory, TimeSpan.FromSeconds(60));
            return code == 0 ? null : $"{description}: probe failed ({stderr.Trim()})";
        });
    }

    /// <summary>Debian's python with python3-zarr (the pyenv python3 on PATH lacks Debian's packages).</summary>
    public static ExternalTool ZarrPython { get; } = new(
        "/usr/bin/python3", ["-c", "import zarr, numcodecs, numpy"], "zarr-python (apt-get install python3-zarr)");

    public string Executable { get; }

    public string? UnavailableReason => _unavailableReason.Value;

    public static bool ReadersRequired => Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1";

    /// <summary>Skips (or, on CI, fails) the calling test when the tool is missing.</summary>
    public void RequireOrSkip()
    {
        if (UnavailableReason is { } reason)
        {
            if (ReadersRequired)
            {
                Assert.Fail($"Required reader missing: {reason}");
            }

            Assert.Skip($"Reader missing: {reason}");
        }
    }

    public (int ExitCode, string StandardOutput, string StandardError) Run(string[] arguments, string workingDirectory, TimeSpan timeout) =>
        RunCore(arguments, workingDirectory, timeout);

    private (int, string, string) RunCore(string[] arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, stdout.Result, $"timed out after {timeout}");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, string.Empty, e.Message);
        }
    }
}
