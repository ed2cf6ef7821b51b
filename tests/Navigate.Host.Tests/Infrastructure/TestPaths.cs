namespace Navigate.Host.Tests.Infrastructure;

/// <summary>Where the repository and the built test plugins are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TestPlugins => Path.Combine(RepoRoot, "artifacts", "testplugins");

    public static string Plugins => Path.Combine(RepoRoot, "artifacts", "plugins");

    public static string TestPluginDll(string name) => Path.Combine(TestPlugins, name, name + ".dll");

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
