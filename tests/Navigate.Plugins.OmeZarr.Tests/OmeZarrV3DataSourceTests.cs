using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>
/// The data source writing OME-NGFF 0.5 on Zarr v3 in navigate's HCS layout (plate → well A/1 → one field per
/// position) with sharded arrays; the documents validate against the 0.5 schemas and the data reads back.
/// </summary>
public sealed class OmeZarrV3DataSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    internal static AcquisitionMetadata Metadata => new()
    {
        Width = 70,
        Height = 45,
        Channels = 2,
        ZSteps = 10,
        Timepoints = 1,
        Positions = 2,
        VoxelSize = new VoxelSize(0.4, 0.4, 1.6),
        BitDepth = 12,
        ChannelInfos = [new ChannelInfo("GFP", "00FF00"), new ChannelInfo("mCherry", "FF00FF")],
        StagePositions = [new StagePosition(1, 2, 3), new StagePosition(40, 50, 60)],
    };

    internal static Dictionary<string, string> V3Settings(string layout = "hcs") => new()
    {
        ["zarr_version"] = "3",
        ["chunks"] = "2,32,32",
        ["shard"] = "4,64,64",
        ["levels"] = "2",
        ["layout"] = layout,
        ["compression"] = "lz4",
        ["threads"] = "2",
    };

    internal static string Write(string path, Dictionary<string, string> settings, long? frames = null)
    {
        var m = Metadata;
        using var source = OmeZarrDataSource.Create(path, m, new DataSourceOptions { Settings = settings });
        Frames.WriteAll(source, m, frames);
        return path;
    }

    private static JsonObject Attributes(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine([.. parts, "zarr.json"])))!["attributes"]!.AsObject();

    [Fact]
    public void Hcs_layout_on_v3_is_a_plate_of_one_well_with_a_field_per_position_that_validates_against_NGFF_05()
    {
        var root = Write(_temp.Combine("hcs.ome.zarr"), V3Settings());
        Assert.False(File.Exists(Path.Combine(root, ".zgroup")));
        Assert.False(File.Exists(Path.Combine(root, ".zmetadata")));

        var plate = Attributes(root);
        Assert.Equal("0.5", (string)plate["ome"]!["version"]!);
        Assert.Empty(NgffSchemas.Errors05("plate.schema", plate));
        Assert.Empty(NgffSchemas.Errors05("strict_plate.schema", plate));
        Assert.Equal("A/1", (string)plate["ome"]!["plate"]!["wells"]![0]!["path"]!);
        Assert.Equal(2, (int)plate["ome"]!["plate"]!["field_count"]!);
        Assert.Equal(Metadata.FrameCount, (long)plate["navigate"]!["frames_written"]!);
        Assert.Equal(3, (int)plate["navigate"]!["zarr_version"]!);

        Assert.Empty(Attributes(root, "A")); // the row group is a plain group
        var well = Attributes(root, "A", "1");
        Assert.Empty(NgffSchemas.Errors05("well.schema", well));
        Assert.Empty(NgffSchemas.Errors05("strict_well.schema", well));
        Assert.Equal(["0", "1"], well["ome"]!["well"]!["images"]!.AsArray().Select(i => (string)i!["path"]!));

        for (var p = 0; p < 2; p++)
        {
            var image = Attributes(root, "A", "1", $"{p}");
            Assert.Empty(NgffSchemas.Errors05("image.schema", image));
            Assert.Empty(NgffSchemas.Errors05("strict_image.schema", image));
            Assert.Null(image["ome"]!["multiscales"]![0]!["version"]);
            Assert.Equal(["0", "1"], image["ome"]!["multiscales"]![0]!["datasets"]!.AsArray().Select(d => (string)d!["path"]!));

            var level0 = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "A", "1", $"{p}", "0", "zarr.json")))!;
            Assert.Equal("[1,2,10,45,70]", level0["shape"]!.ToJsonString());
            Assert.Equal("[1,1,4,64,64]", level0["chunk_grid"]!["configuration"]!["chunk_shape"]!.ToJsonString());
            Assert.Equal("sharding_indexed", (string)level0["codecs"]![0]!["name"]!);
            Assert.Equal("[1,1,2,32,32]", level0["codecs"]![0]!["configuration"]!["chunk_shape"]!.ToJsonString());
            Assert.Equal("""["t","c","z","y","x"]""", level0["dimension_names"]!.ToJsonString());
        }
    }

    [Fact]
    public void A_v3_dataset_reads_back_frame_for_frame_through_Open()
    {
        var root = Write(_temp.Combine("back.ome.zarr"), V3Settings());
        Assert.True(OmeZarrFormat.Instance.CanOpen(root));
        using var source = OmeZarrDataSource.Open(root);
        Assert.Equal(2, source.Positions);
        Assert.Equal(3, source.Options.ZarrVersion);
        Assert.Equal(OmeZarrLayout.Hcs, source.Options.Layout);
        Assert.Equal(new ChunkShape(2, 32, 32), source.Options.Chunks);
        Assert.Equal(new ChunkShape(4, 64, 64), source.Options.Shard);
        var m = Metadata;
        for (long f = 0; f < m.FrameCount; f++)
        {
            // per_stack (the default): z = f % Z, c = (f / Z) % C, p = f / (C·Z).
            int z = (int)(f % m.ZSteps), c = (int)(f / m.ZSteps % m.Channels), p = (int)(f / (m.Channels * m.ZSteps));
            var plane = source.GetData(0, p, c, z, 1);
            Assert.Equal(Frames.Make(f, m.Width, m.Height), plane.Bytes.ToArray());
        }
    }

    [Fact]
    public void Each_shard_is_one_file_holding_its_inner_chunks()
    {
        var root = Write(_temp.Combine("files.ome.zarr"), V3Settings());
        var level0 = Path.Combine(root, "A", "1", "0", "0");
        var shards = Directory.GetFiles(Path.Combine(level0, "c"), "*", SearchOption.AllDirectories);
        // 2 channels × ceil(10/4) × ceil(45/64) × ceil(70/64) shards.
        Assert.Equal(2 * 3 * 1 * 2, shards.Length);
        Assert.DoesNotContain(shards, f => f.EndsWith(".navtmp", StringComparison.Ordinal));
        var array = ZarrArray.Open(new DirectoryZarrStore(root), "A/1/0/0");
        Assert.Equal([1, 1, 2, 32, 32], array.Sharding!.ChunkShape);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dropped_frames_read_as_zero_and_a_shard_of_nothing_but_dropped_frames_is_not_stored(bool perStack)
    {
        var m = Metadata with { PerStack = perStack };
        var root = _temp.Combine($"drops-{perStack}.ome.zarr");
        // Per stack, frames 0-3 are z 0-3 of channel 0 at position 0: the whole first shard row (shards of 4 planes).
        bool Dropped(long f) => perStack ? f < 4 || f % 7 == 3 : f % 7 == 3;
        var written = new List<(FrameIndex Index, long Frame)>();
        using (var source = OmeZarrDataSource.Create(root, m, new DataSourceOptions { Settings = V3Settings() }))
        {
            for (long f = 0; f < m.FrameCount; f++)
            {
                written.Add((Dropped(f) ? source.SkipDroppedFrame() : source.Write(Frames.Make(f, m.Width, m.Height)), f));
            }
        }

        using var back = OmeZarrDataSource.Open(root);
        foreach (var (i, f) in written)
        {
            for (var level = 1; level <= 2; level *= 2)
            {
                var plane = back.GetData(i.T, i.P, i.C, i.Z, level).Bytes.ToArray();
                if (Dropped(f))
                {
                    Assert.DoesNotContain(plane, b => b != 0);
                }
                else if (level == 1)
                {
                    Assert.Equal(Frames.Make(f, m.Width, m.Height), plane);
                }
            }
        }

        var firstShardRow = Path.Combine(root, "A", "1", "0", "0", "c", "0", "0", "0", "0");
        Assert.Equal(!perStack, File.Exists(Path.Combine(firstShardRow, "0")));
        Assert.Equal(!perStack, File.Exists(Path.Combine(firstShardRow, "1")));
    }

    [Fact]
    public void A_v3_dataset_closed_early_is_shrunk_and_lists_only_written_fields()
    {
        var root = Write(_temp.Combine("early.ome.zarr"), V3Settings(), frames: 7);
        var well = Attributes(root, "A", "1");
        Assert.Equal(["0"], well["ome"]!["well"]!["images"]!.AsArray().Select(i => (string)i!["path"]!));
        Assert.False(Directory.Exists(Path.Combine(root, "A", "1", "1")));
        using var source = OmeZarrDataSource.Open(root);
        Assert.Equal(1, source.Positions);
        Assert.Equal(7, source.Metadata.ZSteps);
        Assert.Equal(1, source.Metadata.Channels);
        Assert.Equal(Frames.Make(6, 70, 45), source.GetData(0, 0, 0, 6, 1).Bytes.ToArray());
    }

    [Theory]
    [InlineData("navigate")]
    [InlineData("bioformats2raw")]
    public void The_other_layouts_also_write_v3(string layout)
    {
        var root = Write(_temp.Combine(layout + ".ome.zarr"), V3Settings(layout));
        var attributes = Attributes(root);
        Assert.Equal("0.5", (string)attributes["ome"]!["version"]!);
        Assert.Empty(NgffSchemas.Errors05(layout == "navigate" ? "image.schema" : "bf2raw.schema", attributes));
        using var source = OmeZarrDataSource.Open(root);
        Assert.Equal(2, source.Positions);
        Assert.Equal(Frames.Make(Metadata.FrameCount - 1, 70, 45), source.GetData(0, 1, 1, 9, 1).Bytes.ToArray());
    }

    [Theory]
    [InlineData("shard", "4,64,64", "zarr_version", "2", "ome-zarr setting 'shard' (4,64,64) needs zarr_version 3; Zarr v2 has no shards.")]
    [InlineData("shard", "5,64,64", "zarr_version", "3", "ome-zarr setting 'shard' is 5,64,64; it must be a whole number of chunks (2,32,32) along Z, Y and X.")]
    [InlineData("zarr_version", "4", "chunks", "2,32,32", "ome-zarr setting 'zarr_version' is '4'; expected 2 (OME-NGFF 0.4) or 3 (OME-NGFF 0.5, sharded).")]
    public void Bad_v3_settings_are_refused(string name, string value, string otherName, string otherValue, string message)
    {
        var e = Assert.Throws<OmeZarrOptionsException>(() => OmeZarrOptions.Parse(new Dictionary<string, string> { ["chunks"] = "2,32,32", [otherName] = otherValue, [name] = value }));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Zarr_version_3_defaults_to_navigates_layout_chunks_and_shards()
    {
        var options = OmeZarrOptions.Parse(new Dictionary<string, string> { ["zarr_version"] = "3" });
        Assert.Equal(OmeZarrLayout.Hcs, options.Layout);
        Assert.Equal(new ChunkShape(8, 256, 256), options.EffectiveV3Chunks);
        Assert.Equal(new ChunkShape(32, 256, 256), options.EffectiveShard);
        Assert.Equal("3", options.ToSettings()["zarr_version"]);
        Assert.Equal(OmeZarrLayout.Navigate, OmeZarrOptions.Parse(new Dictionary<string, string>()).Layout);
    }
}
