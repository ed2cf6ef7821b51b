using System.Diagnostics;

namespace Navigate.Host.Tests.Infrastructure;

/// <summary>The real `navigate` CLI as a child process (the copy of the host built beside the tests).</summary>
internal sealed class NavigateProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly System.Text.StringBuilder _stderr = new();

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

    public int Id => _process.Id;

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

    public static NavigateProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "navigate.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return new NavigateProcess(Process.Start(start)!);
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
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
