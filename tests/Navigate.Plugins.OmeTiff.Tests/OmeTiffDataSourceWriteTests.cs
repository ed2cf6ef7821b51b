using System.Globalization;
using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests;

/// <summary>Writing datasets, checked by tifffile.</summary>
public sealed class OmeTiffDataSourceWriteTests
{
    private static readonly OmeTiffFormat Format = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OmeStacksReadInTifffileWithTheirPixelsSizesAndPlanePositions(bool perStack)
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 2, z: 3, timepoints: 2, positions: 2, perStack: perStack);
        Dictionary<(int C, int T, int P), List<byte[]>> expected;
        using (var source = Format.Create(temp.Combine("run", "CH00_000000.ome.tiff"), m, new DataSourceOptions()))
        {
            expected = TestAcquisition.WriteAll(source, m);
        }

        Assert.Equal(8, expected.Count);
        var files = Tifffile.Read([.. expected.Keys.Select(k => temp.Combine("run", $"Position{k.P}", $"CH0{k.C}_{k.T:000000}.ome.tiff"))]);
        foreach (var (((c, t, p), planes), file) in expected.Zip(files))
        {
            Assert.True(file.GetProperty("is_ome").GetBoolean());
            Assert.False(file.GetProperty("is_bigtiff").GetBoolean());
            Assert.Equal("<", file.GetProperty("byteorder").GetString());
            Assert.Equal(3, file.GetProperty("pages").GetInt32());
            Assert.Equal([3, 24, 40], file.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("ZYX", file.GetProperty("axes").GetString());
            Assert.Equal("uint16", file.GetProperty("dtype").GetString());
            Assert.Equal(TestAcquisition.Sha256(TestAcquisition.Concat(planes)), file.GetProperty("sha256").GetString());

            var ome = file.GetProperty("ome").GetProperty("OME");
            var pixels = ome.GetProperty("Image").GetProperty("Pixels");
            Assert.Equal(0.65, pixels.GetProperty("PhysicalSizeX").GetDouble());
            Assert.Equal(0.7, pixels.GetProperty("PhysicalSizeY").GetDouble());
            Assert.Equal(2.5, pixels.GetProperty("PhysicalSizeZ").GetDouble());
            Assert.Equal("\u00B5m", pixels.GetProperty("PhysicalSizeZUnit").GetString());
            Assert.Equal(1.5, pixels.GetProperty("TimeIncrement").GetDouble());
            Assert.Equal(c == 0 ? "GFP" : "RFP", pixels.GetProperty("Channel").GetProperty("Name").GetString());
            var tiffData = pixels.GetProperty("TiffData");
            Assert.Equal(3, tiffData.GetProperty("PlaneCount").GetInt32());
            Assert.Equal($"CH0{c}_{t:000000}.ome.tiff", tiffData.GetProperty("UUID").GetProperty("FileName").GetString());
            Assert.Equal(ome.GetProperty("UUID").GetString(), tiffData.GetProperty("UUID").GetProperty("value").GetString());

            var plane = pixels.GetProperty("Plane").EnumerateArray().ToArray();
            Assert.Equal(3, plane.Length);
            for (var z = 0; z < 3; z++)
            {
                var stage = TestAcquisition.StageOf(new FrameIndex(c, z, t, p));
                Assert.Equal(z, plane[z].GetProperty("TheZ").GetInt32());
                Assert.Equal(stage.X, plane[z].GetProperty("PositionX").GetDouble());
                Assert.Equal(stage.Y, plane[z].GetProperty("PositionY").GetDouble());
                Assert.Equal(stage.Z, plane[z].GetProperty("PositionZ").GetDouble());
            }

            var annotation = ome.GetProperty("StructuredAnnotations").GetProperty("MapAnnotation").GetProperty("Value").GetProperty("M")
                .EnumerateArray().ToDictionary(e => e.GetProperty("K").GetString()!, e => e.GetProperty("value").ToString());
            Assert.Equal(c.ToString(CultureInfo.InvariantCulture), annotation["channel"]);
            Assert.Equal(t.ToString(CultureInfo.InvariantCulture), annotation["timepoint"]);
            Assert.Equal(p.ToString(CultureInfo.InvariantCulture), annotation["position"]);
            Assert.Equal(perStack ? "true" : "false", annotation["per_stack"].ToLowerInvariant());
        }
    }

    [Fact]
    public void PlainTiffStacksCarryNavigatesShapedDescriptionAndCentimetreResolution()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 2, z: 4, timepoints: 1);
        Dictionary<(int C, int T, int P), List<byte[]>> expected;
        using (var source = Format.Create(temp.Combine("CH00_000000.tif"), m, new DataSourceOptions()))
        {
            expected = TestAcquisition.WriteAll(source, m);
        }

        Assert.False(Directory.Exists(temp.Combine("Position0")));
        var files = Tifffile.Read([.. expected.Keys.Select(k => temp.Combine($"CH0{k.C}_{k.T:000000}.tif"))]);
        foreach (var (((c, t, _), planes), file) in expected.Zip(files))
        {
            Assert.False(file.GetProperty("is_ome").GetBoolean());
            Assert.True(file.GetProperty("is_shaped").GetBoolean());
            Assert.Equal([4, 24, 40], file.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(TestAcquisition.Sha256(TestAcquisition.Concat(planes)), file.GetProperty("sha256").GetString());
            Assert.Equal(1e4 / 0.65, file.GetProperty("xresolution").GetDouble(), 1e-2);
            Assert.Equal(3, file.GetProperty("resolutionunit").GetInt32());
            var shaped = file.GetProperty("shaped");
            Assert.Equal(2.5, shaped.GetProperty("spacing").GetDouble());
            Assert.Equal("um", shaped.GetProperty("unit").GetString());
            Assert.Equal("ZYX", shaped.GetProperty("axes").GetString());
            Assert.Equal(c, shaped.GetProperty("channel").GetInt32());
            Assert.Equal(t, shaped.GetProperty("timepoint").GetInt32());
        }
    }

    [Theory]
    [InlineData(PixelType.UInt8, "uint8")]
    [InlineData(PixelType.Int16, "int16")]
    [InlineData(PixelType.UInt32, "uint32")]
    [InlineData(PixelType.Float32, "float32")]
    [InlineData(PixelType.Float64, "float64")]
    public void EveryPixelTypeRoundTripsThroughTifffile(PixelType type, string dtype)
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 1, z: 2, timepoints: 1, type: type);
        Dictionary<(int C, int T, int P), List<byte[]>> expected;
        using (var source = Format.Create(temp.Combine("x.ome.tif"), m, new DataSourceOptions()))
        {
            expected = TestAcquisition.WriteAll(source, m);
        }

        var file = Tifffile.Read(temp.Combine("CH00_000000.ome.tif"))[0];
        Assert.Equal(dtype, file.GetProperty("dtype").GetString());
        Assert.Equal(TestAcquisition.Sha256(TestAcquisition.Concat(expected[(0, 0, 0)])), file.GetProperty("sha256").GetString());
    }

    [Fact]
    public void ATimeSeriesWithoutZStackWritesOnePagePerChannelAndTimepoint()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 3, z: 1, timepoints: 4);
        Dictionary<(int C, int T, int P), List<byte[]>> expected;
        using (var source = Format.Create(temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions()))
        {
            expected = TestAcquisition.WriteAll(source, m);
        }

        var files = Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(12, files.Length);
        Assert.Equal("CH02_000003.ome.tiff", files[^1]);
        var last = Tifffile.Read(temp.Combine("CH02_000003.ome.tiff"))[0];
        Assert.Equal(1, last.GetProperty("pages").GetInt32());
        Assert.Equal(TestAcquisition.Sha256(expected[(2, 3, 0)][0]), last.GetProperty("sha256").GetString());

        using var read = Format.Open(temp.Path);
        Assert.Equal(new DataShape(40, 24, 3, 1, 4), read.Shape);
        Assert.Equal(expected[(1, 2, 0)][0], read.GetData(timepoint: 2, channel: 1).Bytes);
    }

    [Fact]
    public void ForcedBigTiffWritesBigTiffThatTifffileReads()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 1, z: 3, timepoints: 1);
        Dictionary<(int C, int T, int P), List<byte[]>> expected;
        using (var source = (OmeTiffDataSource)Format.Create(temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["bigtiff"] = "true" } }))
        {
            Assert.True(source.BigTiff);
            expected = TestAcquisition.WriteAll(source, m);
        }

        var file = Tifffile.Read(temp.Combine("CH00_000000.ome.tiff"))[0];
        Assert.True(file.GetProperty("is_bigtiff").GetBoolean());
        Assert.True(file.GetProperty("is_ome").GetBoolean());
        Assert.Equal(TestAcquisition.Sha256(TestAcquisition.Concat(expected[(0, 0, 0)])), file.GetProperty("sha256").GetString());
    }

    [Fact]
    public void BigTiffIsChosenExactlyWhenAStackWouldPassFourGibibytes()
    {
        var frame = new AcquisitionMetadata { Width = 2048, Height = 2048, ZSteps = 511 };
        Assert.False(OmeTiffDataSource.NeedsBigTiff(frame, ome: true, out var fits));
        Assert.True(OmeTiffDataSource.NeedsBigTiff(frame with { ZSteps = 512 }, ome: true, out var passes));
        Assert.InRange(fits, 511L * 2048 * 2048 * 2, uint.MaxValue);
        Assert.True(passes > uint.MaxValue);

        using var temp = new TempFolder();
        var never = new DataSourceOptions { Settings = new Dictionary<string, string> { ["bigtiff"] = "false" } };
        var e = Assert.Throws<ArgumentException>(() => Format.Create(temp.Combine("a.ome.tiff"), frame with { ZSteps = 512 }, never));
        Assert.Contains("bigtiff=false, but a stack of 512 planes of 2048x2048 UInt16 needs about", e.Message);
        using var auto = (OmeTiffDataSource)Format.Create(temp.Combine("b.ome.tiff"), frame with { ZSteps = 512 }, new DataSourceOptions());
        Assert.True(auto.BigTiff);
    }

    [Fact]
    public void ClosingEarlyRecordsThePlanesEachStackHolds()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 2, z: 5, timepoints: 2);
        var source = Format.Create(temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions());
        var expected = TestAcquisition.WriteAll(source, m, frames: 7); // channel 0 complete, channel 1 planes 0 and 1
        source.Close();
        source.Close();

        Assert.Equal(7, source.FramesWritten);
        Assert.Equal(new DataShape(40, 24, 2, 5, 1), source.Shape);
        var partial = Tifffile.Read(temp.Combine("CH01_000000.ome.tiff"))[0];
        Assert.Equal(2, partial.GetProperty("pages").GetInt32());
        Assert.Equal(2, partial.GetProperty("ome").GetProperty("OME").GetProperty("Image").GetProperty("Pixels").GetProperty("SizeZ").GetInt32());
        Assert.Equal(TestAcquisition.Sha256(TestAcquisition.Concat(expected[(1, 0, 0)])), partial.GetProperty("sha256").GetString());
        Assert.False(File.Exists(temp.Combine("CH00_000001.ome.tiff")));
    }

    [Fact]
    public void ExistingStacksAreKeptUnlessOverwriteIsSet()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 1, z: 1, timepoints: 1);
        using (var first = Format.Create(temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions()))
        {
            TestAcquisition.WriteAll(first, m);
        }

        var before = File.ReadAllBytes(temp.Combine("CH00_000000.ome.tiff"));
        var e = Assert.Throws<IOException>(() => Format.Create(temp.Combine("other.tif"), m, new DataSourceOptions()));
        Assert.Contains(temp.Combine("CH00_000000.ome.tiff") + " already holds a stack", e.Message);
        Assert.Contains("Set Overwrite", e.Message);
        Assert.Equal(before, File.ReadAllBytes(temp.Combine("CH00_000000.ome.tiff")));

        using (var second = Format.Create(temp.Combine("CH00_000000.tif"), m, new DataSourceOptions { Overwrite = true }))
        {
            TestAcquisition.WriteAll(second, m);
        }

        Assert.False(File.Exists(temp.Combine("CH00_000000.ome.tiff")));
        Assert.True(File.Exists(temp.Combine("CH00_000000.tif")));
    }

    [Fact]
    public void AFolderNameWithoutExtensionIsTheDatasetFolderOfOmeTiffStacks()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 1, z: 2, timepoints: 1);
        var folder = temp.Combine("run1");
        using (var source = Format.Create(folder, m, new DataSourceOptions()))
        {
            source.NewPosition(0, null);
            source.Write(new byte[m.Width * m.Height * 2], null);
            source.Write(new byte[m.Width * m.Height * 2], null);
            source.Close();
        }

        Assert.True(File.Exists(Path.Combine(folder, "CH00_000000.ome.tiff")));
        Assert.True(Format.CanOpen(folder));
    }

    [Fact]
    public void MisuseIsRefusedWithTheReason()
    {
        using var temp = new TempFolder();
        var m = TestAcquisition.Small(channels: 1, z: 2, timepoints: 1);
        var bad = Assert.Throws<ArgumentException>(() => Format.Create(temp.Combine("run.zarr"), m, new DataSourceOptions()));
        Assert.Contains("'" + temp.Combine("run.zarr") + "' must end with .ome.tiff, .ome.tif, .tiff, .tif (the ending picks OME-TIFF or plain TIFF", bad.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Format.Create(temp.Combine("a.tif"), m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["compression"] = "zstd" } }));
        Assert.Contains("unknown setting 'compression'; known settings: bigtiff", unknown.Message);
        var value = Assert.Throws<ArgumentException>(() => Format.Create(temp.Combine("a.tif"), m, new DataSourceOptions { Settings = new Dictionary<string, string> { ["bigtiff"] = "maybe" } }));
        Assert.Contains("setting 'bigtiff' is 'maybe'; expected auto, true or false", value.Message);
        Assert.Throws<ArgumentException>(() => Format.Create(temp.Combine("a.tif"), m with { Channels = 0 }, new DataSourceOptions()));

        using var source = Format.Create(temp.Combine("a.tif"), m, new DataSourceOptions());
        var size = Assert.Throws<ArgumentException>(() => source.Write(new byte[10]));
        Assert.Contains("frame 0 has 10 bytes; the dataset's frames are 40x24 UInt16 = 1920 bytes", size.Message);
        source.Write(new byte[1920]);
        source.Write(new byte[1920]);
        var full = Assert.Throws<InvalidOperationException>(() => source.Write(new byte[1920]));
        Assert.Contains("is complete: all 2 frames", full.Message);
        source.Close();
        Assert.Contains("is closed", Assert.Throws<InvalidOperationException>(() => source.Write(new byte[1920])).Message);

        using var reader = Format.Open(temp.Path);
        Assert.Contains("is open for reading", Assert.Throws<InvalidOperationException>(() => reader.Write(new byte[1920])).Message);
    }
}
