using System.Runtime.InteropServices;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr.Tests.TestSupport;

/// <summary>Deterministic uint16 frames whose pixels say which frame and pixel they are.</summary>
internal static class Frames
{
    public static ushort Pixel(long frame, int y, int x) => (ushort)((frame * 7919) + (y * 131) + (x * 3) + ((x * y) % 17));

    public static byte[] Make(long frame, int width, int height)
    {
        var pixels = new ushort[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[y * width + x] = Pixel(frame, y, x);
            }
        }

        return MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
    }

    /// <summary>The rounded mean of the 2^level block at (bx, by) of frame <paramref name="frame"/>.</summary>
    public static ushort Mean(long frame, int width, int height, int level, int bx, int by)
    {
        var block = 1 << level;
        long sum = 0, count = 0;
        for (var y = by * block; y < Math.Min(height, (by + 1) * block); y++)
        {
            for (var x = bx * block; x < Math.Min(width, (bx + 1) * block); x++)
            {
                sum += Pixel(frame, y, x);
                count++;
            }
        }

        return (ushort)((sum + count / 2) / count);
    }

    /// <summary>Writes every frame of <paramref name="metadata"/> (or the first <paramref name="count"/>).</summary>
    public static List<FrameIndex> WriteAll(IDataSource source, AcquisitionMetadata metadata, long? count = null)
    {
        var written = new List<FrameIndex>();
        for (long f = 0; f < (count ?? metadata.FrameCount); f++)
        {
            written.Add(source.Write(Make(f, metadata.Width, metadata.Height)));
        }

        return written;
    }
}
