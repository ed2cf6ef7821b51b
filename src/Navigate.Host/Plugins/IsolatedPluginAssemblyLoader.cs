using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Plugins;

namespace Navigate.Host.Plugins;

/// <summary>
/// Loads each plugin with McMaster's <see cref="PluginLoader"/> into its own <see cref="AssemblyLoadContext"/>. Only
/// Navigate.Abstractions and the Microsoft.Extensions abstractions are shared with the host; everything else a plugin
/// carries (even another version of a library the host or another plugin uses) stays private to it.
/// </summary>
public sealed class IsolatedPluginAssemblyLoader : IPluginAssemblyLoader
{
    /// <summary>The types whose assemblies are shared between the host and every plugin.</summary>
    public static IReadOnlyList<Type> SharedTypes { get; } =
    [
        typeof(INavigatePlugin),
        typeof(IServiceCollection),
        typeof(ILogger),
    ];

    /// <inheritdoc />
    public LoadedPluginAssembly Load(string assemblyPath)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, [.. SharedTypes], config => config.PreferSharedTypes = true);
        var assembly = loader.LoadDefaultAssembly();
        var context = AssemblyLoadContext.GetLoadContext(assembly);
        var abstractions = assembly.GetReferencedAssemblies()
            .FirstOrDefault(a => string.Equals(a.Name, typeof(INavigatePlugin).Assembly.GetName().Name, StringComparison.Ordinal));
        return new LoadedPluginAssembly(assembly, abstractions?.Version, type => AssemblyLoadContext.GetLoadContext(type.Assembly) == context);
    }
}
