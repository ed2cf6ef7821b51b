using Navigate.Data;

namespace Navigate.Plugins.OmeTiff;

/// <summary>When stack files are written as BigTIFF (64-bit offsets) instead of classic TIFF.</summary>
public enum BigTiffMode
{
    /// <summary>BigTIFF exactly when a stack file would pass 4 GiB, decided from the planned stack size up front.</summary>
    Auto,

    /// <summary>Always BigTIFF.</summary>
    Always,

    /// <summary>Never; creating a dataset whose stacks would pass 4 GiB fails.</summary>
    Never,
}

/// <summary>The settings this format takes (<see cref="DataSourceOptions.Settings"/> or plugins.json).</summary>
public sealed record OmeTiffOptions
{
    /// <summary>The setting names, as written in <see cref="DataSourceOptions.Settings"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bigtiff"];

    /// <summary>When to write BigTIFF. Setting <c>bigtiff</c>: <c>auto</c> (default), <c>true</c> or <c>false</c>.</summary>
    public BigTiffMode BigTiff { get; init; } = BigTiffMode.Auto;

    /// <summary>Reads the settings over <paramref name="defaults"/>; an unknown name or value fails with an error naming it.</summary>
    /// <exception cref="ArgumentException">A setting this format does not know, or a value it does not accept.</exception>
    public static OmeTiffOptions From(IReadOnlyDictionary<string, string> settings, OmeTiffOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = defaults ?? new OmeTiffOptions();
        foreach (var (name, value) in settings)
        {
            if (!string.Equals(name, "bigtiff", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"ome-tiff: unknown setting '{name}'; known settings: {string.Join(", ", Names)}.", nameof(settings));
            }

            options = options with { BigTiff = ParseBigTiff(value) };
        }

        return options;
    }

    /// <summary>Parses a <c>bigtiff</c> value: auto, true/always, false/never.</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static BigTiffMode ParseBigTiff(string value) => value?.Trim().ToUpperInvariant() switch
    {
        "AUTO" => BigTiffMode.Auto,
        "TRUE" or "ALWAYS" => BigTiffMode.Always,
        "FALSE" or "NEVER" => BigTiffMode.Never,
        _ => throw new ArgumentException($"ome-tiff: setting 'bigtiff' is '{value}'; expected auto, true or false."),
    };
}
