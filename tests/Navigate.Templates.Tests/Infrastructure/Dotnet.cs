using System.Diagnostics;

namespace Navigate.Templates.Tests.Infrastructure;

/// <summary>What a finished child process printed.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, string Error)
{
    public override string ToString() => $"`{Command}` exited with {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the dotnet CLI (SDK commands and the built `navigate` host) as a user at a terminal would.</summary>
internal static class Dotnet
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>The dotnet executable running this test (the SDK's host), else the one on PATH.</summary>
    private static string Executable { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet args</c> in <paramref name="workingDirectory"/> and returns what it printed.</summary>
    public static async Task<ProcessResult> RunAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // This process runs under `dotnet test`, whose MSBuild and test-platform variables would steer the child.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No MSBuild nodes left behind holding this test's pipes.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var command = $"dotnet {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {command}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {Limit.TotalMinutes} minutes (or the test was cancelled).");
        }

        // A server process the child started could keep its pipes open; what was printed until now is enough.
        await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        return new ProcessResult(command, process.ExitCode, output.IsCompleted ? output.Result : "(output still open)", error.IsCompleted ? error.Result : "(error output still open)");
    }

    /// <summary>Runs <c>dotnet args</c> and fails with everything it printed unless it succeeds.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string workingDirectory, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var result = await RunAsync(workingDirectory, args, cancellationToken);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException(result.ToString());
    }
}
