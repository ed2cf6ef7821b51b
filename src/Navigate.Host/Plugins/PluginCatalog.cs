namespace Navigate.Host.Plugins;

/// <summary>Every plugins.json entry the host saw and what became of it (registered as a singleton).</summary>
/// <param name="ManifestPath">The plugins.json file, or null when none was used.</param>
/// <param name="Plugins">One record per entry, in file order, then plugins added in code.</param>
public sealed record PluginCatalog(string? ManifestPath, IReadOnlyList<PluginRecord> Plugins)
{
    /// <summary>The plugins that loaded.</summary>
    public IEnumerable<PluginRecord> Loaded => Plugins.Where(p => p.Status == PluginStatus.Loaded);
}
