using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;

namespace Navigate.Plugins.OmeTiff;

/// <summary>
/// Registers the <c>ome-tiff</c> data format. Setting in plugins.json, optional: <c>bigtiff</c> (<c>auto</c>,
/// <c>true</c>, <c>false</c>; default auto), the default for datasets that do not set it themselves.
/// </summary>
public sealed class OmeTiffPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("Navigate.Plugins.OmeTiff", OmeTiffDataSource.PluginVersion);

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = context.GetSetting("bigtiff") is { } bigtiff ? new OmeTiffOptions { BigTiff = OmeTiffOptions.ParseBigTiff(bigtiff) } : new OmeTiffOptions();
        services.AddSingleton<IDataSourceFormat>(new OmeTiffFormat(defaults));
    }
}
