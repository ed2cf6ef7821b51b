using Microsoft.Extensions.DependencyInjection;

namespace Navigate.Plugins;

/// <summary>
/// The entry point of a plugin. The host creates one instance of every public, concrete type that implements it in
/// the plugin's main assembly (with a public parameterless constructor), checks <see cref="Info"/> and then calls
/// <see cref="ConfigureServices"/>.
/// </summary>
/// <remarks>
/// Register devices as <see cref="Devices.ICameraFactory"/> / <see cref="Devices.IStageFactory"/> and file formats as
/// <see cref="Data.IDataSourceFormat"/>. Registrations are taken only if this method returns normally: a plugin that
/// throws is skipped whole and the host keeps running.
/// </remarks>
public interface INavigatePlugin
{
    /// <summary>Who the plugin is and which API version it was built against.</summary>
    PluginInfo Info { get; }

    /// <summary>Adds the plugin's services.</summary>
    /// <param name="services">The host's service collection.</param>
    /// <param name="context">The plugin's settings from plugins.json, its folder and a logger.</param>
    void ConfigureServices(IServiceCollection services, PluginContext context);
}
