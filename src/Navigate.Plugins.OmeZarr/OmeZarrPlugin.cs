using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>Registers the <c>ome-zarr</c> data-source format with the host.</summary>
public sealed class OmeZarrPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new(OmeZarrConstants.PluginName, "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IDataSourceFormat>(OmeZarrFormat.Instance);
    }
}
