using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Navigate.Plugins;

/// <summary>A semantic version (major.minor.patch) of the plugin API.</summary>
/// <param name="Major">Incremented on breaking changes; plugins of another major version are refused.</param>
/// <param name="Minor">Incremented when members are added; a host runs plugins built for its minor or older.</param>
/// <param name="Patch">Incremented for fixes that change no signature.</param>
public readonly record struct ApiVersion(int Major, int Minor, int Patch) : IComparable<ApiVersion>
{
    /// <summary>Parses <c>major.minor.patch</c> (a pre-release or build suffix after <c>-</c> or <c>+</c> is ignored).</summary>
    /// <exception cref="FormatException">The text is not a SemVer version.</exception>
    public static ApiVersion Parse(string text)
    {
        if (TryParse(text, out var version))
        {
            return version;
        }

        throw new FormatException($"API version '{text}' is not a SemVer version; expected major.minor.patch such as '1.0.0'.");
    }

    /// <summary>Parses <c>major.minor.patch</c>; returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ApiVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var core = text.AsSpan().Trim();
        var suffix = core.IndexOfAny('-', '+');
        if (suffix >= 0)
        {
            core = core[..suffix];
        }

        Span<Range> parts = stackalloc Range[4];
        if (core.Split(parts, '.') != 3)
        {
            return false;
        }

        if (!int.TryParse(core[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(core[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || !int.TryParse(core[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
        {
            return false;
        }

        version = new ApiVersion(major, minor, patch);
        return true;
    }

    /// <summary>
    /// True when a plugin built against <paramref name="pluginVersion"/> can run on a host of this version:
    /// same major, and a minor that is not newer than the host's.
    /// </summary>
    public bool CanHost(ApiVersion pluginVersion) => pluginVersion.Major == Major && pluginVersion.Minor <= Minor;

    /// <inheritdoc />
    public int CompareTo(ApiVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    /// <summary>Orders versions.</summary>
    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    /// <summary>Orders versions.</summary>
    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
