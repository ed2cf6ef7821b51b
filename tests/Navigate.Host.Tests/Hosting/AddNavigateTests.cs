using Microsoft.Extensions.DependencyInjection;
using Moq;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Host.Data;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins;

namespace Navigate.Host.Tests.Hosting;

/// <summary>DI wiring of AddNavigate, with plugins supplied in code.</summary>
public sealed class AddNavigateTests
{
    private static INavigatePlugin PluginRegistering(Action<IServiceCollection> register)
    {
        var plugin = new Mock<INavigatePlugin>();
        plugin.SetupGet(p => p.Info).Returns(new PluginInfo("mock", "1.0.0"));
        plugin.Setup(p => p.ConfigureServices(It.IsAny<IServiceCollection>(), It.IsAny<PluginContext>()))
            .Callback<IServiceCollection, PluginContext>((s, _) => register(s));
        return plugin.Object;
    }

    [Fact]
    public void CatalogsResolveWhatPluginsRegistered()
    {
        var camera = Mock.Of<ICameraFactory>(c => c.Name == "cam-a");
        var stage = Mock.Of<IStageFactory>(s => s.Name == "stage-a");
        var format = Mock.Of<IDataSourceFormat>(f => f.Name == "fmt" && f.Aliases == new[] { "alias" } && f.FileExtensions == new[] { ".fmt" });

        var provider = new ServiceCollection()
            .AddNavigate(o => o.Plugins.Add(PluginRegistering(s => s.AddSingleton(camera).AddSingleton(stage).AddSingleton(format))))
            .BuildServiceProvider();

        var devices = provider.GetRequiredService<DeviceCatalog>();
        Assert.Same(camera, devices.FindCamera("CAM-A"));
        Assert.Same(stage, Assert.Single(devices.Stages));
        var formats = provider.GetRequiredService<FormatCatalog>();
        Assert.Same(format, formats.Get("alias"));
        Assert.Same(format, formats.FindForPath("/data/run1.fmt/"));
        Assert.Null(formats.FindForPath("/data/run1.other"));
        Assert.Null(provider.GetRequiredService<PluginCatalog>().ManifestPath);
    }

    [Fact]
    public void UnknownNamesListWhatThereIs()
    {
        var provider = new ServiceCollection()
            .AddNavigate(o => o.Plugins.Add(PluginRegistering(s => s.AddSingleton(Mock.Of<ICameraFactory>(c => c.Name == "cam-a")))))
            .BuildServiceProvider();

        var camera = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<DeviceCatalog>().OpenCamera("cam-b"));
        Assert.StartsWith("No camera named 'cam-b'. Cameras: cam-a.", camera.Message);
        var format = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<FormatCatalog>().Get("hdf5"));
        Assert.StartsWith("No data format named 'hdf5'. Formats: (none).", format.Message);
    }

    [Fact]
    public void TheDefaultCameraIsTheSyntheticOne()
    {
        var synthetic = new Mock<ICameraFactory>();
        synthetic.SetupGet(c => c.Name).Returns(DeviceCatalog.DefaultCamera);
        var provider = new ServiceCollection()
            .AddNavigate(o => o.Plugins.Add(PluginRegistering(s => s.AddSingleton(Mock.Of<ICameraFactory>(c => c.Name == "other")).AddSingleton(synthetic.Object))))
            .BuildServiceProvider();

        provider.GetRequiredService<DeviceCatalog>().OpenCamera();
        synthetic.Verify(c => c.Open(), Times.Once);
    }

    [Fact]
    public void AFormatThatRecognisesExistingDataWinsOverExtensions()
    {
        var dir = Directory.CreateTempSubdirectory("navigate-fmt").FullName;
        try
        {
            var byExtension = Mock.Of<IDataSourceFormat>(f => f.Name == "ext" && f.Aliases == Array.Empty<string>() && f.FileExtensions == new[] { Path.GetExtension(dir) });
            var byContent = Mock.Of<IDataSourceFormat>(f => f.Name == "content" && f.Aliases == Array.Empty<string>() && f.FileExtensions == Array.Empty<string>() && f.CanOpen(dir));
            var formats = new FormatCatalog([byExtension, byContent]);
            Assert.Same(byContent, formats.FindForPath(dir));
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
