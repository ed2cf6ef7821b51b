using Navigate.Plugins;

namespace Navigate.Host.Plugins;

/// <summary>Decides whether a plugin's API version can run on this host.</summary>
public sealed class ApiVersionGate(ApiVersion hostVersion)
{
    /// <summary>The host's API version.</summary>
    public ApiVersion HostVersion { get; } = hostVersion;

    /// <summary>
    /// Checks the version of Navigate.Abstractions the plugin assembly references (its major version must be the
    /// host's). Returns null when acceptable, else the reason.
    /// </summary>
    public string? CheckReference(Version? referenced)
    {
        if (referenced is null)
        {
            return $"it does not reference Navigate.Abstractions, so it cannot implement INavigatePlugin for API {HostVersion}.";
        }

        return referenced.Major == HostVersion.Major
            ? null
            : $"it was compiled against Navigate.Abstractions {referenced} (API {referenced.Major}.x); this host runs API {HostVersion}.";
    }

    /// <summary>Checks the API version the plugin declares in its <see cref="PluginInfo"/>. Null when acceptable, else the reason.</summary>
    public string? CheckDeclared(string? declared)
    {
        if (!ApiVersion.TryParse(declared, out var version))
        {
            return $"its PluginInfo.ApiVersion '{declared}' is not a SemVer version.";
        }

        if (version.Major != HostVersion.Major)
        {
            return $"it was built for Navigate API {version} (major {version.Major}); this host runs API {HostVersion} (major {HostVersion.Major}).";
        }

        return HostVersion.CanHost(version)
            ? null
            : $"it was built for Navigate API {version}, newer than this host's API {HostVersion}: update the host.";
    }
}
