using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary>Where the CLI writes: standard output (tables, JSON) and standard error (errors, progress).</summary>
public sealed class CliConsole
{
    /// <summary>Creates a console over the given writers.</summary>
    public CliConsole(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        ErrorAnsi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        if (!Ansi.Profile.Capabilities.Interactive)
        {
            // Redirected output (logs, pipes) has no width; Spectre's 80 columns would fold every path.
            Ansi.Profile.Width = 200;
        }
    }

    /// <summary>The process's console.</summary>
    public static CliConsole System { get; } = new(Console.Out, Console.Error);

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Rich output on standard output.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Rich output on standard error (progress).</summary>
    public IAnsiConsole ErrorAnsi { get; }
}
