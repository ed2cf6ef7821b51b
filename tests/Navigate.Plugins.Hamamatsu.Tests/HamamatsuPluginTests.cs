using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests;

public sealed class HamamatsuPluginTests : SimulatorTest, IDisposable
{
    private readonly string _manifestFolder = Directory.CreateTempSubdirectory("hamamatsu-plugin-").FullName;
    private readonly ListLogger _logger = new();

    void IDisposable.Dispose()
    {
        Directory.Delete(_manifestFolder, recursive: true);
        Dispose();
    }

    [Fact]
    public void Registers_the_first_camera_and_each_camera_by_serial_number()
    {
        var services = new ServiceCollection();

        new HamamatsuPlugin().ConfigureServices(services, Context(new { library = Relative(DcamSim.LibraryPath), ring_frames = 6 }));

        using var provider = services.BuildServiceProvider();
        var factories = provider.GetServices<ICameraFactory>().ToList();
        Assert.Equal(["hamamatsu", "hamamatsu:301234", "hamamatsu:500678"], factories.Select(f => f.Name));
        Assert.Equal(0, DcamSim.GetStats().Initialized); // enumeration gave DCAM-API back
        Assert.Contains(_logger.Lines, l => l.Contains("#0 C13440-20CU S/N 301234, #1 C15440-20UP S/N 500678", StringComparison.Ordinal));

        using (var fusion = factories.Single(f => f.Name == "hamamatsu:500678").Open())
        {
            Assert.Equal(new CameraInfo("hamamatsu:500678", "C15440-20UP", "500678", 2304, 2304, PixelType.UInt16, 16, 6.5), fusion.Info);
        }

        using (var first = factories[0].Open())
        {
            Assert.Equal(("hamamatsu", "C13440-20CU"), (first.Info.Name, first.Info.Model));
        }
    }

    [Fact]
    public void A_camera_from_the_plugin_acquires_frames()
    {
        var services = new ServiceCollection();
        new HamamatsuPlugin().ConfigureServices(services, Context(new { library = DcamSim.LibraryPath, trigger_active = "syncreadout" }));
        using var provider = services.BuildServiceProvider();

        using var camera = provider.GetServices<ICameraFactory>().Single(f => f.Name == "hamamatsu:301234").Open();
        Assert.Equal(DcamTriggerActive.SyncReadout, ((HamamatsuCamera)camera).TriggerActive);
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(8, 4, 32, 16) });
        using var pool = new FramePool(4, 32, 16, PixelType.UInt16);
        camera.StartSequence(pool, 10);
        var numbers = new List<long>();
        while (camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                DcamSim.AssertContent(frame!, 8, 4, 1);
                numbers.Add(frame!.FrameNumber);
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), numbers);
    }

    [Fact]
    public void A_missing_library_throws_with_every_path_tried_and_registers_nothing()
    {
        var services = new ServiceCollection();
        var missing = Path.Combine(_manifestFolder, "dcam", "libdcamapi.so");

        var e = Assert.Throws<DcamLibraryNotFoundException>(() => new HamamatsuPlugin().ConfigureServices(services, Context(new { library = "dcam/libdcamapi.so" })));

        Assert.Empty(services);
        Assert.Contains($"{missing} (plugins.json setting 'library'): file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_manifestFolder, "plugin", "libdcamapi.so")} (plugin folder): file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("libdcamapi.so (default search", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_setting_that_fails_falls_back_to_the_plugin_folder_with_a_warning()
    {
        var pluginFolder = Directory.CreateDirectory(Path.Combine(_manifestFolder, "plugin")).FullName;
        File.CreateSymbolicLink(Path.Combine(pluginFolder, "libdcamapi.so"), DcamSim.LibraryPath);
        var services = new ServiceCollection();

        new HamamatsuPlugin().ConfigureServices(services, Context(new { library = "missing/libdcamapi.so" }));

        Assert.Equal(3, services.Count);
        using (var provider = services.BuildServiceProvider())
        using (var camera = provider.GetServices<ICameraFactory>().First().Open())
        {
            Assert.Equal("C13440-20CU", camera.Info.Model);
        }

        Assert.Contains(_logger.Lines, l => l == $"Setting 'library' = '{Path.Combine(_manifestFolder, "missing", "libdcamapi.so")}' could not be loaded; using DCAM-API from '{Path.Combine(pluginFolder, "libdcamapi.so")}' instead.");
    }

    [Fact]
    public void No_camera_registers_nothing_and_says_so()
    {
        DcamSim.SetEnvironment("DCAMSIM_CAMERAS", "");
        var services = new ServiceCollection();

        new HamamatsuPlugin().ConfigureServices(services, Context(new { library = DcamSim.LibraryPath }));

        Assert.Empty(services);
        Assert.Contains(_logger.Lines, l => l.Contains("found no camera; no Hamamatsu camera is registered", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"ring_frames\": 2}", "setting 'ring_frames' of plugin 'hamamatsu' is 2; expected a whole number of frames from 3 to 100000.")]
    [InlineData("{\"trigger_active\": \"pulse\"}", "setting 'trigger_active' of plugin 'hamamatsu' is 'pulse'; expected one of 'edge', 'level', 'syncreadout'.")]
    [InlineData("{\"trigger_mode\": \"2\"}", "setting 'trigger_mode' of plugin 'hamamatsu' is '2'; expected one of 'normal', 'start'.")]
    public void Bad_settings_name_the_key_and_what_was_expected(string settings, string message)
    {
        using var document = JsonDocument.Parse(settings);
        var context = new PluginContext("hamamatsu", Path.Combine(_manifestFolder, "plugin"), document.RootElement.Clone(), _logger, _manifestFolder);

        var e = Assert.Throws<FormatException>(() => new HamamatsuPlugin().ConfigureServices(new ServiceCollection(), context));

        Assert.Equal("plugins.json: " + message, e.Message);
    }

    [Fact]
    public void Info_names_the_plugin_and_the_api_it_was_built_for()
    {
        var info = new HamamatsuPlugin().Info;

        Assert.Equal(("Navigate.Plugins.Hamamatsu", NavigateApi.Version), (info.Name, info.ApiVersion));
    }

    private PluginContext Context(object settings)
    {
        var element = JsonSerializer.SerializeToElement(settings);
        return new PluginContext("hamamatsu", Path.Combine(_manifestFolder, "plugin"), element, _logger, _manifestFolder);
    }

    private string Relative(string path) => Path.GetRelativePath(_manifestFolder, path);

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Add(formatter(state, exception));
    }
}
