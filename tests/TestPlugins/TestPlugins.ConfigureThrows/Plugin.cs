using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins;

namespace TestPlugins.ConfigureThrows;

public sealed class ConfigureThrowsPlugin : INavigatePlugin
{
    public PluginInfo Info { get; } = new("TestPlugins.ConfigureThrows", "1.0.0");

    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        // Registers something, then fails: the host must keep none of it.
        services.AddSingleton<ICameraFactory>(new HalfCameraFactory());
        throw new InvalidOperationException("boom in ConfigureServices");
    }
}

public sealed class HalfCameraFactory : ICameraFactory
{
    public string Name => "half-registered";

    public ICamera Open() => throw new NotSupportedException();
}
