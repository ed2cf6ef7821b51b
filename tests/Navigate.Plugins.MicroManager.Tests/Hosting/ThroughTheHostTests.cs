using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Host.Cli;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Hosting;

/// <summary>
/// The plugin as the host loads it: from a plugins.json, into its own load context (so with its own copy of the
/// plugin's statics: it finds the process's JVM with JNI_GetCreatedJavaVMs and adopts it).
/// </summary>
[Collection(SharedJvm.Name)]
public sealed class ThroughTheHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("navigate-mm-host-").FullName;

    public ThroughTheHostTests()
    {
        // The host loads plugins only from below the plugins.json folder: lay the built plugin out there.
        StandIn.CopyBuiltPlugin("Navigate.Plugins.MicroManager", _dir);

        File.WriteAllText(Path.Combine(_dir, "demo.cfg"), StandIn.DemoConfig);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PluginsJson(JsonObject? settings = null)
    {
        var entrySettings = new JsonObject
        {
            ["micromanagerDir"] = StandIn.InstallDir,
            ["configFile"] = "demo.cfg",
            ["circularBufferMB"] = 64,
        };
        foreach (var (key, value) in settings ?? [])
        {
            entrySettings[key] = value?.DeepClone();
        }

        var manifest = new JsonObject
        {
            ["plugins"] = new JsonArray(new JsonObject
            {
                ["name"] = "micromanager",
                ["path"] = "plugins/Navigate.Plugins.MicroManager/Navigate.Plugins.MicroManager.dll",
                ["enabled"] = true,
                ["settings"] = entrySettings,
            }),
        };
        var path = Path.Combine(_dir, "plugins.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }

    [Fact]
    public async Task A_plugins_json_entry_gives_the_host_a_Micro_Manager_camera_and_stages_that_work()
    {
        var pluginsJson = PluginsJson();
        await using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = pluginsJson).BuildServiceProvider();

        var record = services.GetRequiredService<PluginCatalog>().Plugins.Single();
        Assert.Equal(PluginStatus.Loaded, record.Status);
        Assert.Equal(["camera:micromanager", "stage:micromanager:focus", "stage:micromanager:xy"], record.Provides);

        var devices = services.GetRequiredService<DeviceCatalog>();
        using (var camera = devices.OpenCamera("micromanager"))
        {
            Assert.NotSame(typeof(MicroManagerPlugin).Assembly, camera.GetType().Assembly); // the host's isolated copy
            Assert.Equal("DemoCamera DCam", camera.Info.Model);
            camera.Configure(camera.Settings with { ExposureSeconds = 0.002, Roi = new RegionOfInterest(128, 64, 256, 128) });
            using var pool = new FramePool(8, 256, 128, PixelType.UInt16);
            camera.StartSequence(pool, 30);
            var numbers = new List<long>();
            while (camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
            {
                using (frame)
                {
                    StandIn.AssertPixels(frame!, frame!.FrameNumber, left: 128, top: 64);
                    numbers.Add(frame.FrameNumber);
                }
            }

            Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), numbers);
            Assert.Equal(new CameraCounters(30, 0), camera.Counters);
        }

        using var xy = devices.OpenStage("micromanager:xy");
        await xy.MoveToAsync(new StagePosition(X: 1234, Y: 567), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(X: 1234, Y: 567), xy.GetPosition());
    }

    [Fact]
    public void navigate_devices_lists_the_camera_of_the_configuration_and_its_stages()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // MMCore has no API for XY travel limits; without these settings the stage reports ±infinity, which
        // `navigate devices --json` cannot write yet (reported to the host's owner).
        var pluginsJson = PluginsJson(new JsonObject { ["xLimitsUm"] = new JsonArray(0, 20000), ["yLimitsUm"] = new JsonArray(0, 20000) });
        var exit = NavigateCli.Run(["devices", "--json", "--plugins", pluginsJson], new CliConsole(output, error));
        Assert.True(exit == 0, error.ToString());
        using var doc = JsonDocument.Parse(output.ToString());
        var camera = doc.RootElement.GetProperty("cameras").EnumerateArray().Single();
        Assert.Equal("DemoCamera DCam", camera.GetProperty("info").GetProperty("model").GetString());
        Assert.Equal(512, camera.GetProperty("info").GetProperty("sensorWidth").GetInt32());
        var stages = doc.RootElement.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["micromanager:focus", "micromanager:xy"], stages.Keys);
        Assert.False(stages["micromanager:xy"].TryGetProperty("error", out _));
        Assert.Equal(2, stages["micromanager:xy"].GetProperty("axes").GetArrayLength());
    }

    [Fact]
    public void A_plugin_entry_with_no_MMCoreJ_jar_is_listed_as_failed_with_the_path_and_the_host_carries_on()
    {
        var missingInstall = Directory.CreateDirectory(Path.Combine(_dir, "Micro-Manager-2.0")).FullName;
        var pluginsJson = PluginsJson(new JsonObject { ["micromanagerDir"] = missingInstall });
        using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = pluginsJson).BuildServiceProvider();
        var record = services.GetRequiredService<PluginCatalog>().Plugins.Single();
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains($"MMCoreJ.jar not found at '{missingInstall}/plugins/Micro-Manager/MMCoreJ.jar'", record.Reason);
        var e = Assert.Throws<KeyNotFoundException>(() => services.GetRequiredService<DeviceCatalog>().OpenCamera("micromanager"));
        Assert.Contains("No camera named 'micromanager'", e.Message);
    }

    [Fact]
    public void A_plugin_entry_with_a_bad_javaHome_is_listed_as_failed_with_the_paths_tried()
    {
        var pluginsJson = PluginsJson(new JsonObject { ["javaHome"] = "/opt/jdk-none" });
        using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = pluginsJson).BuildServiceProvider();
        var record = services.GetRequiredService<PluginCatalog>().Plugins.Single();
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains("/opt/jdk-none/lib/server/libjvm.so", record.Reason);
    }
}
