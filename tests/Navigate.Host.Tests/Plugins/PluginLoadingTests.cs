using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Plugins;

/// <summary>Real plugin assemblies loaded through plugins.json into their own load contexts.</summary>
public sealed class PluginLoadingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (PluginCatalog Catalog, DeviceCatalog Devices) Load(string manifestJson, string manifestName = "plugins.json")
    {
        var path = _temp.Write(manifestName, manifestJson);
        var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = path).BuildServiceProvider();
        return (services.GetRequiredService<PluginCatalog>(), services.GetRequiredService<DeviceCatalog>());
    }

    private string Copy(string plugin) => _temp.CopyPlugin(Path.Combine(TestPaths.TestPlugins, plugin), plugin);

    private static string Rel(string from, string file) => Path.GetRelativePath(from, file);

    [Fact]
    public void AGoodPluginLoadsAndRegistersItsDevices()
    {
        var dll = Copy("TestPlugins.Good");
        var (catalog, devices) = Load(Manifest.Of(Manifest.Entry("good", Rel(_temp.Path, dll), settings: new { cameraName = "from-settings" })));

        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Loaded, record.Status);
        Assert.Equal("3.1.4", record.Version);
        Assert.Equal("1.0.0", record.ApiVersion);
        Assert.Equal(["camera:from-settings", "camera:broken-camera"], record.Provides);
        Assert.Equal(dll, record.Path);
        Assert.Contains(devices.Cameras, c => c.Name == "from-settings");
    }

    [Fact]
    public void EachPluginRunsInItsOwnLoadContextSharingOnlyTheContracts()
    {
        var dll = Copy("TestPlugins.Good");
        var (_, devices) = Load(Manifest.Of(Manifest.Entry("good", Rel(_temp.Path, dll))));
        var factory = devices.FindCamera("good-camera");

        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(factory.GetType().Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
        // The interface the plugin implements is the host's own type, so the host can call it.
        Assert.Same(typeof(ICameraFactory).Assembly, factory.GetType().GetInterface(nameof(ICameraFactory))!.Assembly);
    }

    [Fact]
    public void TwoPluginsCarryConflictingVersionsOfOneDependency()
    {
        var v1 = Copy("TestPlugins.UsesV1");
        var v2 = Copy("TestPlugins.UsesV2");
        var (catalog, devices) = Load(Manifest.Of(
            Manifest.Entry("uses-v1", Rel(_temp.Path, v1)),
            Manifest.Entry("uses-v2", Rel(_temp.Path, v2))));

        Assert.All(catalog.Plugins, p => Assert.Equal(PluginStatus.Loaded, p.Status));
        var names = devices.Cameras.Select(c => c.Name).ToArray();
        Assert.Contains("dep-v1-1.0.0.0", names);
        Assert.Contains("dep-v2-2.0.0.0", names);
    }

    [Fact]
    public void APluginBuiltForAnotherMajorApiIsSkippedAndTheOthersLoad()
    {
        var wrong = Copy("TestPlugins.WrongApi");
        var good = Copy("TestPlugins.Good");
        var (catalog, devices) = Load(Manifest.Of(
            Manifest.Entry("wrong", Rel(_temp.Path, wrong)),
            Manifest.Entry("good", Rel(_temp.Path, good))));

        var record = catalog.Plugins[0];
        Assert.Equal(PluginStatus.Incompatible, record.Status);
        Assert.Contains("built for Navigate API 2.0.0 (major 2); this host runs API 1.0.0 (major 1)", record.Reason);
        Assert.Equal(PluginStatus.Loaded, catalog.Plugins[1].Status);
        Assert.Contains(devices.Cameras, c => c.Name == "good-camera");
    }

    [Fact]
    public void AnEntryTypeThatThrowsInItsConstructorIsSkipped()
    {
        var dll = Copy("TestPlugins.Throwing");
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("throwing", Rel(_temp.Path, dll))));

        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains("TestPlugins.Throwing.ThrowingPlugin threw InvalidOperationException in its constructor: boom in the plugin constructor", record.Reason);
    }

    [Fact]
    public void APluginWhoseConfigureServicesThrowsLeavesNoRegistrationBehind()
    {
        var dll = Copy("TestPlugins.ConfigureThrows");
        var (catalog, devices) = Load(Manifest.Of(Manifest.Entry("half", Rel(_temp.Path, dll))));

        Assert.Equal(PluginStatus.Failed, catalog.Plugins[0].Status);
        Assert.Contains("ConfigureServices threw InvalidOperationException: boom in ConfigureServices", catalog.Plugins[0].Reason);
        Assert.DoesNotContain(devices.Cameras, c => c.Name == "half-registered");
    }

    [Fact]
    public void AMissingFileIsRejectedWithTheResolvedPath()
    {
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("ghost", "plugins/Ghost/Ghost.dll")));

        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Rejected, record.Status);
        Assert.Contains($"file not found: {_temp.Combine("plugins", "Ghost", "Ghost.dll")}", record.Reason);
    }

    [Fact]
    public void AHashMismatchIsRejectedWithBothHashes()
    {
        var dll = Copy("TestPlugins.Good");
        var wrong = new string('0', 64);
        var (catalog, devices) = Load(Manifest.Of(Manifest.Entry("good", Rel(_temp.Path, dll), sha256: wrong)));

        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Rejected, record.Status);
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dll)));
        Assert.Contains($"sha256 mismatch for {dll}: plugins.json expects {wrong}, the file has {actual}", record.Reason);
        Assert.Empty(devices.Cameras);
    }

    [Fact]
    public void AMatchingHashLoads()
    {
        var dll = Copy("TestPlugins.Good");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dll)));
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("good", Rel(_temp.Path, dll), sha256: hash)));
        Assert.Equal(PluginStatus.Loaded, Assert.Single(catalog.Plugins).Status);
    }

    [Fact]
    public void APathThatLeavesThePluginsFolderIsRejected()
    {
        var dll = Copy("TestPlugins.Good");
        // plugins.json one folder down; the plugin sits beside that folder, reachable only through "..".
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("escape", "../" + Rel(_temp.Path, dll))), Path.Combine("config", "plugins.json"));

        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Rejected, record.Status);
        Assert.Contains("outside the plugins.json folder", record.Reason);
    }

    [Fact]
    public void ALinkThatPointsOutsideThePluginsFolderIsRejected()
    {
        var dll = Copy("TestPlugins.Good");
        var config = Directory.CreateDirectory(_temp.Combine("config")).FullName;
        File.CreateSymbolicLink(Path.Combine(config, "Good.dll"), dll);
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("link", "Good.dll")), Path.Combine("config", "plugins.json"));

        Assert.Equal(PluginStatus.Rejected, Assert.Single(catalog.Plugins).Status);
    }

    [Fact]
    public void ADisabledEntryIsListedButNotLoaded()
    {
        var dll = Copy("TestPlugins.Good");
        var (catalog, devices) = Load(Manifest.Of(Manifest.Entry("good", Rel(_temp.Path, dll), enabled: false)));
        Assert.Equal(PluginStatus.Disabled, Assert.Single(catalog.Plugins).Status);
        Assert.Empty(devices.Cameras);
    }

    [Fact]
    public void AFileThatIsNotAnAssemblyFailsWithTheLoaderMessage()
    {
        var fake = _temp.Write("plugins/Fake/Fake.dll", "this is not a PE file");
        var (catalog, _) = Load(Manifest.Of(Manifest.Entry("fake", Rel(_temp.Path, fake))));
        var record = Assert.Single(catalog.Plugins);
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains($"cannot load {fake}: BadImageFormatException", record.Reason);
    }

    [Fact]
    public void TheSyntheticPluginLoadsFromTheRepositoryPluginsJson()
    {
        var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = Path.Combine(TestPaths.RepoRoot, "plugins.json")).BuildServiceProvider();
        var catalog = services.GetRequiredService<PluginCatalog>();
        Assert.Equal(PluginStatus.Loaded, catalog.Plugins.Single(p => p.Name == "synthetic").Status);
        using var camera = services.GetRequiredService<DeviceCatalog>().OpenCamera();
        Assert.Equal("synthetic", camera.Info.Name);
    }
}
