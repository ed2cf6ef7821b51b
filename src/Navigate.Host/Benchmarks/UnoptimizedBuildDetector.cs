using System.Diagnostics;
using System.Reflection;
using Navigate.Host.Plugins;

namespace Navigate.Host.Benchmarks;

/// <summary>
/// Finds the host and plugin assemblies of this process that were built without JIT optimization (Debug builds): a
/// bench figure measured with them says nothing about a Release install.
/// </summary>
/// <remarks>
/// The trap is easy to fall into: <c>dotnet test</c> builds in Debug and lays its plugin builds over
/// <c>artifacts/plugins/</c>, so a Release <c>navigate bench</c> run afterwards loads Debug plugins through
/// plugins.json and measures a shuffle filter running without optimization.
/// </remarks>
internal static class UnoptimizedBuildDetector
{
    /// <summary>One warning per unoptimized assembly: the host's own, then each loaded plugin's main assembly.</summary>
    public static IReadOnlyList<string> Warnings(PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var warnings = new List<string>();
        Check("the navigate host", typeof(UnoptimizedBuildDetector).Assembly, warnings);
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .ToLookup(a => Path.GetFullPath(a.Location), StringComparer.Ordinal);
        foreach (var plugin in catalog.Loaded)
        {
            foreach (var assembly in loaded[Path.GetFullPath(plugin.Path)])
            {
                Check($"plugin '{plugin.Name}'", assembly, warnings);
            }
        }

        return warnings;
    }

    /// <summary>True when the assembly asks the JIT not to optimize it, as a Debug build does.</summary>
    public static bool IsUnoptimized(Assembly assembly)
        => assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;

    private static void Check(string who, Assembly assembly, List<string> warnings)
    {
        if (IsUnoptimized(assembly))
        {
            warnings.Add($"{who} is a Debug build ({assembly.Location}): these figures are not a Release install's. Build with `dotnet build -c Release Navigate.sln` (`dotnet test` leaves Debug plugins in artifacts/plugins/) and bench again.");
        }
    }
}
