using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

public sealed class OmeZarrFormatTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_plugin_registers_the_format()
    {
        var services = new ServiceCollection();
        var plugin = new OmeZarrPlugin();
        using var settings = JsonDocument.Parse("{}");
        plugin.ConfigureServices(services, new PluginContext("omezarr", AppContext.BaseDirectory, settings.RootElement, NullLogger.Instance, AppContext.BaseDirectory));
        using var provider = services.BuildServiceProvider();
        Assert.Same(OmeZarrFormat.Instance, Assert.Single(provider.GetServices<IDataSourceFormat>()));
        Assert.Equal("Navigate.Plugins.OmeZarr", plugin.Info.Name);
        Assert.Equal(NavigateApi.Version, plugin.Info.ApiVersion);
    }

    [Fact]
    public void Name_aliases_and_extensions()
    {
        var format = OmeZarrFormat.Instance;
        Assert.Equal("ome-zarr", format.Name);
        Assert.Contains("zarr", format.Aliases);
        Assert.Equal([".ome.zarr", ".zarr"], format.FileExtensions);
    }

    [Fact]
    public void CanOpen_looks_only_at_the_root_attributes()
    {
        var format = OmeZarrFormat.Instance;
        var path = OmeZarrLayoutTests.Write(_temp.Combine("a.ome.zarr"), "navigate", frames: 1);
        var bf = OmeZarrLayoutTests.Write(_temp.Combine("b.zarr"), "bioformats2raw", frames: 1);
        Assert.True(format.CanOpen(path));
        Assert.True(format.CanOpen(bf));
        Assert.False(format.CanOpen(_temp.Combine("missing.zarr")));
        Directory.CreateDirectory(_temp.Combine("plain.zarr"));
        File.WriteAllText(_temp.Combine("plain.zarr", ".zattrs"), "{\"other\": 1}");
        Assert.False(format.CanOpen(_temp.Combine("plain.zarr")));
        File.WriteAllText(_temp.Combine("plain.zarr", ".zattrs"), "{not json");
        Assert.False(format.CanOpen(_temp.Combine("plain.zarr")));
    }

    [Fact]
    public void Create_and_Open_go_through_the_contract()
    {
        IDataSourceFormat format = OmeZarrFormat.Instance;
        var m = OmeZarrLayoutTests.Metadata with { Positions = 1 };
        var path = _temp.Combine("c.ome.zarr");
        using (var source = format.Create(path, m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["compression"] = "gzip" } }))
        {
            Frames.WriteAll(source, m);
        }

        using var read = format.Open(path);
        Assert.Equal(m.FrameCount, read.FramesWritten);
        Assert.Equal(Frames.Pixel(5, 2, 2), read.GetData(timepoint: 0, channel: 1, z: 2)[0, 2, 2]);
    }

    [Fact]
    public void Inspect_describes_every_position_and_level_in_the_hosts_terms()
    {
        var path = OmeZarrLayoutTests.Write(_temp.Combine("i.ome.zarr"), "bioformats2raw");
        var description = ((IDatasetInspector)OmeZarrFormat.Instance).Inspect(path);
        Assert.Equal("ome-zarr 0.4 (zarr v2, bioformats2raw)", description.Format);
        Assert.Equal(2, description.Images.Count);
        var image = description.Images[1];
        Assert.Equal("p1", image.Name);
        Assert.Equal("1", image.Path);
        Assert.Equal(["t", "c", "z", "y", "x"], image.Axes.Select(a => a.Name));
        Assert.Equal(4, image.Levels.Count);
        Assert.Equal("1/2", image.Levels[2].Path);
        Assert.Equal([2L, 2, 3, 3, 5], image.Levels[2].Shape);
        Assert.Equal([1L, 1, 1, 3, 5], image.Levels[2].Chunks);
        Assert.Equal("uint16", image.Levels[2].DataType);
        Assert.Equal("gzip(level 5)", image.Levels[2].Codec);
        Assert.Equal([3, 1, 1.6, 1.6, 1.6], image.Levels[2].Scale);
        Assert.Equal(["GFP", "mCherry"], image.Channels.Select(c => c.Name));

        var inspection = OmeZarrInspector.Inspect(path);
        Assert.Equal(24, inspection.Progress!.FramesWritten);
        Assert.True(inspection.Progress.Complete);
        Assert.True(inspection.Consolidated);
        var text = OmeZarrInspector.ToText(inspection);
        Assert.Contains("image 1 'p1' in /1  axes t[second] c z[micrometer] y[micrometer] x[micrometer]", text, StringComparison.Ordinal);
        Assert.Contains("1/2          shape (2, 2, 3, 3, 5)  chunks (1, 1, 1, 3, 5)  <u2  gzip(level 5)", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(OmeZarrInspector.ToJson(inspection));
        Assert.Equal("bioformats2raw", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("images")[1].GetProperty("levels")[2].GetProperty("shape")[4].GetInt32());
    }
}
