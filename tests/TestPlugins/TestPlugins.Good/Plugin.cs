using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins;

namespace TestPlugins.Good;

public sealed class GoodPlugin : INavigatePlugin
{
    public PluginInfo Info { get; } = new("TestPlugins.Good", "3.1.4");

    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        services.AddSingleton<ICameraFactory>(new NamedCameraFactory(context.GetSetting("cameraName") ?? "good-camera"));
        services.AddSingleton<ICameraFactory>(new BrokenCameraFactory());
    }
}

public sealed class NamedCameraFactory(string name) : ICameraFactory
{
    public string Name => name;

    public ICamera Open() => throw new NotSupportedException($"{name} is a test fixture without a camera behind it.");
}

public sealed class BrokenCameraFactory : ICameraFactory
{
    public string Name => "broken-camera";

    public ICamera Open() => throw new IOException("the broken camera does not answer (simulated)");
}
