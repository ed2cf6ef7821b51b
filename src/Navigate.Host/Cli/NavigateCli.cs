using System.CommandLine;
using Navigate.Host.Plugins;

namespace Navigate.Host.Cli;

/// <summary>The <c>navigate</c> command line: builds the commands and runs one with consistent errors and exit codes.</summary>
public static class NavigateCli
{
    /// <summary>Runs the CLI with <paramref name="args"/> and returns the exit code (0 success, 1 runtime error, 2 usage error).</summary>
    public static int Run(string[] args, CliConsole? console = null)
    {
        console ??= CliConsole.System;
        var global = new GlobalOptions();
        var root = new RootCommand("navigate: light-sheet microscope acquisition with plugin devices and file formats.");
        global.AddTo(root);
        root.Subcommands.Add(PluginsCommand.Create(global, console));
        root.Subcommands.Add(DevicesCommand.Create(global, console));
        root.Subcommands.Add(AcquireCommand.Create(global, console));
        root.Subcommands.Add(InspectCommand.Create(global, console));
        root.Subcommands.Add(ConvertCommand.Create(global, console));
        root.Subcommands.Add(BenchCommand.Create(global, console));

        var parse = root.Parse(args);
        var verbose = parse.GetValue(global.Verbose);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"navigate: {error.Message}");
            }

            console.Error.WriteLine("Run 'navigate --help' for usage.");
            return ExitCodes.UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"navigate: {e.Message}");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Errors whose messages were written for users are shown as they are; anything else names its type.
            var shown = e is PluginManifestException or KeyNotFoundException or Acquisition.AcquisitionException or IOException or ArgumentException
                ? e.Message.Trim('\'', '"')
                : $"{e.GetType().Name}: {e.Message}";
            console.Error.WriteLine($"navigate: error: {shown}");
            if (verbose)
            {
                console.Error.WriteLine(e);
            }

            return ExitCodes.RuntimeError;
        }
    }
}
