using System.Globalization;
using System.Text.Json;
using Navigate.Devices;

namespace Navigate.Plugins.MicroManager;

/// <summary>
/// The plugin's settings (the <c>settings</c> object of its plugins.json entry). Paths are resolved against the
/// folder of plugins.json.
/// </summary>
public sealed record MicroManagerSettings
{
    /// <summary>The default device name prefix.</summary>
    public const string DefaultName = "micromanager";

    /// <summary><c>micromanagerDir</c>: the Micro-Manager 2 install folder (holds MMCoreJ_wrap and the device adapters).</summary>
    public required string MicromanagerDir { get; init; }

    /// <summary><c>configFile</c>: the hardware configuration (<c>.cfg</c>) to load.</summary>
    public required string ConfigFile { get; init; }

    /// <summary><c>mmcorejJar</c>: MMCoreJ.jar; null for <c>&lt;micromanagerDir&gt;/plugins/Micro-Manager/MMCoreJ.jar</c>.</summary>
    public string? MmcorejJar { get; init; }

    /// <summary><c>javaHome</c>: the Java installation (or libjvm file) to host; null to search <c>JAVA_HOME</c> and the usual places.</summary>
    public string? JavaHome { get; init; }

    /// <summary><c>jvmOptions</c>: extra JVM options such as <c>-Xmx2g</c>; used only by the plugin that starts the JVM.</summary>
    public IReadOnlyList<string> JvmOptions { get; init; } = [];

    /// <summary><c>deviceAdapterPaths</c>: where MMCore looks for device adapters; null for <see cref="MicromanagerDir"/>.</summary>
    public IReadOnlyList<string>? DeviceAdapterPaths { get; init; }

    /// <summary><c>circularBufferMB</c>: the core's circular buffer size; null to keep the core's default.</summary>
    public long? CircularBufferMB { get; init; }

    /// <summary>
    /// <c>stopOnOverflow</c>: false (default) keeps the camera running when the circular buffer overflows and counts
    /// the lost frames as dropped; true lets MMCore stop the camera at the first overflow.
    /// </summary>
    public bool StopOnOverflow { get; init; }

    /// <summary><c>name</c>: the camera's device name; the stages are <c>&lt;name&gt;:focus</c> and <c>&lt;name&gt;:xy</c>.</summary>
    public string Name { get; init; } = DefaultName;

    /// <summary><c>focusAxis</c>: the axis the focus stage moves, <c>Z</c> (default) or <c>F</c>.</summary>
    public StageAxis FocusAxis { get; init; } = StageAxis.Z;

    /// <summary><c>focusLimitsUm</c>: <c>[min, max]</c> of the focus stage; null to take the limits of its Position property.</summary>
    public AxisLimits? FocusLimitsUm { get; init; }

    /// <summary><c>xLimitsUm</c>: <c>[min, max]</c> of the XY stage's x; null for no limit beyond the device's own.</summary>
    public AxisLimits? XLimitsUm { get; init; }

    /// <summary><c>yLimitsUm</c>: <c>[min, max]</c> of the XY stage's y; null for no limit beyond the device's own.</summary>
    public AxisLimits? YLimitsUm { get; init; }

    /// <summary><c>sensorPixelSizeUm</c>: the camera's pixel pitch (Micro-Manager does not know it); 0 when unknown.</summary>
    public double SensorPixelSizeUm { get; init; }

    /// <summary>The MMCoreJ.jar to put on the JVM's class path.</summary>
    public string MmcorejJarPath => MmcorejJar ?? Path.Combine(MicromanagerDir, "plugins", "Micro-Manager", "MMCoreJ.jar");

