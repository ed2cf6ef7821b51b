using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Data;

namespace Navigate.Plugins.OmeTiff.Tests;

/// <summary>The plugin's registration and settings.</summary>
public sealed class OmeTiffPluginTests
{
    private static PluginContext Context(string settings)
        => new("ome-tiff", "/plugins/ometiff", JsonDocument.Parse(settings).RootElement, NullLogger.Instance, "/etc/navigate");

    [Fact]
    public void RegistersTheFormatWithTheDefaultsFromSettings()
    {
        var plugin = new OmeTiffPlugin();
        Assert.Equal("Navigate.Plugins.OmeTiff", plugin.Info.Name);
        Assert.Equal("0.1.0", plugin.Info.Version);
        Assert.Equal(NavigateApi.Version, plugin.Info.ApiVersion);

        var services = new ServiceCollection();
        plugin.ConfigureServices(services, Context("""{ "bigtiff": "true" }"""));
        var format = Assert.IsType<OmeTiffFormat>(Assert.Single(services.BuildServiceProvider().GetServices<IDataSourceFormat>()));
        Assert.Equal(BigTiffMode.Always, format.Defaults.BigTiff);

        var plain = new ServiceCollection();
        plugin.ConfigureServices(plain, Context("{}"));
        Assert.Equal(BigTiffMode.Auto, plain.BuildServiceProvider().GetRequiredService<IDataSourceFormat>() is OmeTiffFormat f ? f.Defaults.BigTiff : default);
    }

    [Fact]
    public void ABadSettingStopsThePluginWithItsName()
    {
        var e = Assert.Throws<ArgumentException>(() => new OmeTiffPlugin().ConfigureServices(new ServiceCollection(), Context("""{ "bigtiff": "sometimes" }""")));
        Assert.Contains("setting 'bigtiff' is 'sometimes'; expected auto, true or false", e.Message);
    }
}
