using System.Reflection;

namespace Navigate.Templates.Tests.Infrastructure;

/// <summary>Where the repository and its build outputs are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test project was built in; the host and plugins were built in the same one.</summary>
    public static string Configuration { get; } = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Configuration").Value!;

    /// <summary>The `navigate` CLI as built (run with <c>dotnet navigate.dll</c>).</summary>
    public static string Host => Path.Combine(Root, "src", "Navigate.Host", "bin", Configuration, "net10.0", "navigate.dll");

    public static string SyntheticPlugin => Path.Combine(Root, "artifacts", "plugins", "Navigate.Plugins.Synthetic");

    public static string AbstractionsProject => Path.Combine(Root, "src", "Navigate.Abstractions", "Navigate.Abstractions.csproj");

    public static string TemplatesFolder => Path.Combine(Root, "templates", "Navigate.Templates");

    /// <summary>The template package the build packs (templates/Navigate.Templates, GeneratePackageOnBuild).</summary>
    public static string TemplatesPackage => Directory.GetFiles(Path.Combine(Root, "artifacts", "templates"), "Navigate.Templates.*.nupkg").Single();

    private static string FindRoot()
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
