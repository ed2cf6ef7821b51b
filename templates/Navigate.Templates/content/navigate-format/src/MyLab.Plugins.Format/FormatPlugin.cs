using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;
using Navigate.Plugins;

namespace MyLab.Plugins.Format;

/// <summary>
/// The plugin's entry point. The host creates it (public, parameterless constructor), checks <see cref="Info"/> and
/// calls <see cref="ConfigureServices"/> with this plugin's entry of plugins.json. It registers one format,
/// <see cref="RawPlanesFormat"/>; the host picks it by name (<c>navigate acquire --format raw-planes</c>) or, for
/// existing data, by <see cref="IDataSourceFormat.CanOpen"/>.
/// </summary>
public sealed class FormatPlugin : INavigatePlugin
{
    /// <inheritdoc />
    /// <remarks>
    /// <see cref="PluginInfo.ApiVersion"/> keeps its default, the constant <see cref="NavigateApi.Version"/>: it is baked
    /// in when this plugin is compiled, so the host learns which API version the plugin was built against.
    /// </remarks>
    public PluginInfo Info { get; } = new("MyLab.Plugins.Format", OwnVersion());

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);

        // An instance, so the host can list it (format:raw-planes). Per-dataset options come through DataSourceOptions;
        // machine-wide ones would come from context.Settings (the entry's settings in plugins.json).
        services.AddSingleton<IDataSourceFormat>(new RawPlanesFormat());
    }

    private static string OwnVersion()
        => typeof(FormatPlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
