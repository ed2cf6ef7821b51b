using System.Buffers.Binary;
using System.Text;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;
using Navigate.Plugins.OmeTiff.TiffIO;

namespace Navigate.Plugins.OmeTiff.Tests.TiffIO;

/// <summary>The stack writer: what streaming costs and what closing changes.</summary>
public sealed class TiffStackWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StreamingFullFramesAllocatesNothingFrameSized()
    {
        // 2048 x 2048 uint16 = 8 MiB per frame. The pixels go from the caller's span to the file without a copy; what
        // is left per frame is LibTiff.NET's directory bookkeeping (it rebuilds its tag table for every directory,
        // ~125 KiB of short-lived gen-0 objects) and the boxing of its SetField calls.
        var m = new AcquisitionMetadata { Width = 2048, Height = 2048, ZSteps = 24 };
        var frame = GC.AllocateUninitializedArray<byte>(2048 * 2048 * 2, pinned: true);
        using var source = new OmeTiffFormat().Create(_temp.Combine("CH00_000000.ome.tiff"), m, new DataSourceOptions());
        for (var i = 0; i < 4; i++)
        {
            source.Write(frame);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 4; i < 20; i++)
        {
            source.Write(frame);
        }

        var perFrame = (GC.GetAllocatedBytesForCurrentThread() - before) / 16;
        Assert.InRange(perFrame, 0, 256 * 1024);
    }

    [Fact]
    public void FinishAppendsTheNewDescriptionAndRepointsPageZeroOnly()
    {
        var path = _temp.Combine("stack.tif");
        var format = new PageFormat(32, 16, PixelType.UInt16, 0.5, 0.5);
        var page = new byte[32 * 16 * 2];
        using (var writer = new TiffStackWriter(path, format, bigTiff: false, "first description", "test"))
        {
            for (var i = 0; i < 3; i++)
            {
                page.AsSpan().Fill((byte)(i + 1));
                writer.WritePage(page);
            }

            writer.Dispose();
        }

        var before = File.ReadAllBytes(path);
        using (var writer = new TiffStackWriter(_temp.Combine("stack2.tif"), format, bigTiff: false, "first description", "test"))
        {
            for (var i = 0; i < 3; i++)
            {
                page.AsSpan().Fill((byte)(i + 1));
                writer.WritePage(page);
            }

            writer.Finish("the final, longer description");
        }

        var after = File.ReadAllBytes(_temp.Combine("stack2.tif"));
        var entry = DescriptionEntry(after);
        var (count, offset) = (BinaryPrimitives.ReadUInt32LittleEndian(after.AsSpan(entry + 4)), (int)BinaryPrimitives.ReadUInt32LittleEndian(after.AsSpan(entry + 8)));
        Assert.Equal("the final, longer description\0", Encoding.ASCII.GetString(after, offset, (int)count));
        Assert.True(offset >= before.Length, "the new description goes after everything that was there");
        Assert.InRange(after.Length - before.Length, 0, 32);

        // Apart from the 8 bytes of page 0's ImageDescription entry, every earlier byte (pixels, directories, the old
        // description) is unchanged.
        var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.All(differing, i => Assert.InRange(i, entry + 4, entry + 11));
        Assert.Contains("first description", Encoding.ASCII.GetString(after, 0, before.Length));

        var file = Tifffile.Read(_temp.Combine("stack2.tif"))[0];
        Assert.Equal("the final, longer description", file.GetProperty("description").GetString());
        Assert.Equal(3, file.GetProperty("pages").GetInt32());
    }

    [Fact]
    public void AFileThatExistsIsNeverReplaced()
    {
        var path = _temp.Combine("stack.tif");
        File.WriteAllText(path, "keep me");
        Assert.Throws<IOException>(() => new TiffStackWriter(path, new PageFormat(4, 4, PixelType.UInt8, 1, 1), false, "d", "t"));
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    private static int DescriptionEntry(byte[] file)
    {
        var ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd));
        for (var i = 0; i < count; i++)
        {
            var at = ifd + 2 + (i * 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)) == 270)
            {
                return at;
            }
        }

        throw new InvalidOperationException("no ImageDescription entry");
    }
}
