using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests;

/// <summary>Damaged files (<see cref="TiffBadInput"/>) give one exception family whose messages say where and what.</summary>
public sealed class OmeTiffDataSourceBadInputTests : IDisposable
{
    private static readonly OmeTiffFormat Format = new();
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private T Fails<T>(Func<string, string> make)
        where T : TiffFormatException
    {
        var path = make(_temp.Path);
        var e = Assert.Throws<T>(() => Format.Open(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path, e.Message);
        return e;
    }

    [Fact]
    public void NotATiff()
    {
        var e = Fails<NotATiffException>(TiffBadInput.NotATiff);
        Assert.Contains("(offset 0): not a TIFF file: expected byte-order mark 'II' or 'MM', found 89 50 4E 47 (\".PNG\")", e.Message);
        Assert.IsAssignableFrom<TiffFormatException>(e);
    }

    [Fact]
    public void TooShort()
        => Assert.Contains("a TIFF header needs 8 bytes, the file has 5", Fails<NotATiffException>(TiffBadInput.TooShort).Message);

    [Fact]
    public void WrongVersion()
        => Assert.Contains("expected version 42 (TIFF) or 43 (BigTIFF) after the byte-order mark, found 41", Fails<NotATiffException>(TiffBadInput.WrongVersion).Message);

    [Fact]
    public void TruncatedFile()
    {
        // The first thing the cut took is the final OME-XML, appended last at close; page 0 points at it.
        var e = Fails<TruncatedTiffException>(TiffBadInput.TruncatedFile);
        Assert.Equal(0, e.Page);
        Assert.Matches(@"\(page 0, offset \d+\): the values of tag 270 \(\d+ x type 2\) need bytes \d+\.\.\d+, but the file ends at \d+: the file is truncated or the tag's offset is wrong\.", e.Message);
    }

    [Fact]
    public void TruncatedStrip()
    {
        var e = Fails<TruncatedTiffException>(TiffBadInput.TruncatedStrip);
        Assert.Equal(2, e.Page);
        Assert.Matches(@"\(page 2, offset \d+\): strip 0 needs bytes \d+\.\.\d+, but the file ends at \d+: the file is truncated or the strip offset is wrong\.", e.Message);
    }

    [Fact]
    public void IfdOffsetIntoPixels()
    {
        var e = Fails<InvalidTiffStructureException>(TiffBadInput.IfdOffsetIntoPixels);
        Assert.Equal(1, e.Page);
        Assert.Equal(100, e.Offset);
        Assert.Contains("(page 1, offset 100): IFD entry 1 has tag 14 after tag 61; TIFF requires ascending tags. This is not a directory: the offset pointing here is wrong.", e.Message);
    }

    [Fact]
    public void IfdOffsetPastEnd()
    {
        var e = Fails<TruncatedTiffException>(TiffBadInput.IfdOffsetPastEnd);
        Assert.Equal(2, e.Page);
        Assert.Contains("the IFD offset 10000000", e.Message);
        Assert.Contains("lies beyond the end of the file", e.Message);
    }

    [Fact]
    public void IfdLoop()
    {
        var e = Fails<InvalidTiffStructureException>(TiffBadInput.IfdLoop);
        Assert.Matches(@"\(page 2, offset \d+\): the IFD chain loops: offset \d+ \(stored at byte \d+\) is the IFD of page 0 again\.", e.Message);
    }

    [Fact]
    public void MissingOmeXml()
        => Assert.Contains("(page 0): no OME-XML: an OME-TIFF carries OME-XML in page 0's ImageDescription (tag 270), and this file has no ImageDescription.", Fails<InvalidOmeXmlException>(TiffBadInput.MissingOmeXml).Message);

    [Fact]
    public void PlainDescriptionInOmeFile()
        => Assert.Contains("no OME-XML: page 0's ImageDescription is not an OME document; it starts \"{\"shape\":[3,8,16]", Fails<InvalidOmeXmlException>(TiffBadInput.PlainDescriptionInOmeFile).Message);

    [Fact]
    public void BrokenOmeXml()
        => Assert.Contains("the OME-XML is not well-formed XML: ", Fails<InvalidOmeXmlException>(TiffBadInput.BrokenOmeXml).Message);

    [Fact]
    public void MissingSizeZ()
        => Assert.Contains("<Pixels> lacks the required attribute SizeZ.", Fails<InvalidOmeXmlException>(TiffBadInput.MissingSizeZ).Message);

    [Fact]
    public void MismatchedPlaneCount()
    {
        var e = Fails<PlaneCountMismatchException>(TiffBadInput.MismatchedPlaneCount);
        Assert.Equal((4, 3), (e.ExpectedPlanes, e.Pages));
        Assert.Contains(": the OME-XML describes 4 planes (SizeZ=4 x SizeC=1 x SizeT=1) but the file has 3 pages.", e.Message);
    }

    [Fact]
    public void MixedPageSizes()
    {
        var e = Fails<InvalidTiffStructureException>(TiffBadInput.MixedPageSizes);
        Assert.Matches(@"\(page 1, offset \d+\): the page is 16x16 UInt16, page 0 is 16x8 UInt16: every page of a stack must have one size and type\.", e.Message);
    }

    [Fact]
    public void UnfinishedStack()
    {
        var e = Fails<PlaneCountMismatchException>(TiffBadInput.UnfinishedStack);
        Assert.Contains("describes 3 planes (SizeZ=3 x SizeC=1 x SizeT=1) but the file has 2 pages. A file left by an acquisition that stopped without closing it has fewer pages than planned.", e.Message);

        // Still a valid TIFF: any reader gets the planes that were written.
        var file = Tifffile.Read(e.FilePath)[0];
        Assert.Equal(2, file.GetProperty("pages").GetInt32());
    }

    [Fact]
    public void MissingStack()
    {
        var m = TiffBadInput.Metadata() with { Channels = 2 };
        using (var source = Format.Create(_temp.Combine("CH00_000000.ome.tiff"), m, new Data.DataSourceOptions()))
        {
            TestAcquisition.WriteAll(source, m);
        }

        File.Delete(_temp.Combine("CH01_000000.ome.tiff"));
        File.Copy(_temp.Combine("CH00_000000.ome.tiff"), _temp.Combine("CH01_000001.ome.tiff"));
        using var dataset = Format.Open(_temp.Path);
        var e = Assert.Throws<MissingStackFileException>(() => dataset.GetData(channel: 1));
        Assert.Equal(_temp.Combine("CH01_000000.ome.tiff"), e.FilePath);
        Assert.Contains("no stack for channel 1, timepoint 0, position 0: the file does not exist", e.Message);

        var empty = Directory.CreateDirectory(_temp.Combine("empty")).FullName;
        Assert.Contains("no TIFF stack here", Assert.Throws<MissingStackFileException>(() => Format.Open(empty)).Message);
    }
}
