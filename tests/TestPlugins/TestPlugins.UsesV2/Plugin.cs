using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins;
using Navigate.TestDependency;

namespace TestPlugins.UsesV2;

public sealed class UsesV2Plugin : INavigatePlugin
{
    public PluginInfo Info { get; } = new("TestPlugins.UsesV2", "1.0.0");

    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        var version = typeof(DependencyVersion).Assembly.GetName().Version;
        services.AddSingleton<ICameraFactory>(new DependencyCameraFactory($"dep-{DependencyVersion.Describe()}-{version}"));
    }
}

public sealed class DependencyCameraFactory(string name) : ICameraFactory
{
    public string Name => name;

    public ICamera Open() => throw new NotSupportedException();
}
