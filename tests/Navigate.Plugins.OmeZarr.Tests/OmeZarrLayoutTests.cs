using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>What is on disk in both layouts: the hierarchy, and attributes that validate against the OME-NGFF 0.4 schemas.</summary>
public sealed class OmeZarrLayoutTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static AcquisitionMetadata Metadata => new()
    {
        Width = 19,
        Height = 11,
        Channels = 2,
        ZSteps = 3,
        Timepoints = 2,
        Positions = 2,
        VoxelSize = new VoxelSize(0.4, 0.4, 1.6),
        TimeIntervalSeconds = 3,
        BitDepth = 12,
        ChannelInfos = [new ChannelInfo("GFP", "00FF00"), new ChannelInfo("mCherry", "FF00FF")],
        StagePositions = [new StagePosition(1, 2, 3), new StagePosition(40, 50, 60)],
    };

    internal static string Write(string path, string layout, string compression = "gzip", long? frames = null)
    {
        var m = Metadata;
        using var source = OmeZarrDataSource.Create(path, m, new DataSourceOptions
        {
            Settings = new Dictionary<string, string> { ["layout"] = layout, ["compression"] = compression, ["threads"] = "2" },
        });
        Frames.WriteAll(source, m, frames);
        return path;
    }

    private static JsonDocument Json(params string[] parts) => JsonDocument.Parse(File.ReadAllText(Path.Combine(parts)));

    [Fact]
    public void Navigate_layout_has_flat_arrays_and_one_multiscale_per_position()
    {
        var root = Write(_temp.Combine("nav.ome.zarr"), "navigate");
        Assert.Equal(["p0_0", "p0_1", "p0_2", "p0_3", "p1_0", "p1_1", "p1_2", "p1_3"], Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var attributes = Json(root, ".zattrs");
        Assert.Empty(NgffSchemas.Errors("image.schema", attributes.RootElement));
        Assert.Empty(NgffSchemas.Errors("strict_image.schema", attributes.RootElement));
        var image = NgffReader.ReadImage(attributes.RootElement, ".zattrs");
        Assert.Equal(["p0", "p1"], image.Multiscales.Select(m => m.Name));
        Assert.Equal([3, 1, 1.6, 0.8, 0.8], image.Multiscales[1].Datasets[1].Transform.Scale);
        Assert.Equal(["GFP", "mCherry"], image.Omero!.Channels.Select(c => c.Label));
        Assert.Equal(4095, image.Omero.Channels[0].Window.Max);
        using var zarray = Json(root, "p1_3", ".zarray");
        Assert.Equal([2, 2, 3, 2, 3], zarray.RootElement.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("<u2", zarray.RootElement.GetProperty("dtype").GetString());
        Assert.Equal(0, zarray.RootElement.GetProperty("fill_value").GetInt32());
    }

    [Fact]
    public void Bioformats2raw_layout_has_an_image_group_per_position_and_an_OME_group()
    {
        var root = Write(_temp.Combine("bf.ome.zarr"), "bioformats2raw");
        using var rootAttributes = Json(root, ".zattrs");
        Assert.Equal(3, rootAttributes.RootElement.GetProperty("bioformats2raw.layout").GetInt32());
        Assert.Empty(NgffSchemas.Errors("bf2raw.schema", rootAttributes.RootElement));
        Assert.False(rootAttributes.RootElement.TryGetProperty("multiscales", out _));
        using var series = Json(root, "OME", ".zattrs");
        Assert.Empty(NgffSchemas.Errors("ome.schema", series.RootElement));
        Assert.Equal(["0", "1"], series.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetString()));
        Assert.True(File.Exists(Path.Combine(root, "OME", ".zgroup")));
        Assert.Contains("<MetadataOnly", File.ReadAllText(Path.Combine(root, "OME", "METADATA.ome.xml")), StringComparison.Ordinal);
        for (var p = 0; p < 2; p++)
        {
            Assert.True(File.Exists(Path.Combine(root, $"{p}", ".zgroup")));
            using var image = Json(root, $"{p}", ".zattrs");
            Assert.Empty(NgffSchemas.Errors("image.schema", image.RootElement));
            Assert.Empty(NgffSchemas.Errors("strict_image.schema", image.RootElement));
            Assert.Equal(["0", "1", "2", "3"], image.RootElement.GetProperty("multiscales")[0].GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("path").GetString()));
            Assert.True(File.Exists(Path.Combine(root, $"{p}", "3", ".zarray")));
        }

        using var read = OmeZarrDataSource.Open(root);
        Assert.Equal(OmeZarrLayout.Bioformats2Raw, read.Options.Layout);
        Assert.Equal(2, read.Positions);
        var last = read.GetSlice(.., .., 1, 2..3, 1, 1);
        Assert.Equal(Frames.Pixel(Metadata.FrameCount - 1, 10, 18), last[0, 10, 18]);
        Assert.Equal(new StagePosition(40, 50, 60), read.Metadata.StagePositions[1]);
    }

    [Fact]
    public void A_bioformats2raw_dataset_closed_early_lists_only_its_written_positions()
    {
        var root = Write(_temp.Combine("bf.ome.zarr"), "bioformats2raw", frames: 5);
        using var series = Json(root, "OME", ".zattrs");
        Assert.Equal(["0"], series.RootElement.GetProperty("series").EnumerateArray().Select(s => s.GetString()));
        Assert.False(Directory.Exists(Path.Combine(root, "1")));
        using var read = OmeZarrDataSource.Open(root);
        Assert.Equal(1, read.Positions);
        Assert.Equal(5, read.FramesWritten);
    }

    [Fact]
    public void Dropped_frames_leave_the_fill_value_and_are_listed()
    {
        var m = Metadata with { Positions = 1 };
        var path = _temp.Combine("drop.zarr");
        using (var source = OmeZarrDataSource.Create(path, m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["compression"] = "gzip" } }))
        {
            source.Write(Frames.Make(0, m.Width, m.Height));
            Assert.Equal(new FrameIndex(0, 1, 0, 0), source.SkipDroppedFrame());
            for (long f = 2; f < m.FrameCount; f++)
            {
                source.Write(Frames.Make(f, m.Width, m.Height));
            }

            Assert.Equal([1L], source.DroppedFrames);
            Assert.All(source.GetData(z: 1, resolution: 2).Pixels<ushort>().ToArray(), v => Assert.Equal(0, v));
            Assert.Equal(Frames.Pixel(2, 3, 4), source.GetData(z: 2)[0, 3, 4]);
        }

        using var attributes = Json(path, ".zattrs");
        Assert.Equal([1L], attributes.RootElement.GetProperty("navigate").GetProperty("dropped_frames").EnumerateArray().Select(v => v.GetInt64()));
        Assert.True(attributes.RootElement.GetProperty("navigate").GetProperty("complete").GetBoolean());
    }
}
