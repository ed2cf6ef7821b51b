using System.Text.Json;

namespace Navigate.Host.Plugins;

/// <summary>The contents of a plugins.json file.</summary>
/// <param name="FilePath">Absolute path of the file.</param>
/// <param name="Entries">The entries in file order.</param>
public sealed record PluginManifest(string FilePath, IReadOnlyList<PluginEntry> Entries)
{
    /// <summary>The folder of the file; entry paths are relative to it and must stay inside it.</summary>
    public string Directory => Path.GetDirectoryName(FilePath)!;
}

/// <summary>One entry of plugins.json.</summary>
/// <param name="Name">The name the host and users know the plugin by.</param>
/// <param name="Path">The plugin's main assembly, relative to plugins.json.</param>
/// <param name="Enabled">False to keep the entry but not load it.</param>
/// <param name="Sha256">When given, the main assembly's SHA-256 (hex) must match.</param>
/// <param name="Settings">The plugin's settings object (passed to it as <see cref="Navigate.Plugins.PluginContext.Settings"/>).</param>
/// <param name="Problem">Why the entry itself is malformed, or null.</param>
public sealed record PluginEntry(string Name, string Path, bool Enabled, string? Sha256, JsonElement Settings, string? Problem = null);
