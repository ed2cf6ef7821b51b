using System.Reflection;

namespace Navigate.Host.Plugins;

/// <summary>Loads a plugin's main assembly in a context of its own. The seam between catalog logic and the runtime.</summary>
public interface IPluginAssemblyLoader
{
    /// <summary>Loads the assembly at <paramref name="assemblyPath"/> and everything it needs in a new, isolated context.</summary>
    LoadedPluginAssembly Load(string assemblyPath);
}

/// <summary>A loaded plugin assembly.</summary>
/// <param name="Assembly">The plugin's main assembly.</param>
/// <param name="AbstractionsReference">The version of Navigate.Abstractions it was compiled against, or null if it does not reference it.</param>
/// <param name="Owns">True when a type comes from this plugin's load context.</param>
public sealed record LoadedPluginAssembly(Assembly Assembly, Version? AbstractionsReference, Func<Type, bool> Owns);
