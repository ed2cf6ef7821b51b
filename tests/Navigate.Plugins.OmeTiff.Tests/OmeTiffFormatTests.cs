using Navigate.Data;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests;

/// <summary>The format's names and how it recognises datasets.</summary>
public sealed class OmeTiffFormatTests
{
    [Fact]
    public void NamesAndEndings()
    {
        var format = new OmeTiffFormat();
        Assert.Equal("ome-tiff", format.Name);
        Assert.Equal(["tiff"], format.Aliases);
        Assert.Equal([".ome.tiff", ".ome.tif", ".tiff", ".tif"], format.FileExtensions);
        Assert.Equal(BigTiffMode.Auto, format.Defaults.BigTiff);
    }

    [Fact]
    public void CanOpenLooksAtTheHeaderOrTheFolder()
    {
        using var temp = new TempFolder();
        var format = new OmeTiffFormat();
        var m = TestAcquisition.Small(channels: 1, z: 1, timepoints: 1, positions: 2);
        using (var source = format.Create(temp.Combine("run", "CH00_000000.ome.tif"), m, new DataSourceOptions()))
        {
            TestAcquisition.WriteAll(source, m);
        }

        Assert.True(format.CanOpen(temp.Combine("run")));
        Assert.True(format.CanOpen(temp.Combine("run", "Position1", "CH00_000000.ome.tif")));
        File.WriteAllText(temp.Combine("fake.tif"), "not a tiff at all");
        Assert.False(format.CanOpen(temp.Combine("fake.tif")));
        File.Copy(temp.Combine("run", "Position0", "CH00_000000.ome.tif"), temp.Combine("tiff-but-png-name.png"));
        Assert.False(format.CanOpen(temp.Combine("tiff-but-png-name.png")));
        Assert.False(format.CanOpen(temp.Combine("missing.tif")));
        Assert.False(format.CanOpen(temp.Path));

        using var opened = format.Open(temp.Combine("run", "Position1", "CH00_000000.ome.tif"));
        Assert.Equal(2, opened.Positions);
    }
}
