using Microsoft.Extensions.Logging;

namespace Navigate.Host.Cli;

/// <summary>Finds plugins.json: the <c>--plugins</c> option, else beside the executable, else in the current folder.</summary>
internal static class PluginsFileLocator
{
    public const string FileName = "plugins.json";

    public static string? Find(FileInfo? explicitFile, ILogger logger)
    {
        if (explicitFile is not null)
        {
            return explicitFile.Exists
                ? explicitFile.FullName
                : throw new UsageException($"--plugins: file not found: {explicitFile.FullName}");
        }

        string[] candidates = [Path.Combine(AppContext.BaseDirectory, FileName), Path.Combine(Environment.CurrentDirectory, FileName)];
        var found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
        {
            logger.LogWarning("No plugins.json found (looked for {Candidates}); running without plugins. Pass --plugins FILE.", string.Join(" and ", candidates));
        }

        return found;
    }
}
