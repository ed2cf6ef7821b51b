using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins;

namespace TestPlugins.WrongApi;

// Declares a future major API version, as a plugin built against Navigate.Abstractions 2.x would.
public sealed class WrongApiPlugin : INavigatePlugin
{
    public PluginInfo Info { get; } = new("TestPlugins.WrongApi", "1.0.0", ApiVersion: "2.0.0");

    public void ConfigureServices(IServiceCollection services, PluginContext context)
        => throw new InvalidOperationException("must never be called: the version gate refuses this plugin first");
}
