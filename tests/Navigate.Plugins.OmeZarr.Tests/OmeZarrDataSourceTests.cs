using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>navigate's OMEZarrDataSource semantics, one behaviour per test.</summary>
public sealed class OmeZarrDataSourceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static AcquisitionMetadata Small(int c = 2, int z = 3, int t = 2, int p = 1, bool perStack = true, int width = 21, int height = 13) => new()
    {
        Width = width,
        Height = height,
        Channels = c,
        ZSteps = z,
        Timepoints = t,
        Positions = p,
        PerStack = perStack,
        VoxelSize = new VoxelSize(0.5, 0.5, 2),
        TimeIntervalSeconds = 4,
        ChannelInfos = [new ChannelInfo("GFP", "00FF00", "488nm"), new ChannelInfo("RFP", "FF0000", "561nm")],
        StagePositions = [new StagePosition(10, 20, 30), new StagePosition(-1, -2, -3)],
    };

    private OmeZarrDataSource Create(AcquisitionMetadata metadata, params (string Key, string Value)[] settings) =>
        OmeZarrDataSource.Create(_temp.Combine("data.ome.zarr"), metadata, new DataSourceOptions
        {
            Settings = settings.Append((Key: "threads", Value: "2")).ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase),
        });

    private static void AssertPlane(ImageData plane, long frame, int z = 0)
    {
        var pixels = plane.Pixels<ushort>();
        for (var y = 0; y < plane.Shape.Y; y++)
        {
            for (var x = 0; x < plane.Shape.X; x++)
            {
                if (pixels[(z * plane.Shape.Y + y) * plane.Shape.X + x] != Frames.Pixel(frame, y, x))
                {
                    Assert.Fail($"pixel (z={z}, y={y}, x={x}) is {pixels[(z * plane.Shape.Y + y) * plane.Shape.X + x]}; frame {frame} has {Frames.Pixel(frame, y, x)} there.");
                }
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Write_maps_the_frame_counter_to_czt_as_navigate_and_every_plane_reads_back(bool perStack)
    {
        var m = Small(perStack: perStack);
        using var source = Create(m);
        var written = Frames.WriteAll(source, m);

        for (var f = 0; f < written.Count; f++)
        {
            Assert.Equal(FrameOrder.IndexOf(f, m.Channels, m.ZSteps, m.Timepoints, perStack), written[f]);
            var i = written[f];
            AssertPlane(source.GetSlice(.., .., i.C, i.Z..(i.Z + 1), i.T, i.P), f);
        }

        // per stack: z fastest (frame 1 is z=1 of channel 0); per slice: c fastest (frame 1 is channel 1 at z=0).
        Assert.Equal(perStack ? new FrameIndex(0, 1, 0, 0) : new FrameIndex(1, 0, 0, 0), written[1]);
    }

    [Fact]
    public void Without_a_z_stack_channels_vary_fastest_then_time()
    {
        var m = Small(c: 2, z: 1, t: 3);
        using var source = Create(m);
        var written = Frames.WriteAll(source, m);
        Assert.Equal([new(0, 0, 0, 0), new(1, 0, 0, 0), new(0, 0, 1, 0), new(1, 0, 1, 0), new(0, 0, 2, 0), new(1, 0, 2, 0)], written);
        AssertPlane(source.GetData(timepoint: 2, channel: 1), 5);
    }

    [Fact]
    public void Positions_vary_slowest_and_each_gets_its_arrays_when_its_first_frame_arrives()
    {
        var m = Small(c: 1, z: 2, t: 2, p: 2);
        using var source = Create(m);
        var written = Frames.WriteAll(source, m, count: 4);
        Assert.All(written, i => Assert.Equal(0, i.P));
        Assert.True(File.Exists(_temp.Combine("data.ome.zarr", "p0_0", ".zarray")));
        Assert.False(File.Exists(_temp.Combine("data.ome.zarr", "p1_0", ".zarray")));
        Assert.Equal(new FrameIndex(0, 0, 0, 1), source.Write(Frames.Make(4, m.Width, m.Height)));
        Assert.True(File.Exists(_temp.Combine("data.ome.zarr", "p1_3", ".zarray")));
        AssertPlane(source.GetSlice(.., .., 0, 0..1, 0, p: 1), 4);
        Assert.Equal(2, source.Positions);
    }

    [Fact]
    public void NewPosition_records_the_stage_position_as_translation()
    {
        var m = Small(c: 1, z: 1, t: 1, p: 2);
        using (var source = Create(m))
        {
            source.NewPosition(0, new StagePosition(100, 200, 300));
            Frames.WriteAll(source, m);
            var e = Assert.Throws<InvalidOperationException>(() => source.NewPosition(0, null));
            Assert.Contains("position 0 already holds frames", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => source.NewPosition(2, null));
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(_temp.Combine("data.ome.zarr", ".zattrs")));
        var multiscales = doc.RootElement.GetProperty("multiscales");
        Assert.Equal(2, multiscales.GetArrayLength());
        var t0 = multiscales[0].GetProperty("datasets")[0].GetProperty("coordinateTransformations")[1].GetProperty("translation");
        Assert.Equal([0, 0, 300, 200, 100], t0.EnumerateArray().Select(v => v.GetDouble()));
        // Position 1 was started by Write without a view: the acquisition's stage position for it.
        var t1 = multiscales[1].GetProperty("datasets")[0].GetProperty("coordinateTransformations")[1].GetProperty("translation");
        Assert.Equal([0, 0, -3, -2, -1], t1.EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(["p1_0", "p1_1", "p1_2", "p1_3"], multiscales[1].GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("path").GetString()));
    }

    [Fact]
    public void GetData_returns_the_stack_for_z_minus_1_or_one_plane_at_resolutions_1_2_4_8()
    {
        var m = Small(c: 1, z: 3, t: 1, width: 37, height: 19);
        using var source = Create(m);
        Frames.WriteAll(source, m);

        var stack = source.GetData(z: -1);
        Assert.Equal(new Size3(37, 19, 3), stack.Shape);
        for (var z = 0; z < 3; z++)
        {
            AssertPlane(stack, z, z);
        }

        foreach (var (resolution, level) in new[] { (2, 1), (4, 2), (8, 3) })
        {
            var plane = source.GetData(z: 2, resolution: resolution);
            var (w, h) = ((37 + resolution - 1) / resolution, (19 + resolution - 1) / resolution);
            Assert.Equal(new Size3(w, h, 1), plane.Shape);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    Assert.Equal(Frames.Mean(2, 37, 19, level, x, y), plane.Pixels<ushort>()[y * w + x]);
                }
            }
        }

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(resolution: 3));
        Assert.Contains("no level is downsampled by 3; the levels are 1, 2, 4, 8", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(z: -2));
    }

    [Fact]
    public void GetSlice_takes_ranges_in_the_pixels_of_the_level_given_by_subdiv()
    {
        var m = Small(c: 2, z: 3, t: 1, width: 40, height: 24);
        using var source = Create(m);
        Frames.WriteAll(source, m);
        // channel 1, z 1..3 at level 2 (10 x 6): frames 4 and 5 (per stack: c=1 has frames 3, 4, 5).
        var block = source.GetSlice(3..7, 1..5, c: 1, z: 1..3, t: 0, p: 0, subdiv: 2);
        Assert.Equal(new Size3(4, 4, 2), block.Shape);
        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    Assert.Equal(Frames.Mean(4 + z, 40, 24, 2, 3 + x, 1 + y), block[z, y, x]);
                }
            }
        }

        Assert.Equal(block.Bytes, source.Data[3..7, 1..5, 1, 1..3, 0, 0, 2].Bytes);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(0..11, .., 0, .., subdiv: 2));
        Assert.Contains("x range 0..11 is outside 0..10 for this level", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(.., .., 2, ..));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(.., .., 0, .., subdiv: 4));
    }

    [Theory]
    [InlineData("1,64,64", true)]  // one chunk per plane: the pyramid computes each level in its chunk buffer
    [InlineData("2,64,64", false)] // two planes a chunk, per slice: in place at the plane's offset, rows of both channels open
    [InlineData("3,4,8", true)]    // tiled chunks: levels are computed aside, then copied into their chunks
    public void Every_level_of_every_plane_is_the_exact_block_mean_however_planes_reach_their_chunks(string chunks, bool perStack)
    {
        const int Width = 37, Height = 23, Levels = 4;
        var m = Small(c: 2, z: 5, t: 2, width: Width, height: Height, perStack: perStack);
        using var source = Create(m, ("chunks", chunks), ("levels", $"{Levels}"));
        Frames.WriteAll(source, m);
        for (long f = 0; f < m.FrameCount; f++)
        {
            var i = m.IndexOf(f);
            for (var k = 1; k < Levels; k++)
            {
                var plane = source.GetSlice(.., .., i.C, i.Z..(i.Z + 1), i.T, i.P, subdiv: k);
                for (var y = 0; y < plane.Shape.Y; y++)
                {
                    for (var x = 0; x < plane.Shape.X; x++)
                    {
                        if (plane[0, y, x] != Frames.Mean(f, Width, Height, k, x, y))
                        {
                            Assert.Fail($"frame {f}, level {k}, ({x}, {y}): {plane[0, y, x]}, expected {Frames.Mean(f, Width, Height, k, x, y)}.");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Shape_shapes_resolutions_subdivisions_and_sizes_follow_navigate()
    {
        var m = Small(c: 2, z: 5, t: 3, p: 2, width: 2048, height: 1000) with { VoxelSize = new VoxelSize(0.167, 0.168, 1.5), TimeIntervalSeconds = 0.25 };
        using var source = Create(m);
        Assert.Equal(new DataShape(2048, 1000, 2, 5, 3), source.Shape);
        Assert.Equal([new Size3(2048, 1000, 5), new Size3(1024, 500, 5), new Size3(512, 250, 5), new Size3(256, 125, 5)], source.Shapes);
        Assert.Equal([new Size3(1, 1, 1), new Size3(2, 2, 1), new Size3(4, 4, 1), new Size3(8, 8, 1)], source.Resolutions);
        // One chunk per plane and level, as navigate.
        Assert.Equal([new Size3(2048, 1000, 1), new Size3(1024, 500, 1), new Size3(512, 250, 1), new Size3(256, 125, 1)], source.Subdivisions);
        // navigate: sum over levels of prod(zyx) * T * C * positions * bits // 8.
        long expected = 0;
        foreach (var s in source.Shapes)
        {
            expected += (long)s.X * s.Y * s.Z * 3 * 2 * 2 * 16 / 8;
        }

        Assert.Equal(expected, source.Nbytes);
        Assert.Equal(2048L * 1000 * 5 * 3 * 2 * 2 * 2 * (1 + 0.25 + 0.0625 + 0.015625), source.Nbytes);
        Assert.Equal(new VoxelSize(0.167, 0.168, 1.5), source.VoxelSize);
        Assert.Equal((0.167, 0.168, 1.5), (source.Dx, source.Dy, source.Dz));
        Assert.Equal(1, source.Dc);
        Assert.Equal(0.25, source.Dt);
        Assert.Equal(16, source.Bits);
        Assert.Equal(2, source.Positions);
        Assert.Equal(_temp.Combine("data.ome.zarr"), source.FileName);
        Assert.Equal(DataSourceMode.Write, source.Mode);
        Assert.Same(m, source.Metadata);
        Assert.Equal(source.Shape, source.GetShapeFromMetadata());
    }

    [Fact]
    public void Chunks_and_levels_settings_change_subdivisions_clipped_to_each_level()
    {
        var m = Small(z: 5, width: 300, height: 200);
        using var source = Create(m, ("chunks", "2,128,128"), ("levels", "3"));
        Assert.Equal([new Size3(128, 128, 2), new Size3(128, 100, 2), new Size3(75, 50, 2)], source.Subdivisions);
        Assert.Equal(3, source.Shapes.Count);
        Frames.WriteAll(source, m);
        AssertPlane(source.GetSlice(.., .., 1, 4..5, 1), (((1 * 2) + 1) * 5) + 4);
        using var zarray = JsonDocument.Parse(File.ReadAllText(_temp.Combine("data.ome.zarr", "p0_1", ".zarray")));
        Assert.Equal([1, 1, 2, 100, 128], zarray.RootElement.GetProperty("chunks").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([2, 2, 5, 100, 150], zarray.RootElement.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void SetMetadata_changes_counts_order_and_multiposition_before_the_first_frame_only()
    {
        using var source = Create(Small(c: 1, z: 1, t: 1, p: 1));
        source.SetMetadata(c: 2, z: 4, t: 3, p: 2, isDynamic: true, perStack: false);
        Assert.Equal(new DataShape(21, 13, 2, 4, 3), source.Shape);
        Assert.Equal(2, source.Positions);
        Assert.True(source.Metadata.IsDynamic);
        Assert.False(source.Metadata.PerStack);
        source.SetMetadata(isDynamic: false); // navigate: is_dynamic only switches multi-position on
        Assert.True(source.Metadata.IsDynamic);
        Assert.Equal(new FrameIndex(1, 0, 0, 0), source.Write(Frames.Make(0, 21, 13)) is var first && first == new FrameIndex(0, 0, 0, 0) ? source.Write(Frames.Make(1, 21, 13)) : first);
        var e = Assert.Throws<InvalidOperationException>(() => source.SetMetadata(c: 3));
        Assert.Contains("the metadata is fixed once a position has been started (2 frames written)", e.Message, StringComparison.Ordinal);
        using var other = OmeZarrDataSource.Create(_temp.Combine("other.zarr"), Small(), new DataSourceOptions());
        var bad = Assert.Throws<ArgumentException>(() => other.SetMetadata(z: 0));
        Assert.Contains("ZSteps is 0; expected at least 1.", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_can_come_from_a_navigate_experiment()
    {
        using var source = Create(Small());
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Experiment", "Fixtures");
        source.SetMetadataFromExperiment(Path.Combine(fixtures, "experiment.yml"), Path.Combine(fixtures, "configuration.yaml"));
        Assert.Equal(new DataShape(1024, 512, 2, 11, 3), source.Shape);
        Assert.Equal(2, source.Positions);
        Assert.Equal(new VoxelSize(0.97, 0.97, 2), source.VoxelSize);
        Assert.Equal(30.5, source.Dt);
        Assert.False(source.Metadata.PerStack);
        Assert.Equal("Mesoscale", source.Metadata.MicroscopeName);
    }

    [Fact]
    public void Closing_early_shrinks_the_shape_as_navigate_and_records_the_frames_held()
    {
        var m = Small(c: 2, z: 3, t: 3, p: 2);
        using (var source = Create(m))
        {
            Frames.WriteAll(source, m, count: 8);
            source.Close();
            // navigate's _check_shape over frames 0..7 (per stack, Z=3, C=2): c reaches 1, z 2, t 1, p 0.
            Assert.Equal(new DataShape(21, 13, 2, 3, 2), source.Shape);
            Assert.Equal(1, source.Positions);
            Assert.Equal(NavigateCheckShape(m, 7), (source.Metadata.Channels, source.Metadata.ZSteps, source.Metadata.Timepoints, source.Metadata.Positions));
            Assert.Equal(8, source.FramesWritten);
            source.Close(); // idempotent
            Assert.Throws<InvalidOperationException>(() => source.Write(Frames.Make(8, 21, 13)));
        }

        var root = _temp.Combine("data.ome.zarr");
        using var attributes = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".zattrs")));
        var navigate = attributes.RootElement.GetProperty("navigate");
        Assert.Equal(8, navigate.GetProperty("frames_written").GetInt64());
        Assert.Equal(m.FrameCount, navigate.GetProperty("frames_expected").GetInt64());
        Assert.False(navigate.GetProperty("complete").GetBoolean());
        Assert.Equal(2, navigate.GetProperty("metadata").GetProperty("timepoints").GetInt32());
        using var zarray = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "p0_0", ".zarray")));
        Assert.Equal([2, 2, 3, 13, 21], zarray.RootElement.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));

        using var reopened = OmeZarrDataSource.Open(root);
        Assert.Equal(new DataShape(21, 13, 2, 3, 2), reopened.Shape);
        Assert.Equal(8, reopened.FramesWritten);
        AssertPlane(reopened.GetSlice(.., .., 0, 1..2, t: 1), 7);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, true, 0)]
    [InlineData(3, 4, 2, 2, true, 5)]
    [InlineData(3, 4, 2, 2, false, 5)]
    [InlineData(3, 4, 2, 2, false, 30)]
    [InlineData(2, 1, 5, 3, true, 12)]
    public void Shrinking_matches_navigates_check_shape_loop(int c, int z, int t, int p, bool perStack, int lastFrame)
    {
        var m = Small(c: c, z: z, t: t, p: p, perStack: perStack, width: 4, height: 4) with { StagePositions = [] };
        using var source = OmeZarrDataSource.Create(_temp.Combine($"s{c}{z}{t}{p}{perStack}{lastFrame}.zarr"), m, new DataSourceOptions());
        Frames.WriteAll(source, m, count: lastFrame + 1);
        source.Close();
        var expected = lastFrame + 1 == m.FrameCount ? (c, z, t, p) : NavigateCheckShape(m, lastFrame);
        Assert.Equal(expected, (source.Metadata.Channels, source.Metadata.ZSteps, source.Metadata.Timepoints, source.Metadata.Positions));
    }

    /// <summary>navigate's DataSource._check_shape, written as navigate writes it: the maximum of each index over all frames.</summary>
    private static (int C, int Z, int T, int P) NavigateCheckShape(AcquisitionMetadata m, long maxFrame)
    {
        int maxc = 0, maxz = 0, maxt = 0, maxp = 0;
        for (long f = 0; f <= maxFrame; f++)
        {
            var i = m.IndexOf(f);
            (maxc, maxz, maxt, maxp) = (Math.Max(maxc, i.C), Math.Max(maxz, i.Z), Math.Max(maxt, i.T), Math.Max(maxp, i.P));
        }

        return (maxc + 1, maxz + 1, maxt + 1, maxp + 1);
    }

    [Fact]
    public void Bad_frames_and_frames_past_the_end_are_refused()
    {
        var m = Small(c: 1, z: 1, t: 1);
        using var source = Create(m);
        var e = Assert.Throws<ArgumentException>(() => source.Write(new byte[10]));
        Assert.Contains("a 21×13 UInt16 frame has 546 bytes; got 10.", e.Message, StringComparison.Ordinal);
        source.Write(Frames.Make(0, 21, 13));
        var full = Assert.Throws<InvalidOperationException>(() => source.Write(Frames.Make(1, 21, 13)));
        Assert.Contains("the dataset is complete; it holds all 1 frames.", full.Message, StringComparison.Ordinal);
        using var pool = new FramePool(1, 21, 13, PixelType.UInt16);
        using var other = new FramePool(1, 8, 8, PixelType.UInt16);
        Assert.True(other.TryRent(8, 8, out var small));
        Assert.Throws<ArgumentException>(() => source.Write(small));
    }

    [Fact]
    public void Frames_from_a_frame_pool_are_written()
    {
        var m = Small(c: 1, z: 2, t: 1);
        using var source = Create(m);
        using var pool = new FramePool(2, m.Width, m.Height, PixelType.UInt16);
        for (var f = 0; f < 2; f++)
        {
            using var frame = pool.Rent(m.Width, m.Height, TestContext.Current.CancellationToken);
            Frames.Make(f, m.Width, m.Height).CopyTo(frame.Bytes);
            source.Write(frame);
        }

        AssertPlane(source.GetData(z: 1), 1);
    }

    [Fact]
    public void Read_mode_opens_what_was_written_with_its_metadata_and_refuses_writes()
    {
        var m = Small(p: 2);
        using (var source = Create(m))
        {
            Frames.WriteAll(source, m);
        }

        using var read = OmeZarrDataSource.Open(_temp.Combine("data.ome.zarr"));
        Assert.Equal(DataSourceMode.Read, read.Mode);
        Assert.Equal(m.FrameCount, read.FramesWritten);
        Assert.Equal(m with { ChannelInfos = read.Metadata.ChannelInfos, StagePositions = read.Metadata.StagePositions, Extras = read.Metadata.Extras }, read.Metadata);
        Assert.Equal(m.ChannelInfos, read.Metadata.ChannelInfos);
        Assert.Equal(4, read.Shapes.Count);
        Assert.Equal(new Size3(11, 7, 3), read.Shapes[1]);
        Assert.Equal(new Size3(2, 2, 1), read.Resolutions[1]);
        Assert.Equal(new Size3(11, 7, 1), read.Subdivisions[1]);
        AssertPlane(read.GetSlice(.., .., 1, 2..3, 1, 1), m.FrameCount - 1);
        Assert.Throws<InvalidOperationException>(() => read.Write(Frames.Make(0, 21, 13)));
        Assert.Throws<InvalidOperationException>(() => read.SetMetadata(c: 1));
        read.Close();
        AssertPlane(read.GetSlice(.., .., 1, 2..3, 1, 1), m.FrameCount - 1);
    }

    [Fact]
    public void Read_on_a_writing_source_closes_it_and_reopens_it_read_only()
    {
        var m = Small(c: 1, z: 2, t: 1);
        var source = Create(m);
        Frames.WriteAll(source, m);
        source.Read();
        Assert.Equal(DataSourceMode.Read, source.Mode);
        Assert.True(File.Exists(_temp.Combine("data.ome.zarr", ".zmetadata")));
        AssertPlane(source.GetData(z: 1), 1);
    }

    [Fact]
    public void Arrays_name_their_dimensions_and_close_consolidates_the_metadata()
    {
        var m = Small(c: 1, z: 1, t: 1);
        using (var source = Create(m))
        {
            Frames.WriteAll(source, m);
        }

        var root = _temp.Combine("data.ome.zarr");
        using var attrs = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "p0_2", ".zattrs")));
        Assert.Equal(["t", "c", "z", "y", "x"], attrs.RootElement.GetProperty("_ARRAY_DIMENSIONS").EnumerateArray().Select(v => v.GetString()));
        using var consolidated = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".zmetadata")));
        Assert.Equal(1, consolidated.RootElement.GetProperty("zarr_consolidated_format").GetInt32());
        var keys = consolidated.RootElement.GetProperty("metadata").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Contains(".zgroup", keys);
        Assert.Contains(".zattrs", keys);
        Assert.Contains("p0_3/.zarray", keys);
        Assert.Contains("p0_3/.zattrs", keys);
        Assert.True(consolidated.RootElement.GetProperty("metadata").GetProperty(".zattrs").GetProperty("navigate").GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void Creating_over_existing_data_fails_unless_overwrite_and_never_deletes_a_non_zarr_folder()
    {
        var m = Small(c: 1, z: 1, t: 1);
        var path = _temp.Combine("data.ome.zarr");
        using (var first = Create(m))
        {
            Frames.WriteAll(first, m);
        }

        var e = Assert.Throws<IOException>(() => Create(m));
        Assert.Contains($"{path}: already holds data", e.Message, StringComparison.Ordinal);
        Assert.Contains("pass the overwrite option to replace it. Nothing was written.", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(path, "p0_0", "0.0.0.0.0")));

        using (var replaced = OmeZarrDataSource.Create(path, m with { Width = 8, Height = 8 }, new DataSourceOptions { Overwrite = true }))
        {
            Assert.Equal(8, replaced.Shape.X);
        }

        var precious = _temp.Combine("thesis");
        Directory.CreateDirectory(precious);
        File.WriteAllText(Path.Combine(precious, "chapter1.tex"), "results");
        var refused = Assert.Throws<IOException>(() => OmeZarrDataSource.Create(precious, m, new DataSourceOptions { Overwrite = true }));
        Assert.Contains("is not a Zarr dataset (no .zgroup, .zarray or zarr.json at its top), so it is not deleted even with the overwrite option", refused.Message, StringComparison.Ordinal);
        Assert.Equal("results", File.ReadAllText(Path.Combine(precious, "chapter1.tex")));

        File.WriteAllText(_temp.Combine("file.zarr"), "x");
        Assert.Throws<IOException>(() => OmeZarrDataSource.Create(_temp.Combine("file.zarr"), m, new DataSourceOptions { Overwrite = true }));
    }

    [Fact]
    public void Setup_writes_the_root_group_at_once_and_each_array_before_its_first_chunk()
    {
        var m = Small(c: 1, z: 2, t: 1, p: 2);
        using var source = Create(m);
        var root = _temp.Combine("data.ome.zarr");
        Assert.True(File.Exists(Path.Combine(root, ".zgroup")));
        using (var attributes = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".zattrs"))))
        {
            var navigate = attributes.RootElement.GetProperty("navigate");
            Assert.Equal(0, navigate.GetProperty("frames_written").GetInt64());
            Assert.Equal(4, navigate.GetProperty("frames_expected").GetInt64());
            Assert.False(navigate.GetProperty("complete").GetBoolean());
            Assert.False(attributes.RootElement.TryGetProperty("multiscales", out _));
        }

        source.NewPosition(0, null);
        Assert.True(File.Exists(Path.Combine(root, "p0_0", ".zarray")));
        Assert.True(File.Exists(Path.Combine(root, "p0_3", ".zattrs")));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(root, "p0_0")), f => !Path.GetFileName(f).StartsWith('.'));
        source.Setup(); // again: only refreshes the attributes
        Assert.True(File.Exists(Path.Combine(root, "p0_0", ".zarray")));
        using var refreshed = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".zattrs")));
        Assert.Equal(1, refreshed.RootElement.GetProperty("multiscales").GetArrayLength());
    }

    [Fact]
    public void A_chunk_the_disk_refuses_stops_the_writer_and_close_reports_it()
    {
        var m = Small(c: 1, z: 3, t: 1);
        var source = Create(m);
        source.NewPosition(0, null);
        var level1 = _temp.Combine("data.ome.zarr", "p0_1");
        Directory.Delete(level1, recursive: true);
        File.WriteAllText(level1, "in the way"); // chunks of level 1 cannot be stored now
        // The failure reaches the writer at its next hand-over or wait, whichever comes first.
        var e = Assert.Throws<IOException>(() =>
        {
            source.Write(Frames.Make(0, m.Width, m.Height));
            source.GetData(z: 0);
        });
        Assert.StartsWith("Writing a chunk failed, so the dataset stops accepting frames: ", e.Message, StringComparison.Ordinal);
        var next = Assert.Throws<IOException>(() => source.Write(Frames.Make(1, m.Width, m.Height)));
        Assert.Contains("riting a chunk failed, so the dataset stops accepting frames", next.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(source.Close);
        source.Close(); // once reported, closing again does nothing
        using var attributes = JsonDocument.Parse(File.ReadAllText(_temp.Combine("data.ome.zarr", ".zattrs")));
        Assert.False(attributes.RootElement.GetProperty("navigate").GetProperty("complete").GetBoolean());
        Assert.Equal(0, attributes.RootElement.GetProperty("navigate").GetProperty("frames_written").GetInt64());
    }

    [Fact]
    public void Unknown_settings_are_refused_before_anything_is_written()
    {
        var e = Assert.Throws<OmeZarrOptionsException>(() => Create(Small(), ("compresion", "lz4")));
        Assert.Contains("Unknown ome-zarr setting 'compresion'", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("data.ome.zarr")));
    }
}
