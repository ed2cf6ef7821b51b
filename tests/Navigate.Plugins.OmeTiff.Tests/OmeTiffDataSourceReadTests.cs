using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests;

/// <summary>Reading datasets back: our own files, and files tifffile wrote.</summary>
public sealed class OmeTiffDataSourceReadTests : IDisposable
{
    private static readonly OmeTiffFormat Format = new();
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private (AcquisitionMetadata Metadata, Dictionary<(int C, int T, int P), List<byte[]>> Stacks) Write(string name, AcquisitionMetadata m)
    {
        using var source = Format.Create(_temp.Combine("run", name), m, new DataSourceOptions());
        return (m, TestAcquisition.WriteAll(source, m));
    }

    [Theory]
    [InlineData("CH00_000000.ome.tiff", true)]
    [InlineData("CH00_000000.ome.tiff", false)]
    [InlineData("CH00_000000.tif", true)]
    public void GetDataReturnsEveryStackAndEveryPlane(string name, bool perStack)
    {
        var (m, stacks) = Write(name, TestAcquisition.Small(channels: 2, z: 3, timepoints: 2, positions: 2, perStack: perStack));
        using var source = Format.Open(_temp.Combine("run"));

        Assert.Equal(DataSourceMode.Read, source.Mode);
        Assert.Equal(new DataShape(40, 24, 2, 3, 2), source.Shape);
        Assert.Equal(2, source.Positions);
        Assert.Equal(24, source.FramesWritten);
        foreach (var ((c, t, p), planes) in stacks)
        {
            var all = source.GetData(timepoint: t, position: p, channel: c);
            Assert.Equal(new Size3(40, 24, 3), all.Shape);
            Assert.Equal(PixelType.UInt16, all.PixelType);
            Assert.Equal(TestAcquisition.Concat(planes), all.Bytes);
            for (var z = 0; z < 3; z++)
            {
                var one = source.GetData(t, p, c, z);
                Assert.Equal(new Size3(40, 24, 1), one.Shape);
                Assert.Equal(planes[z], one.Bytes);
                Assert.Equal(TestAcquisition.Pixel(new FrameIndex(c, z, t, p), 5, 7), one[0, 5, 7]);
            }
        }
    }

