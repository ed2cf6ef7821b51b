using Microsoft.Extensions.DependencyInjection;

namespace Navigate.Plugins.Synthetic;

/// <summary>Registers the synthetic camera and stage.</summary>
public sealed class SyntheticPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("Navigate.Plugins.Synthetic", "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
    }
}
