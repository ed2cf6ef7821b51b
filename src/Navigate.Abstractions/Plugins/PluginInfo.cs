namespace Navigate.Plugins;

/// <summary>Identifies a plugin.</summary>
/// <param name="Name">A short, stable name, e.g. <c>"Navigate.Plugins.Synthetic"</c>.</param>
/// <param name="Version">The plugin's own version (any text; SemVer recommended).</param>
/// <param name="ApiVersion">
/// The Navigate API version the plugin was compiled against. Leave the default: it is the constant
/// <see cref="NavigateApi.Version"/>, baked into the plugin when it is compiled.
/// </param>
public sealed record PluginInfo(string Name, string Version, string ApiVersion = NavigateApi.Version);