    [Fact]
    public void GetSliceCutsXYAndZRanges()
    {
        var (m, _) = Write("CH00_000000.ome.tiff", TestAcquisition.Small(channels: 2, z: 4, timepoints: 1));
        using var source = Format.Open(_temp.Combine("run", "CH01_000000.ome.tiff"));

        var slice = source.GetSlice(10..17, ^5.., c: 1, z: 1..3, t: 0);
        Assert.Equal(new Size3(7, 5, 2), slice.Shape);
        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 5; y++)
            {
                for (var x = 0; x < 7; x++)
                {
                    Assert.Equal(TestAcquisition.Pixel(new FrameIndex(1, z + 1, 0, 0), y + 19, x + 10), slice[z, y, x]);
                }
            }
        }

        var whole = source.GetSlice(.., .., c: 0, z: ..);
        Assert.Equal(new Size3(40, 24, 4), whole.Shape);
        Assert.Equal(source.GetData(channel: 0).Bytes, whole.Bytes);
        Assert.Equal(new Size3(40, 1, 1), source.GetSlice(.., 23..24, 0, 3..4).Shape);
    }

    [Fact]
    public void OutOfRangeRequestsNameWhatIsAvailable()
    {
        Write("CH00_000000.ome.tiff", TestAcquisition.Small(channels: 2, z: 3, timepoints: 1));
        using var source = Format.Open(_temp.Combine("run"));

        var resolution = Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(resolution: 2));
        Assert.Equal("resolution", resolution.ParamName);
        Assert.Contains("resolution 2 is not available; TIFF stacks hold full resolution only (resolution 1)", resolution.Message);
        var level = Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(.., .., 0, .., subdiv: 1));
        Assert.Contains("level 1 is not available; TIFF stacks have one level", level.Message);
        Assert.Contains("z 3 is outside", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(z: 3)).Message);
        Assert.Contains("z -2 is outside", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(z: -2)).Message);
        Assert.Contains("channel 2 is outside the dataset (0..1)", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(channel: 2)).Message);
        Assert.Contains("timepoint 1 is outside the dataset (0..0)", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(timepoint: 1)).Message);
        Assert.Contains("position 1 is outside the dataset (0..0)", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetData(position: 1)).Message);
        Assert.Contains("x range 30..50 is outside 0..40", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(30..50, .., 0, ..)).Message);
        Assert.Contains("z range 2..2 is empty", Assert.Throws<ArgumentOutOfRangeException>(() => source.GetSlice(.., .., 0, 2..2)).Message);
    }

    [Fact]
    public void MetadataComesBackFromTheFiles()
    {
        var (m, _) = Write("CH00_000000.ome.tiff", TestAcquisition.Small(channels: 2, z: 3, timepoints: 2, positions: 2, perStack: false));
        using var source = (OmeTiffDataSource)Format.Open(_temp.Combine("run", "Position1", "CH01_000001.ome.tiff"));

        Assert.Equal(_temp.Combine("run"), source.RootFolder);
        Assert.True(source.IsOme);
        var read = source.Metadata;
        Assert.Equal(m.VoxelSize, source.VoxelSize);
        Assert.Equal(1.5, source.Dt);
        Assert.False(read.PerStack);
        Assert.True(read.IsDynamic);
        Assert.Equal("Nanoscale", read.MicroscopeName);
        Assert.Equal("zebrafish", read.Extras["sample"]);
        Assert.Equal(["GFP", "RFP"], read.ChannelInfos.Select(c => c.Name));
        Assert.Equal("00FF00", read.ChannelInfos[0].Color);
        Assert.Equal("488nm", read.ChannelInfos[0].Laser);
        Assert.Equal(0.02, read.ChannelInfos[0].ExposureSeconds);
        Assert.Equal(m.StagePositions, read.StagePositions);
        Assert.Equal(16, source.Bits);
        Assert.Equal(40L * 24 * 2 * 2 * 3 * 2 * 2, source.Nbytes);
        Assert.Equal([new Size3(40, 24, 3)], source.Shapes);
        Assert.Equal([new Size3(1, 1, 1)], source.Resolutions);

        var positions = source.GetPlanePositions(timepoint: 1, position: 1, channel: 0);
        Assert.Equal([.. Enumerable.Range(0, 3).Select(z => TestAcquisition.StageOf(new FrameIndex(0, z, 1, 1)) with { Theta = null })], positions);
    }

    [Fact]
    public void PlainTiffMetadataComesFromResolutionTagsAndDescription()
    {
        Write("CH00_000000.tiff", TestAcquisition.Small(channels: 1, z: 2, timepoints: 3));
        using var source = Format.Open(_temp.Combine("run", "CH00_000002.tiff"));

        Assert.Equal(0.65, source.VoxelSize.X, 5);
        Assert.Equal(0.7, source.VoxelSize.Y, 5);
        Assert.Equal(2.5, source.VoxelSize.Z);
        Assert.Equal(1.5, source.Dt);
        Assert.Equal(new DataShape(40, 24, 1, 2, 3), source.Shape);
    }

    [Fact]
    public void AStackBeingWrittenCannotBeReadYet()
    {
        var m = TestAcquisition.Small(channels: 1, z: 3, timepoints: 2);
        using var source = Format.Create(_temp.Combine("run", "CH00_000000.ome.tiff"), m, new DataSourceOptions());
        var frame = new byte[40 * 24 * 2];
        for (var i = 0; i < 4; i++)
        {
            source.Write(frame);
        }

        Assert.Equal(new Size3(40, 24, 3), source.GetData(timepoint: 0).Shape);
        var e = Assert.Throws<InvalidOperationException>(() => source.GetData(timepoint: 1));
        Assert.Contains("CH00_000001.ome.tiff is still being written", e.Message);
    }

    public static TheoryData<string, string, object> TifffileWritten => new()
    {
        { "shaped plain TIFF", "CH00_000000.tif", new { kind = "plain", shape = new[] { 5, 33, 47 }, voxel = new[] { 0.5, 0.5, 3.0 } } },
        { "ImageJ hyperstack", "CH00_000000.tif", new { kind = "imagej", shape = new[] { 4, 20, 30 }, voxel = new[] { 0.25, 0.25, 1.5 } } },
        { "OME-TIFF", "CH00_000000.ome.tiff", new { kind = "ome", shape = new[] { 3, 16, 24 }, voxel = new[] { 0.4, 0.4, 2.0 }, positions_z = new[] { 10.0, 12.0, 14.0 } } },
        { "BigTIFF OME-TIFF", "CH00_000000.ome.tif", new { kind = "ome", shape = new[] { 2, 16, 24 }, bigtiff = true } },
        { "big-endian TIFF", "CH00_000000.tiff", new { kind = "plain", shape = new[] { 3, 10, 12 }, byteorder = ">" } },
        { "zlib-compressed TIFF", "CH00_000000.tif", new { kind = "plain", shape = new[] { 3, 40, 50 }, compression = "zlib" } },
        { "many strips per page", "CH00_000000.ome.tiff", new { kind = "ome", shape = new[] { 2, 50, 30 }, rowsperstrip = 7 } },
        { "float32 OME-TIFF", "CH00_000000.ome.tiff", new { kind = "ome", shape = new[] { 2, 8, 8 }, dtype = "float32" } },
    };

    [Theory]
    [MemberData(nameof(TifffileWritten))]
    public void FilesTifffileWroteReadBack(string what, string name, object spec)
    {
        Assert.NotEmpty(what);
        Directory.CreateDirectory(_temp.Combine("ext"));
        var path = _temp.Combine("ext", name);
        var specJson = System.Text.Json.JsonSerializer.SerializeToNode(spec)!.AsObject();
        specJson["path"] = path;
        var written = Tifffile.Write(_temp.Path, specJson)[0];

        using var source = Format.Open(path);
        var shape = specJson["shape"]!.AsArray().Select(n => (int)n!).ToArray();
        Assert.Equal(new DataShape(shape[2], shape[1], 1, shape[0], 1), source.Shape);
        var data = source.GetData();
        Assert.Equal(written.GetProperty("sha256").GetString(), TestAcquisition.Sha256(data.Bytes));
        if (specJson["voxel"] is { } voxel)
        {
            Assert.Equal((double)voxel[0]!, source.VoxelSize.X, 4);
            Assert.Equal((double)voxel[2]!, source.VoxelSize.Z, 4);
        }

        if (specJson["positions_z"] is { } z)
        {
            Assert.Equal(z.AsArray().Select(v => (double?)v), ((OmeTiffDataSource)source).GetPlanePositions().Select(p => p?.Z));
        }

        var middle = source.GetSlice(2..5, 3..6, 0, 1..2);
        Assert.Equal(new Size3(3, 3, 1), middle.Shape);
        var full = new Size3(shape[2], shape[1], shape[0]);
        var bpp = data.PixelType.BytesPerPixel();
        for (var y = 0; y < 3; y++)
        {
            var row = data.Bytes.AsSpan((((full.Y * 1) + y + 3) * full.X * bpp) + (2 * bpp), 3 * bpp);
            Assert.True(row.SequenceEqual(middle.Bytes.AsSpan(y * 3 * bpp, 3 * bpp)), $"row {y} of the slice differs from the full read");
        }
    }
}
