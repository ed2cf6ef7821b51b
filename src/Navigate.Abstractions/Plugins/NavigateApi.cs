namespace Navigate.Plugins;

/// <summary>The version of the contract between the host and its plugins.</summary>
/// <remarks>
/// <see cref="Version"/> is a constant, so a plugin that passes it to <see cref="PluginInfo"/> records the version
/// of Navigate.Abstractions it was compiled against, not the one the host happens to load. The host accepts a
/// plugin whose major version equals its own and whose minor version is not newer than its own.
/// </remarks>
public static class NavigateApi
{
    /// <summary>The API version of this build of Navigate.Abstractions, as SemVer (major.minor.patch).</summary>
    public const string Version = "1.0.0";

    /// <summary>The API version of this build of Navigate.Abstractions, parsed.</summary>
    public static ApiVersion Current { get; } = ApiVersion.Parse(Version);
}
