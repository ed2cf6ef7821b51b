using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Navigate.Host.Plugins;
using Navigate.Plugins;

namespace Navigate.Host.Tests.Plugins;

/// <summary>The catalog's decisions, with the assembly loader mocked: no real plugin is loaded here.</summary>
public sealed class PluginCatalogBuilderTests : IDisposable
{
    private readonly Infrastructure.TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private PluginManifest ManifestWithOneExistingFile(out string dll)
    {
        dll = _temp.Write("plugins/X/X.dll", "placeholder: the loader is mocked");
        return new PluginManifest(_temp.Combine("plugins.json"), [new PluginEntry("x", "plugins/X/X.dll", true, null, default)]);
    }

    private static PluginCatalogBuilder Builder(IPluginAssemblyLoader loader, ILoggerFactory? logs = null)
        => new(loader, new ApiVersionGate(new ApiVersion(1, 2, 0)), logs ?? NullLoggerFactory.Instance);

    [Fact]
    public void ALoaderFailureBecomesAFailedRecordWithOneWarning()
    {
        var manifest = ManifestWithOneExistingFile(out var dll);
        var loader = new Mock<IPluginAssemblyLoader>();
        loader.Setup(l => l.Load(dll)).Throws(new FileLoadException("simulated: dependency Foo 9.0 not found"));
        var logger = new Mock<ILogger>();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var logs = new Mock<ILoggerFactory>();
        logs.Setup(f => f.CreateLogger(It.IsAny<string>())).Returns(logger.Object);

        var services = new ServiceCollection();
        var record = Assert.Single(Builder(loader.Object, logs.Object).Load(manifest, services));

        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Equal($"cannot load {dll}: FileLoadException: simulated: dependency Foo 9.0 not found", record.Reason);
        Assert.Empty(services);
        logger.Verify(
            l => l.Log(LogLevel.Warning, It.IsAny<EventId>(), It.Is<It.IsAnyType>((v, _) => ($"{v}").Contains("Plugin 'x' skipped (Failed)")), null, It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
    }

    [Fact]
    public void APluginCompiledAgainstAnotherMajorAbstractionsIsRefusedBeforeItsTypesAreTouched()
    {
        var manifest = ManifestWithOneExistingFile(out var dll);
        var owns = new Mock<Func<Type, bool>>();
        var loader = new Mock<IPluginAssemblyLoader>();
        // An assembly whose types would be scanned if the gate let it through: the test assembly itself.
        loader.Setup(l => l.Load(dll)).Returns(new LoadedPluginAssembly(Assembly.GetExecutingAssembly(), new Version(2, 0, 0, 0), owns.Object));

        var record = Assert.Single(Builder(loader.Object).Load(manifest, new ServiceCollection()));

        Assert.Equal(PluginStatus.Incompatible, record.Status);
        Assert.Equal("it was compiled against Navigate.Abstractions 2.0.0.0 (API 2.x); this host runs API 1.2.0.", record.Reason);
    }

    [Fact]
    public void AnAssemblyWithoutEntryTypeFailsNamingTheInterface()
    {
        var manifest = ManifestWithOneExistingFile(out var dll);
        var loader = new Mock<IPluginAssemblyLoader>();
        loader.Setup(l => l.Load(dll)).Returns(new LoadedPluginAssembly(typeof(Mock).Assembly, new Version(1, 0, 0, 0), _ => true));

        var record = Assert.Single(Builder(loader.Object).Load(manifest, new ServiceCollection()));

        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains("X.dll has no public, concrete type implementing INavigatePlugin", record.Reason);
    }

    [Fact]
    public void AnEntryWithAProblemIsRejectedWithoutCallingTheLoader()
    {
        var loader = new Mock<IPluginAssemblyLoader>(MockBehavior.Strict);
        var manifest = new PluginManifest(_temp.Combine("plugins.json"), [new PluginEntry("bad", "", true, null, default, "plugins[0] ('bad'): \"path\" must be a non-empty string.")]);

        var record = Assert.Single(Builder(loader.Object).Load(manifest, new ServiceCollection()));

        Assert.Equal(PluginStatus.Rejected, record.Status);
        Assert.Contains("\"path\" must be a non-empty string", record.Reason);
    }

    [Fact]
    public void AnInstanceAddedInCodeRegistersItsServicesAndRecordsWhatItProvides()
    {
        var plugin = new Mock<INavigatePlugin>();
        plugin.SetupGet(p => p.Info).Returns(new PluginInfo("in-code", "0.9.0"));
        var camera = new Mock<Navigate.Devices.ICameraFactory>();
        camera.SetupGet(c => c.Name).Returns("mock-camera");
        plugin.Setup(p => p.ConfigureServices(It.IsAny<IServiceCollection>(), It.IsAny<PluginContext>()))
            .Callback<IServiceCollection, PluginContext>((s, _) => s.AddSingleton(camera.Object));

        var services = new ServiceCollection();
        var record = Builder(new Mock<IPluginAssemblyLoader>(MockBehavior.Strict).Object).Add(plugin.Object, services);

        Assert.Equal(PluginStatus.Loaded, record.Status);
        Assert.Equal(["camera:mock-camera"], record.Provides);
        Assert.Single(services);
    }
}
