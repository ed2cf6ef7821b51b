namespace Navigate.Host.Plugins;

/// <summary>What became of a plugins.json entry.</summary>
public enum PluginStatus
{
    /// <summary>Loaded and its services registered.</summary>
    Loaded,

    /// <summary><c>"enabled": false</c> in plugins.json.</summary>
    Disabled,

    /// <summary>Built for an API version this host cannot run.</summary>
    Incompatible,

    /// <summary>Refused before loading: missing file, hash mismatch, path outside the plugins folder, bad entry.</summary>
    Rejected,

    /// <summary>Loading or configuring it threw.</summary>
    Failed,
}

/// <summary>One plugins.json entry and what became of it.</summary>
/// <param name="Name">The entry's name.</param>
/// <param name="Path">The resolved path of the main assembly (as written when it could not be resolved).</param>
/// <param name="Status">Outcome.</param>
/// <param name="Reason">Why it is not loaded; null when loaded.</param>
/// <param name="Version">The plugin's own version, when known.</param>
/// <param name="ApiVersion">The Navigate API version it was built against, when known.</param>
/// <param name="Provides">What it registered, e.g. <c>camera:synthetic</c>, <c>format:ome-zarr</c>.</param>
public sealed record PluginRecord(
    string Name,
    string Path,
    PluginStatus Status,
    string? Reason,
    string? Version,
    string? ApiVersion,
    IReadOnlyList<string> Provides);
