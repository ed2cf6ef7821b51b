using Navigate.Data;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests;

[CollectionDefinition(nameof(BigTiffOverFourGigabytesTests), DisableParallelization = true)]
public sealed class LongTestGroup;

/// <summary>
/// A real stack past 4 GiB: 520 frames of 2048 x 2048 uint16 (4.36 GB), streamed, read back at both ends by us and by
/// tifffile, then deleted. It writes 4.4 GB, so it runs only with NAVIGATE_LONG_TESTS=1; the BigTIFF decision itself
/// is tested at the exact threshold in <see cref="OmeTiffDataSourceWriteTests"/>, and forced BigTIFF with small data.
/// </summary>
[Collection(nameof(BigTiffOverFourGigabytesTests))]
public sealed class BigTiffOverFourGigabytesTests
{
    [Fact]
    public void AStackPastFourGibibytesIsBigTiffAndReadsBackAtBothEnds()
    {
        if (Environment.GetEnvironmentVariable("NAVIGATE_LONG_TESTS") != "1")
        {
            Assert.Skip("Writes 4.4 GB; set NAVIGATE_LONG_TESTS=1 to run it.");
        }

        using var temp = new TempFolder();
        var m = new AcquisitionMetadata { Width = 2048, Height = 2048, ZSteps = 520, VoxelSize = new VoxelSize(0.5, 0.5, 1) };
        var free = new DriveInfo(temp.Path).AvailableFreeSpace;
        Assert.True(free > 6L << 30, $"needs 6 GB free in {temp.Path}, has {free}");

        var frame = GC.AllocateUninitializedArray<byte>(2048 * 2048 * 2, pinned: true);
        using (var source = (OmeTiffDataSource)new OmeTiffFormat().Create(temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions()))
        {
            Assert.True(source.BigTiff);
            foreach (var index in TestAcquisition.Order(m))
            {
                TestAcquisition.Fill(frame, m with { Width = 2048, Height = 2048 }, index);
                source.Write(frame, TestAcquisition.StageOf(index));
            }
        }

        var path = temp.Combine("CH00_000000.ome.tiff");
        Assert.True(new FileInfo(path).Length > uint.MaxValue);
        using (var read = new OmeTiffFormat().Open(path))
        {
            Assert.Equal(520, read.Shape.Z);
            foreach (var z in new[] { 0, 511, 519 })
            {
                var plane = read.GetSlice(2000..2048, 2040..2048, 0, z..(z + 1));
                Assert.Equal(TestAcquisition.Pixel(new FrameIndex(0, z, 0, 0), 2047, 2047), plane[0, 7, 47]);
            }

            Assert.Equal(TestAcquisition.StageOf(new FrameIndex(0, 519, 0, 0)).Z, ((OmeTiffDataSource)read).GetPlanePositions()[519]?.Z);
        }

        var lastPage = Tifffile.ReadPage(path, 519, 2047, 2047);
        Assert.True(lastPage.GetProperty("is_bigtiff").GetBoolean());
        Assert.Equal(520, lastPage.GetProperty("pages").GetInt32());
        Assert.Equal(TestAcquisition.Pixel(new FrameIndex(0, 519, 0, 0), 2047, 2047), lastPage.GetProperty("value").GetDouble());
        Assert.Equal(TestAcquisition.StageOf(new FrameIndex(0, 519, 0, 0)).Z, lastPage.GetProperty("plane_position_z").GetDouble());
    }
}
