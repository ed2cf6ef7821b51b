//#if (IncludeCamera)
using System.Globalization;
//#endif
using System.Reflection;
//#if (IncludeStage)
using System.Text.Json;
//#endif
using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins;

namespace MyLab.Plugins.Device;

/// <summary>
/// The plugin's entry point. The host creates it (public, parameterless constructor), checks <see cref="Info"/> and
/// calls <see cref="ConfigureServices"/> with this plugin's entry of plugins.json.
/// </summary>
/// <remarks>
/// Settings (the entry's <c>settings</c> object), all optional:
//#if (IncludeCamera)
/// <c>sensorWidth</c>, <c>sensorHeight</c> (pixels, default 2048), <c>pixelSizeUm</c> (default 6.5);
//#endif
//#if (IncludeStage)
/// <c>limits</c>: travel of each stage axis, e.g. <c>{ "x": [-25000, 25000], "z": [0, 10000] }</c> (µm; theta in
/// degrees), for the axes x, y, z, theta, f; only the axes listed there move (default: x, y, z, f).
//#endif
/// </remarks>
public sealed class DevicePlugin : INavigatePlugin
{
    /// <summary>The name users pick this plugin's devices by (<c>navigate devices</c> lists them under it).</summary>
    public const string DeviceName = "mylab-sim";

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="PluginInfo.ApiVersion"/> keeps its default, the constant <see cref="NavigateApi.Version"/>: it is baked
    /// in when this plugin is compiled, so the host learns which API version the plugin was built against.
    /// </remarks>
    public PluginInfo Info { get; } = new("MyLab.Plugins.Device", OwnVersion());

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);

        // Register instances: the host lists what each plugin provides from them (camera:NAME, stage:NAME).
        // Factories open nothing here; hardware is opened only when a device is used.
//#if (IncludeCamera)
        var camera = new SimulatedCameraOptions
        {
            SensorWidth = WholeSetting(context, "sensorWidth", 2048, minimum: SimulatedCamera.RoiStep),
            SensorHeight = WholeSetting(context, "sensorHeight", 2048, minimum: SimulatedCamera.RoiStep),
            PixelSizeUm = context.GetSetting("pixelSizeUm", 6.5),
        };
        services.AddSingleton<ICameraFactory>(new SimulatedCameraFactory(DeviceName, camera));
//#endif
//#if (IncludeStage)
        services.AddSingleton<IStageFactory>(new SimulatedStageFactory(DeviceName, StageLimits(context)));
//#endif
    }
//#if (IncludeCamera)

    /// <summary>A whole-number setting of at least <paramref name="minimum"/>, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FormatException">The setting is not such a number (the message names plugin, key and value).</exception>
    private static int WholeSetting(PluginContext context, string key, int fallback, int minimum)
    {
        var value = context.GetSetting(key, fallback);
        if (value != Math.Floor(value) || value < minimum || value > int.MaxValue)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"plugins.json: setting '{key}' of plugin '{context.Name}' is {value}; expected a whole number of at least {minimum}."));
        }

        return (int)value;
    }
//#endif
//#if (IncludeStage)

    /// <summary>The <c>limits</c> setting, or the default travel.</summary>
    /// <exception cref="FormatException">The setting is malformed (the message names plugin, axis and what was found).</exception>
    private static Dictionary<StageAxis, AxisLimits> StageLimits(PluginContext context)
    {
        if (context.Settings.ValueKind != JsonValueKind.Object || !context.Settings.TryGetProperty("limits", out var limits))
        {
            return SimulatedStage.DefaultLimits();
        }

        if (limits.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"plugins.json: setting 'limits' of plugin '{context.Name}' is {limits.ValueKind}; expected an object such as {{ \"x\": [-25000, 25000] }}.");
        }

        var result = new Dictionary<StageAxis, AxisLimits>();
        foreach (var axis in limits.EnumerateObject())
        {
            if (!Enum.TryParse<StageAxis>(axis.Name, ignoreCase: true, out var name) || !Enum.IsDefined(name))
            {
                throw new FormatException($"plugins.json: setting 'limits' of plugin '{context.Name}' names axis '{axis.Name}'; expected x, y, z, theta or f.");
            }

            if (axis.Value.ValueKind != JsonValueKind.Array || axis.Value.GetArrayLength() != 2
                || !axis.Value[0].TryGetDouble(out var minimum) || !axis.Value[1].TryGetDouble(out var maximum)
                || !(minimum < maximum))
            {
                throw new FormatException($"plugins.json: setting 'limits.{axis.Name}' of plugin '{context.Name}' is {axis.Value.GetRawText()}; expected [minimum, maximum] with minimum < maximum.");
            }

            result[name] = new AxisLimits(minimum, maximum);
        }

        return result.Count > 0
            ? result
            : throw new FormatException($"plugins.json: setting 'limits' of plugin '{context.Name}' lists no axis; expected at least one of x, y, z, theta, f.");
    }
//#endif

    private static string OwnVersion()
        => typeof(DevicePlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
