using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;

namespace Navigate.Plugins.Synthetic;

/// <summary>
/// Registers the synthetic camera and stage (both named <c>synthetic</c>). Settings in plugins.json, all optional:
/// <c>sensorWidth</c>, <c>sensorHeight</c> (pixels, default 2048), <c>seed</c> (default 1), <c>pixelSizeUm</c>
/// (default 6.5), <c>frameRate</c> (frames per second; default: as fast as the consumer takes them).
/// </summary>
public sealed class SyntheticPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("Navigate.Plugins.Synthetic", "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var frameRate = context.GetSetting("frameRate", 0);
        var options = new SyntheticCameraOptions
        {
            SensorWidth = checked((int)context.GetSetting("sensorWidth", 2048)),
            SensorHeight = checked((int)context.GetSetting("sensorHeight", 2048)),
            Seed = checked((int)context.GetSetting("seed", 1)),
            PixelSizeUm = context.GetSetting("pixelSizeUm", 6.5),
            FrameRate = frameRate > 0 ? frameRate : null,
        };
        services.AddSingleton<ICameraFactory>(new SyntheticCameraFactory(options));
        services.AddSingleton<IStageFactory>(new SyntheticStageFactory());
    }
}

/// <summary>Opens synthetic cameras with fixed options.</summary>
public sealed class SyntheticCameraFactory(SyntheticCameraOptions options) : ICameraFactory
{
    /// <inheritdoc />
    public string Name => SyntheticCamera.DeviceName;

    /// <inheritdoc />
    public ICamera Open() => new SyntheticCamera(options);
}

/// <summary>Opens synthetic stages.</summary>
public sealed class SyntheticStageFactory : IStageFactory
{
    /// <inheritdoc />
    public string Name => SyntheticStage.DeviceName;

    /// <inheritdoc />
    public IStage Open() => new SyntheticStage();
}
