using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;
using Navigate.Host.Acquisition;
using Navigate.Host.Data;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Hosting;

/// <summary>
/// End to end: plugins.json → Micro-Manager plugin → JVM → MMCoreJ (stand-in) → acquisition engine → OME-Zarr plugin
/// → disk, and zarr-python reads every plane back and checks that each frame's pixels are where they belong.
/// </summary>
[Collection(SharedJvm.Name)]
public sealed class AcquisitionToOmeZarrTests : IDisposable
{
    // Reads level 0 of the (single-position) dataset, puts its axes in t, c, z, y, x order, and checks each listed
    // frame "f t c z" against the stand-in's pattern (f + sensor x + 4 sensor y) mod 2^16 for an ROI at (left, top).
    private const string CheckScript = """
        import json, sys
        import numpy as np
        import zarr
        path, left, top, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
        root = zarr.open_group(path, mode="r")
        multiscales = root.attrs["multiscales"][0]
        axes = [a["name"] for a in multiscales["axes"]]
        data = root[multiscales["datasets"][0]["path"]][...]
        for name in "tczyx":
            if name not in axes:
                data = np.expand_dims(data, 0)
                axes.insert(0, name)
        data = np.transpose(data, [axes.index(n) for n in "tczyx"])
        h, w = data.shape[3], data.shape[4]
        y, x = np.mgrid[0:h, 0:w]
        bad = []
        for f, t, c, z in frames:
            expected = ((f + left + x + 4 * (top + y)) & 0xFFFF).astype(np.uint16)
            if not np.array_equal(data[t, c, z], expected):
                bad.append(f)
        print(json.dumps({"dtype": str(data.dtype), "shape": list(data.shape), "bad": bad}))
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("navigate-mm-zarr-").FullName;

    public AcquisitionToOmeZarrTests()
    {
        // The host loads plugins only from below the plugins.json folder: lay the built plugins out there.
        StandIn.CopyBuiltPlugin("Navigate.Plugins.MicroManager", _dir);
        StandIn.CopyBuiltPlugin("Navigate.Plugins.OmeZarr", _dir);

        File.WriteAllText(Path.Combine(_dir, "demo.cfg"), StandIn.DemoConfig);
        File.WriteAllText(Path.Combine(_dir, "plugins.json"), JsonSerializer.Serialize(new
        {
            plugins = new object[]
            {
                new { name = "micromanager", path = "plugins/Navigate.Plugins.MicroManager/Navigate.Plugins.MicroManager.dll", enabled = true, settings = new { micromanagerDir = StandIn.InstallDir, configFile = "demo.cfg", circularBufferMB = 64 } },
                new { name = "ome-zarr", path = "plugins/Navigate.Plugins.OmeZarr/Navigate.Plugins.OmeZarr.dll", enabled = true },
            },
        }));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_frame_of_an_acquisition_lands_in_its_place_in_the_OME_Zarr_dataset()
    {
        using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = Path.Combine(_dir, "plugins.json")).BuildServiceProvider();
        Assert.All(services.GetRequiredService<PluginCatalog>().Plugins, p => Assert.True(p.Status == PluginStatus.Loaded, $"{p.Name}: {p.Reason}"));
        var engine = new AcquisitionEngine(services.GetRequiredService<DeviceCatalog>(), services.GetRequiredService<FormatCatalog>());
        var metadata = new AcquisitionMetadata { Width = 256, Height = 128, Channels = 2, ZSteps = 5, Timepoints = 2, Positions = 1 };
        var output = Path.Combine(_dir, "acquisition.ome.zarr");

        var summary = engine.Run(new AcquisitionRequest
        {
            Metadata = metadata,
            OutputPath = output,
            Format = "ome-zarr",
            Camera = "micromanager",
            ExposureSeconds = 0.002,
            RingFrames = 8,
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(metadata.FrameCount, summary.FramesWritten);
        Assert.Equal(0, summary.FramesDropped);
        Assert.False(summary.Interrupted);

        // The engine centres the 256×128 ROI on the 512×512 sensor.
        var frames = Enumerable.Range(0, (int)metadata.FrameCount).Select(f =>
        {
            var i = metadata.IndexOf(f);
            return new[] { f, i.T, i.C, i.Z };
        }).ToArray();
        var result = JsonDocument.Parse(ZarrPython.Run(CheckScript, output, "128", "192", JsonSerializer.Serialize(frames))).RootElement;
        Assert.Equal("uint16", result.GetProperty("dtype").GetString());
        Assert.Equal([2, 2, 5, 128, 256], result.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Empty(result.GetProperty("bad").EnumerateArray().Select(e => e.GetInt64().ToString(CultureInfo.InvariantCulture)));
    }
}
