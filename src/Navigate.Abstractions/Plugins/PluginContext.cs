using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Navigate.Plugins;

/// <summary>What the host gives a plugin while it configures its services.</summary>
public sealed class PluginContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="name">The plugin's name as written in plugins.json.</param>
    /// <param name="directory">The folder that holds the plugin's main assembly.</param>
    /// <param name="settings">The entry's <c>settings</c> object from plugins.json (an empty object when absent).</param>
    /// <param name="logger">A logger whose category is the plugin's name.</param>
    /// <param name="manifestDirectory">The folder of the plugins.json file; relative paths in settings are relative to it.</param>
    public PluginContext(string name, string directory, JsonElement settings, ILogger logger, string manifestDirectory)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(manifestDirectory);
        Name = name;
        Directory = directory;
        Settings = settings.ValueKind == JsonValueKind.Undefined ? EmptySettings : settings;
        Logger = logger;
        ManifestDirectory = manifestDirectory;
    }

    private static readonly JsonElement EmptySettings = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>The plugin's name as written in plugins.json.</summary>
    public string Name { get; }

    /// <summary>The folder that holds the plugin's main assembly.</summary>
    public string Directory { get; }

    /// <summary>The folder of the plugins.json file.</summary>
    public string ManifestDirectory { get; }

    /// <summary>The entry's <c>settings</c> object from plugins.json.</summary>
    public JsonElement Settings { get; }

    /// <summary>A logger for the plugin.</summary>
    public ILogger Logger { get; }

    /// <summary>A setting as text, or null when it is absent or JSON null. Numbers and booleans are given as written.</summary>
    public string? GetSetting(string key)
    {
        if (Settings.ValueKind != JsonValueKind.Object || !Settings.TryGetProperty(key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }

    /// <summary>A numeric setting, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FormatException">The setting is present but is not a number.</exception>
    public double GetSetting(string key, double fallback)
    {
        var text = GetSetting(key);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"plugins.json: setting '{key}' of plugin '{Name}' is '{text}'; expected a number.");
    }

    /// <summary>
    /// A path setting resolved against the plugins.json folder (absolute paths are kept), or null when absent.
    /// </summary>
    public string? GetPathSetting(string key)
    {
        var text = GetSetting(key);
        return text is null ? null : Path.GetFullPath(text, ManifestDirectory);
    }
}
