using Navigate.Plugins.OmeTiff.Layout;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests.Layout;

/// <summary>navigate's file and folder names.</summary>
public sealed class DatasetLayoutTests
{
    [Theory]
    [InlineData(0, 0, "CH00_000000.ome.tiff")]
    [InlineData(3, 12, "CH03_000012.ome.tiff")]
    [InlineData(10, 999999, "CH10_999999.ome.tiff")] // navigate's writer would say CH010; its reader looks for CH10
    [InlineData(1, 1234567, "CH01_1234567.ome.tiff")]
    public void StackNames(int c, int t, string name)
    {
        var layout = new DatasetLayout("/data/run", ".ome.tiff", MultiPosition: true);
        Assert.Equal(name, layout.StackName(c, t));
        Assert.Equal(Path.Combine("/data/run", "Position4", name), layout.StackPath(c, t, 4));
        Assert.True(DatasetLayout.TryParseStackName(name, out var pc, out var pt, out var suffix));
        Assert.Equal((c, t, ".ome.tiff"), (pc, pt, suffix));
    }

    [Theory]
    [InlineData("scan.ome.tiff", ".ome.tiff", true)]
    [InlineData("SCAN.OME.TIF", ".OME.TIF", true)]
    [InlineData("scan.tiff", ".tiff", false)]
    [InlineData("scan.tif", ".tif", false)]
    public void TheEndingPicksOmeOrPlain(string name, string suffix, bool ome)
    {
        Assert.Equal(suffix, DatasetLayout.SuffixOf(name));
        Assert.Equal(ome, new DatasetLayout("/", suffix, false).IsOme);
    }

    [Theory]
    [InlineData("scan.zarr")]
    [InlineData("CH00_00000.tif")]
    [InlineData("CH00_000000.png")]
    [InlineData("XY00_000000.tif")]
    public void OtherNamesAreNotStacks(string name) => Assert.False(DatasetLayout.TryParseStackName(name, out _, out _, out _));

    [Fact]
    public void FindLocatesTheRootFromAFileOrAFolder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("multi", "Position0"));
        Directory.CreateDirectory(temp.Combine("multi", "Position1"));
        File.WriteAllText(temp.Combine("multi", "Position0", "CH00_000000.ome.tif"), "x");
        File.WriteAllText(temp.Combine("multi", "Position1", "CH01_000002.ome.tif"), "x");
        Directory.CreateDirectory(temp.Combine("single"));
        File.WriteAllText(temp.Combine("single", "CH01_000000.tiff"), "x");

        Assert.Equal(new DatasetLayout(temp.Combine("multi"), ".ome.tif", true), DatasetLayout.Find(temp.Combine("multi", "Position1", "CH01_000002.ome.tif")));
        Assert.Equal(new DatasetLayout(temp.Combine("multi"), ".ome.tif", true), DatasetLayout.Find(temp.Combine("multi")));
        Assert.Equal(2, DatasetLayout.Find(temp.Combine("multi"))!.CountPositions());
        Assert.Equal(new DatasetLayout(temp.Combine("single"), ".tiff", false), DatasetLayout.Find(temp.Combine("single") + "/"));
        Assert.Equal((2, 1), DatasetLayout.Find(temp.Combine("single"))!.CountStacks(0));
        Assert.Null(DatasetLayout.Find(temp.Path));
        Assert.Null(DatasetLayout.Find(temp.Combine("nothing.tif")));
        Assert.Equal(3, DatasetLayout.StackFilesUnder(temp.Combine("multi")).Count() + DatasetLayout.StackFilesUnder(temp.Combine("single")).Count());
    }
}
