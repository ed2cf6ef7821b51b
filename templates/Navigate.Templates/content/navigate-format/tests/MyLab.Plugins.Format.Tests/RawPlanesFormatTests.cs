using System.Buffers.Binary;
using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;

namespace MyLab.Plugins.Format.Tests;

/// <summary>
/// The format against navigate's data-source semantics. Every test frame carries its frame number in its first eight
/// bytes and a pattern after it, so a test can tell exactly which frame landed where.
/// </summary>
public sealed class RawPlanesFormatTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly RawPlanesFormat _format = new();

    public void Dispose() => _temp.Dispose();

    private static AcquisitionMetadata Small(bool perStack = true) => new()
    {
        Width = 8,
        Height = 6,
        Channels = 2,
        ZSteps = 3,
        Timepoints = 2,
        Positions = 2,
        PerStack = perStack,
        VoxelSize = new VoxelSize(0.65, 0.65, 2),
        ChannelInfos = [new ChannelInfo("GFP", "00FF00", "488nm"), new ChannelInfo("RFP", "FF0000", "561nm")],
        StagePositions = [new StagePosition(0, 0, 100), new StagePosition(1000, 0, 100)],
    };

    /// <summary>A frame whose first eight bytes hold <paramref name="frameNumber"/> and whose other pixels hold x + 10·y + 1000·frame.</summary>
    private static byte[] FrameBytes(AcquisitionMetadata m, long frameNumber)
    {
        var pixels = new ushort[m.Width * m.Height];
        for (var y = 0; y < m.Height; y++)
        {
            for (var x = 0; x < m.Width; x++)
            {
                pixels[(y * m.Width) + x] = (ushort)(x + (10 * y) + (1000 * frameNumber));
            }
        }

        var bytes = new byte[pixels.Length * 2];
        for (var i = 0; i < pixels.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), pixels[i]);
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes, frameNumber);
        return bytes;
    }

    private string WriteAll(AcquisitionMetadata metadata, string name = "run.raw-planes")
    {
        var path = _temp.Combine(name);
        using var source = _format.Create(path, metadata, new DataSourceOptions());
        for (long f = 0; f < metadata.FrameCount; f++)
        {
            Assert.Equal(metadata.IndexOf(f), source.Write(FrameBytes(metadata, f)));
        }

        source.Close();
        return path;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryFrameIsReadBackWhereNavigatesFrameOrderPutsIt(bool perStack)
    {
        var metadata = Small(perStack);
        var path = WriteAll(metadata);

        using var source = _format.Open(path);
        Assert.Equal(DataSourceMode.Read, source.Mode);
        Assert.Equal(new DataShape(8, 6, 2, 3, 2), source.Shape);
        Assert.Equal(metadata.FrameCount, source.FramesWritten);
        for (long f = 0; f < metadata.FrameCount; f++)
        {
            var i = metadata.IndexOf(f);
            var plane = source.GetData(i.T, i.P, i.C, i.Z);
            Assert.Equal(new Size3(8, 6, 1), plane.Shape);
            Assert.Equal(f, BinaryPrimitives.ReadInt64LittleEndian(plane.Bytes));
            Assert.Equal(FrameBytes(metadata, f), plane.Bytes);
        }
    }

    [Fact]
    public void AWholeStackIsItsPlanesInZOrder()
    {
        var metadata = Small();
        var path = WriteAll(metadata);

        using var source = _format.Open(path);
        var stack = source.GetData(timepoint: 1, position: 1, channel: 0);

        Assert.Equal(new Size3(8, 6, 3), stack.Shape);
        for (var z = 0; z < 3; z++)
        {
            var expected = Enumerable.Range(0, (int)metadata.FrameCount).Single(f => metadata.IndexOf(f) == new FrameIndex(0, z, 1, 1));
            Assert.Equal(FrameBytes(metadata, expected), stack.Bytes.AsSpan(z * 96, 96).ToArray());
        }
    }

    [Fact]
    public void GetSliceReturnsTheRequestedBlock()
    {
        var metadata = Small();
        var path = WriteAll(metadata);

        using var source = _format.Open(path);
        var block = source.GetSlice(x: 2..5, y: 1..4, c: 1, z: 1..3, t: 0, p: 1);

        Assert.Equal(new Size3(3, 3, 2), block.Shape);
        for (var z = 0; z < 2; z++)
        {
            var frame = Enumerable.Range(0, (int)metadata.FrameCount).Single(f => metadata.IndexOf(f) == new FrameIndex(1, z + 1, 0, 1));
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 3; x++)
                {
                    Assert.Equal((x + 2) + (10 * (y + 1)) + (1000 * frame), block[z, y, x]);
                }
            }
        }

        Assert.Equal(source.GetData(0, 1, 1, 2).Bytes, source.GetSlice(.., .., 1, 2..3, 0, 1).Bytes);
    }

    [Fact]
    public void MetadataChannelsAndStagePositionsSurviveTheRoundTrip()
    {
        var metadata = Small();
        var path = WriteAll(metadata);

        using var source = _format.Open(path);
        Assert.Equal(metadata.VoxelSize, source.VoxelSize);
        Assert.Equal(metadata.ChannelInfos, source.Metadata.ChannelInfos);
        Assert.Equal(metadata.StagePositions, source.Metadata.StagePositions);
        Assert.Equal(metadata.PerStack, source.Metadata.PerStack);
        Assert.Equal(PixelType.UInt16, source.Metadata.PixelType);
        Assert.True(_format.CanOpen(path));
    }

    [Fact]
    public void ExistingDataIsNeverReplacedWithoutOverwrite()
    {
        var metadata = Small();
        var path = WriteAll(metadata);
        var before = File.ReadAllBytes(Path.Combine(path, "p0.raw"));

        var refused = Assert.Throws<IOException>(() => _format.Create(path, metadata, new DataSourceOptions()));

        Assert.Equal($"{path} already holds data; nothing was changed. Pass Overwrite (navigate acquire --overwrite) to replace it.", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(path, "p0.raw")));

        using (var replaced = _format.Create(path, metadata with { Positions = 1, StagePositions = [] }, new DataSourceOptions { Overwrite = true }))
        {
            replaced.Write(FrameBytes(metadata, 42));
        }

        Assert.False(File.Exists(Path.Combine(path, "p1.raw")));
        using var source = _format.Open(path);
        Assert.Equal(42, BinaryPrimitives.ReadInt64LittleEndian(source.GetData(0, 0, 0, 0).Bytes));
    }

    [Fact]
    public void AFolderThatIsNotADatasetIsNotDeletedEvenWithOverwrite()
    {
        var path = _temp.Combine("thesis");
        _temp.Write("thesis/chapter1.docx", "years of work");

        var refused = Assert.Throws<IOException>(() => _format.Create(path, Small(), new DataSourceOptions { Overwrite = true }));

        Assert.Equal($"{path} holds files that are not a raw-planes dataset; they are not deleted, even with Overwrite. Choose another path.", refused.Message);
        Assert.True(File.Exists(Path.Combine(path, "chapter1.docx")));
    }

    [Fact]
    public void ADroppedFrameKeepsItsPlaceAtZeroAndIsListed()
    {
        var metadata = Small();
        var path = _temp.Combine("drops.raw-planes");
        using (var writer = _format.Create(path, metadata, new DataSourceOptions()))
        {
            writer.Write(FrameBytes(metadata, 0));
            Assert.Equal(metadata.IndexOf(1), ((IRecordsDroppedFrames)writer).SkipDroppedFrame());
            Assert.Equal(metadata.IndexOf(2), writer.Write(FrameBytes(metadata, 2)));
        }

        using var source = (RawPlanesDataSource)_format.Open(path);
        Assert.Equal([1L], source.DroppedFrames);
        Assert.Equal(2, source.FramesWritten);
        var lost = metadata.IndexOf(1);
        Assert.All(source.GetData(lost.T, lost.P, lost.C, lost.Z).Bytes, b => Assert.Equal(0, b));
        var kept = metadata.IndexOf(2);
        Assert.Equal(2, BinaryPrimitives.ReadInt64LittleEndian(source.GetData(kept.T, kept.P, kept.C, kept.Z).Bytes));
    }

    [Fact]
    public void ADatasetClosedEarlyRecordsWhatItHoldsAndKeepsItsShape()
    {
        var metadata = Small();
        var path = _temp.Combine("stopped.raw-planes");
        using (var writer = _format.Create(path, metadata, new DataSourceOptions()))
        {
            for (var f = 0; f < 5; f++)
            {
                writer.Write(FrameBytes(metadata, f));
            }
        }

        using var source = (RawPlanesDataSource)_format.Open(path);
        Assert.Equal(5, source.FramesWritten);
        Assert.False(source.IsComplete);
        Assert.All(source.GetData(1, 1, 1).Bytes, b => Assert.Equal(0, b));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(path, "metadata.json")));
        Assert.False(json.RootElement.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public void WritesThatDoNotFitAreRefused()
    {
        var metadata = Small() with { Positions = 1, Timepoints = 1, Channels = 1, ZSteps = 1, StagePositions = [] };
        using var writer = _format.Create(_temp.Combine("one.raw-planes"), metadata, new DataSourceOptions());

        var size = Assert.Throws<ArgumentException>(() => writer.Write(new byte[10]));
        Assert.StartsWith("Frame 0 is 10 bytes; dataset ", size.Message, StringComparison.Ordinal);
        Assert.Contains("takes 8×6 UInt16 frames of 96 bytes.", size.Message, StringComparison.Ordinal);

        writer.Write(FrameBytes(metadata, 0));
        var full = Assert.Throws<InvalidOperationException>(() => writer.Write(FrameBytes(metadata, 1)));
        Assert.EndsWith("already holds all 1 frames of its acquisition.", full.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASettingTheFormatDoesNotKnowIsRefusedByName()
    {
        var options = new DataSourceOptions { Settings = new Dictionary<string, string> { ["compression"] = "zstd" } };

        var e = Assert.Throws<ArgumentException>(() => _format.Create(_temp.Combine("x.raw-planes"), Small(), options));

        Assert.StartsWith("Format 'raw-planes' has no setting 'compression'; it takes none", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("x.raw-planes")));
    }

    [Fact]
    public void ADatasetOpenedForReadingRefusesWrites()
    {
        using var source = _format.Open(WriteAll(Small()));

        var e = Assert.Throws<InvalidOperationException>(() => source.Write(new byte[96]));

        Assert.EndsWith("was opened for reading.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedPlaneFileIsReportedWithItsSizes()
    {
        var path = WriteAll(Small());
        var file = Path.Combine(path, "p1.raw");
        using (var stream = File.OpenWrite(file))
        {
            stream.SetLength(1000);
        }

        var e = Assert.Throws<InvalidDataException>(() => _format.Open(path));

        Assert.Equal($"{file} is 1000 bytes; expected 1152 (2 timepoints × 2 channels × 3 planes × 6×8 UInt16).", e.Message);
    }

    [Fact]
    public void BrokenMetadataIsReportedWithTheFile()
    {
        var path = WriteAll(Small());
        var file = Path.Combine(path, "metadata.json");
        File.WriteAllText(file, "{ \"format\": \"raw-planes\", \"width\": ");

        var broken = Assert.Throws<InvalidDataException>(() => _format.Open(path));
        Assert.StartsWith($"{file}: not valid raw-planes metadata: ", broken.Message, StringComparison.Ordinal);

        var json = JsonSerializer.Serialize(new { format = "raw-planes", formatVersion = 1, width = 0, height = 6, channels = 1, zSteps = 1, timepoints = 1, positions = 1, pixelType = "UInt16", bitDepth = 16, voxelSizeUm = new { x = 1, y = 1, z = 1 } });
        File.WriteAllText(file, json);
        var invalid = Assert.Throws<InvalidDataException>(() => _format.Open(path));
        Assert.Equal($"{file}: Acquisition metadata: Width is 0; expected at least 1.", invalid.Message);
    }

    [Fact]
    public void CanOpenRecognisesOnlyItsOwnDatasets()
    {
        var path = WriteAll(Small());
        _temp.Write("other/metadata.json", "{ \"format\": \"something-else\" }");
        _temp.Write("garbage/metadata.json", "not json");

        Assert.True(_format.CanOpen(path));
        Assert.False(_format.CanOpen(_temp.Combine("other")));
        Assert.False(_format.CanOpen(_temp.Combine("garbage")));
        Assert.False(_format.CanOpen(_temp.Combine("missing")));
    }
}
