using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests;

/// <summary>
/// The plugin as a lab runs it: the host reads plugins.json, loads the built plugin into its own load context, the
/// plugin loads DCAM-API from the <c>library</c> setting — here the simulator — and the cameras acquire.
/// </summary>
public sealed class HamamatsuPluginHostTests : SimulatorTest, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hamamatsu-host-").FullName;

    void IDisposable.Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Dispose();
    }

    [Fact]
    public async Task Cameras_from_plugins_json_are_listed_and_acquire_frames()
    {
        var manifest = WriteManifest(new { library = Path.GetRelativePath(_folder, DcamSim.LibraryPath), ring_frames = 64 });

        await using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = manifest).BuildServiceProvider();

        var plugin = Assert.Single(services.GetRequiredService<PluginCatalog>().Plugins);
        Assert.True(plugin.Status == PluginStatus.Loaded, plugin.Reason);
        Assert.Equal(("hamamatsu", "1.0.0"), (plugin.Name, plugin.Version));
        var devices = services.GetRequiredService<DeviceCatalog>();
        Assert.Equal(["hamamatsu", "hamamatsu:301234", "hamamatsu:500678"], devices.Cameras.Select(c => c.Name));

        using var camera = devices.OpenCamera("hamamatsu:500678");
        Assert.Equal("Navigate.Plugins.Hamamatsu.HamamatsuCamera", camera.GetType().FullName);
        Assert.Equal(("C15440-20UP", "500678"), (camera.Info.Model, camera.Info.SerialNumber));
        Assert.Contains(camera.DescribeProperties(), p => p is { Name: "exposure_time", Unit: "s", Writable: true });
        var settings = camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, FrameRate = 500, Binning = 2, Roi = new RegionOfInterest(64, 32, 128, 64) });
        Assert.Equal(new RegionOfInterest(64, 32, 128, 64), settings.Roi);
        using var pool = new FramePool(8, 64, 32, PixelType.UInt16);

        camera.StartSequence(pool, 40);
        var numbers = new List<long>();
        while (camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                Assert.Equal((64, 32), (frame!.Width, frame.Height));
                DcamSim.AssertContent(frame, 64, 32, 2);
                numbers.Add(frame.FrameNumber);
            }
        }

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), numbers);
        Assert.Equal(new CameraCounters(40, 0), camera.Counters);
    }

    [Fact]
    public async Task Without_the_library_the_host_skips_the_plugin_with_the_paths_it_tried()
    {
        var manifest = WriteManifest(new { library = "dcam/libdcamapi.so" });

        await using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = manifest).BuildServiceProvider();

        var plugin = Assert.Single(services.GetRequiredService<PluginCatalog>().Plugins);
        Assert.Equal(PluginStatus.Failed, plugin.Status);
        Assert.Contains("DCAM-API (library 'dcamapi') could not be loaded. Tried:", plugin.Reason, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_folder, "dcam", "libdcamapi.so")} (plugins.json setting 'library'): file not found", plugin.Reason, StringComparison.Ordinal);
        Assert.Empty(services.GetRequiredService<DeviceCatalog>().Cameras);
    }

    [Fact]
    public async Task Navigate_devices_lists_the_simulated_cameras_with_model_serial_and_property_ranges()
    {
        var manifest = WriteManifest(new { library = DcamSim.LibraryPath });
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "navigate.dll"), "devices", "--json", "--plugins", manifest },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DCAMSIM_CAMERAS"] = DcamSim.DefaultCameras;

        using var navigate = Process.Start(start)!;
        var output = navigate.StandardOutput.ReadToEndAsync(Token);
        var errors = navigate.StandardError.ReadToEndAsync(Token);
        await navigate.WaitForExitAsync(Token);

        Assert.True(navigate.ExitCode == 0, await errors);
        using var json = JsonDocument.Parse(await output);
        var cameras = json.RootElement.GetProperty("cameras").EnumerateArray().ToList();
        Assert.Equal(["hamamatsu", "hamamatsu:301234", "hamamatsu:500678"], cameras.Select(c => c.GetProperty("name").GetString()));
        var fusion = cameras[2];
        Assert.Equal("C15440-20UP", fusion.GetProperty("info").GetProperty("model").GetString());
        Assert.Equal("500678", fusion.GetProperty("info").GetProperty("serialNumber").GetString());
        Assert.Equal(2304, fusion.GetProperty("info").GetProperty("sensorWidth").GetInt32());
        var exposure = fusion.GetProperty("properties").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "exposure_time");
        Assert.Equal((7.2e-6, 10.0, 1e-6), (exposure.GetProperty("minimum").GetDouble(), exposure.GetProperty("maximum").GetDouble(), exposure.GetProperty("step").GetDouble()));
    }

    private string WriteManifest(object settings)
    {
        var built = Path.Combine(RepoRoot(), "artifacts", "plugins", "Navigate.Plugins.Hamamatsu");
        var target = Path.Combine(_folder, "plugins", "Navigate.Plugins.Hamamatsu");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(_folder, "plugins.json");
        File.WriteAllText(manifest, JsonSerializer.Serialize(new
        {
            plugins = new[]
            {
                new { name = "hamamatsu", path = "plugins/Navigate.Plugins.Hamamatsu/Navigate.Plugins.Hamamatsu.dll", enabled = true, settings },
            },
        }));
        return manifest;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Navigate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Navigate.sln not found above {AppContext.BaseDirectory}.");
    }
}
