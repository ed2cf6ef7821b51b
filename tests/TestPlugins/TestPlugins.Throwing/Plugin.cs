using Microsoft.Extensions.DependencyInjection;
using Navigate.Plugins;

namespace TestPlugins.Throwing;

public sealed class ThrowingPlugin : INavigatePlugin
{
    public ThrowingPlugin() => throw new InvalidOperationException("boom in the plugin constructor");

    public PluginInfo Info => new("TestPlugins.Throwing", "1.0.0");

    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
    }
}
