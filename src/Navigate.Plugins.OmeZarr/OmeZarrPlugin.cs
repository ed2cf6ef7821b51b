using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// Registers the <c>ome-zarr</c> data-source format with the host. The <c>settings</c> of the plugin's plugins.json
/// entry are default format settings (<c>compression</c>, <c>clevel</c>, <c>chunks</c>, <c>levels</c>, <c>layout</c>,
/// <c>threads</c>, <c>buffer_mb</c>) for every dataset; an unknown or bad one stops the plugin from loading, with its name.
/// </summary>
public sealed class OmeZarrPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new(OmeZarrConstants.PluginName, "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (context.Settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in context.Settings.EnumerateObject())
            {
                defaults[property.Name] = context.GetSetting(property.Name) ?? string.Empty;
            }
        }

        services.AddSingleton<IDataSourceFormat>(defaults.Count == 0 ? OmeZarrFormat.Instance : new OmeZarrFormat(defaults));
    }
}
