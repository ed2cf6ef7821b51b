using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Data;
using Navigate.Plugins;

namespace MyLab.Plugins.Format.Tests;

/// <summary>What the host sees: the plugin's info and the format it registers.</summary>
public sealed class FormatPluginTests
{
    [Fact]
    public void DeclaresTheApiVersionItWasCompiledAgainst()
    {
        var info = new FormatPlugin().Info;

        Assert.Equal("MyLab.Plugins.Format", info.Name);
        Assert.Equal(NavigateApi.Version, info.ApiVersion);
        Assert.StartsWith("1.0.0", info.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistersTheFormatByNameAndExtension()
    {
        var services = new ServiceCollection();
        var context = new PluginContext("MyLab.Plugins.Format", AppContext.BaseDirectory, JsonDocument.Parse("{}").RootElement.Clone(), NullLogger.Instance, AppContext.BaseDirectory);

        new FormatPlugin().ConfigureServices(services, context);

        var format = Assert.IsType<RawPlanesFormat>(Assert.Single(services, d => d.ServiceType == typeof(IDataSourceFormat)).ImplementationInstance);
        Assert.Equal("raw-planes", format.Name);
        Assert.Equal([".raw-planes"], format.FileExtensions);
    }
}