    /// <summary>Reads the settings of a plugins.json entry.</summary>
    /// <exception cref="MicroManagerConfigurationException">A setting is missing or has the wrong form (names the setting).</exception>
    public static MicroManagerSettings FromContext(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var where = $"plugins.json, plugin '{context.Name}'";
        var dir = context.GetPathSetting("micromanagerDir") is { } d
            ? Path.TrimEndingDirectorySeparator(d)
            : throw new MicroManagerConfigurationException($"{where}: the setting 'micromanagerDir' (the Micro-Manager 2 install folder) is missing.");
        var cfg = context.GetPathSetting("configFile")
            ?? throw new MicroManagerConfigurationException($"{where}: the setting 'configFile' (the hardware configuration .cfg to load) is missing.");
        var settings = context.Settings;

        return new MicroManagerSettings
        {
            MicromanagerDir = dir,
            ConfigFile = cfg,
            MmcorejJar = context.GetPathSetting("mmcorejJar"),
            JavaHome = context.GetPathSetting("javaHome"),
            JvmOptions = Strings(settings, "jvmOptions", where) ?? [],
            DeviceAdapterPaths = Strings(settings, "deviceAdapterPaths", where)?.Select(p => Path.GetFullPath(p, context.ManifestDirectory)).ToArray(),
            CircularBufferMB = Number(context, "circularBufferMB", where) is { } mb
                ? (mb >= 1 && mb == Math.Floor(mb) ? (long)mb : throw new MicroManagerConfigurationException($"{where}: 'circularBufferMB' is {mb}; expected a whole number of megabytes, at least 1."))
                : null,
            StopOnOverflow = Bool(settings, "stopOnOverflow", where) ?? false,
            Name = context.GetSetting("name") is { Length: > 0 } name ? name : DefaultName,
            FocusAxis = context.GetSetting("focusAxis") switch
            {
                null => StageAxis.Z,
                var a when a.Equals("Z", StringComparison.OrdinalIgnoreCase) => StageAxis.Z,
                var a when a.Equals("F", StringComparison.OrdinalIgnoreCase) => StageAxis.F,
                var a => throw new MicroManagerConfigurationException($"{where}: 'focusAxis' is '{a}'; expected \"Z\" or \"F\"."),
            },
            FocusLimitsUm = Limits(settings, "focusLimitsUm", where),
            XLimitsUm = Limits(settings, "xLimitsUm", where),
            YLimitsUm = Limits(settings, "yLimitsUm", where),
            SensorPixelSizeUm = Number(context, "sensorPixelSizeUm", where) is { } px
                ? (px >= 0 ? px : throw new MicroManagerConfigurationException($"{where}: 'sensorPixelSizeUm' is {px}; expected a pitch in µm, 0 or more."))
                : 0,
        };
    }

    /// <summary>Checks that the folder, jar and configuration exist.</summary>
    /// <exception cref="MicroManagerConfigurationException">One does not (names the setting and the path).</exception>
    public void CheckFiles()
    {
        if (!Directory.Exists(MicromanagerDir))
        {
            throw new MicroManagerConfigurationException($"micromanagerDir '{MicromanagerDir}' does not exist; point it at a Micro-Manager 2 install folder.");
        }

        if (!File.Exists(MmcorejJarPath))
        {
            throw new MicroManagerConfigurationException(MmcorejJar is null
                ? $"MMCoreJ.jar not found at '{MmcorejJarPath}' (the default under micromanagerDir); is '{MicromanagerDir}' a Micro-Manager 2 install? Set 'mmcorejJar' if the jar lives elsewhere."
                : $"mmcorejJar '{MmcorejJarPath}' does not exist.");
        }

        if (!File.Exists(ConfigFile))
        {
            throw new MicroManagerConfigurationException($"configFile '{ConfigFile}' does not exist; save one with Micro-Manager's Hardware Configuration Wizard.");
        }
    }

    private static double? Number(PluginContext context, string key, string where)
    {
        try
        {
            var v = context.GetSetting(key, double.NaN);
            return double.IsNaN(v) ? null : v;
        }
        catch (FormatException e)
        {
            throw new MicroManagerConfigurationException($"{where}: {e.Message}", e);
        }
    }

    private static bool? Bool(JsonElement settings, string key, string where)
    {
        if (!TryGet(settings, key, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new MicroManagerConfigurationException($"{where}: '{key}' is {value.GetRawText()}; expected true or false."),
        };
    }

    private static string[]? Strings(JsonElement settings, string key, string where)
    {
        if (!TryGet(settings, key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new MicroManagerConfigurationException($"{where}: '{key}' is {value.GetRawText()}; expected an array of strings.");
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static AxisLimits? Limits(JsonElement settings, string key, string where)
    {
        if (!TryGet(settings, key, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].TryGetDouble(out var min) && value[1].TryGetDouble(out var max) && min <= max)
        {
            return new AxisLimits(min, max);
        }

        throw new MicroManagerConfigurationException(string.Create(CultureInfo.InvariantCulture, $"{where}: '{key}' is {value.GetRawText()}; expected [min, max] in µm with min <= max."));
    }

    private static bool TryGet(JsonElement settings, string key, out JsonElement value)
    {
        value = default;
        return settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
