using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Core;
using Navigate.Plugins.MicroManager.Devices;
using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager;

/// <summary>
/// Micro-Manager devices through MMCoreJ: registers the core's current camera as <c>micromanager</c> and, when the
/// configuration assigns them, its focus drive as <c>micromanager:focus</c> and its XY stage as
/// <c>micromanager:xy</c> (the prefix is the <c>name</c> setting). Nothing is loaded until a device is opened.
/// </summary>
/// <remarks>
/// Settings are described on <see cref="MicroManagerSettings"/>. A missing install folder, jar, configuration file or
/// JVM fails here, with the paths tried, so the host reports the plugin as failed instead of failing later.
/// </remarks>
public sealed class MicroManagerPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("Navigate.Plugins.MicroManager", "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var settings = MicroManagerSettings.FromContext(context);
        settings.CheckFiles();
        var libjvm = JvmLocator.Find(settings.JavaHome, settings.MicromanagerDir);
        var roles = ConfigurationRoles.Read(settings.ConfigFile);
        var session = new MicroManagerSession(settings, libjvm, context.Logger);

        services.AddSingleton<ICameraFactory>(new MicroManagerCameraFactory(settings.Name, session));
        if (roles.Focus is not null)
        {
            services.AddSingleton<IStageFactory>(new MicroManagerStageFactory($"{settings.Name}:focus", session, MicroManagerStageKind.Focus));
        }

        if (roles.XYStage is not null)
        {
            services.AddSingleton<IStageFactory>(new MicroManagerStageFactory($"{settings.Name}:xy", session, MicroManagerStageKind.XY));
        }

        context.Logger.LogInformation(
            "Micro-Manager: '{Config}' (camera {Camera}, focus {Focus}, XY stage {XY}); JVM {Jvm}",
            settings.ConfigFile, roles.Camera ?? "(core default)", roles.Focus ?? "none", roles.XYStage ?? "none", libjvm);
    }
}
