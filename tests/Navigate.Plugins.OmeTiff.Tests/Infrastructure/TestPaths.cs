namespace Navigate.Plugins.OmeTiff.Tests.Infrastructure;

/// <summary>Where the repository and the built plugin are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PluginFolder => Path.Combine(RepoRoot, "artifacts", "plugins", "Navigate.Plugins.OmeTiff");

    public static string PluginDll => Path.Combine(PluginFolder, "Navigate.Plugins.OmeTiff.dll");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Navigate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Navigate.sln not found above {AppContext.BaseDirectory}.");
    }
}
