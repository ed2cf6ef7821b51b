using System.CommandLine;

namespace Navigate.Host.Cli;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<FileInfo?> Plugins { get; } = new("--plugins")
    {
        Description = "The plugins.json to load (default: beside the executable, then in the current folder).",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log plugin loading and show stack traces of errors.",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Plugins);
        root.Options.Add(Verbose);
    }
}
