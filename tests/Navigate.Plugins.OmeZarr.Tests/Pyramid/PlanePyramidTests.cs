using System.Runtime.InteropServices;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Pyramid;

namespace Navigate.Plugins.OmeZarr.Tests.Pyramid;

public sealed class PlanePyramidTests
{
    [Theory]
    [InlineData(2048, 2048, 0, 2048, 2048)]
    [InlineData(2048, 2048, 3, 256, 256)]
    [InlineData(37, 23, 1, 19, 12)]
    [InlineData(37, 23, 3, 5, 3)]
    [InlineData(1, 1, 4, 1, 1)]
    public void Level_shape_is_the_frame_divided_by_2_to_the_level_rounded_up(int width, int height, int level, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), PlanePyramid.LevelShape(width, height, level));
    }

    [Theory]
    [InlineData(37, 23, 4)]
    [InlineData(64, 64, 4)]
    [InlineData(5, 3, 3)]
    [InlineData(1, 7, 3)]
    public void UInt16_levels_are_the_rounded_mean_of_the_level0_block_without_overflow(int width, int height, int levels)
    {
        var random = new Random(width * 1000 + height);
        var pixels = new ushort[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Many saturated pixels: a 16-bit sum of four would overflow.
            pixels[i] = random.Next(3) == 0 ? ushort.MaxValue : (ushort)random.Next(65536);
        }

        var pyramid = new PlanePyramid(width, height, PixelType.UInt16, levels);
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        for (var k = 1; k < levels; k++)
        {
            var level = MemoryMarshal.Cast<byte, ushort>(pyramid.Level(k));
            var (w, h) = pyramid.Shape(k);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    Assert.Equal((ushort)BlockMean(pixels, width, height, k, x, y), level[y * w + x]);
                }
            }
        }
    }

    [Fact]
    public void Int16_means_round_half_away_from_zero()
    {
        // Block sums 1+2 = 3 -> 1.5 -> 2 and -1-2 = -3 -> -1.5 -> -2 (2x1 edge blocks of a 4x1 frame).
        short[] pixels = [1, 2, -1, -2];
        var pyramid = new PlanePyramid(4, 1, PixelType.Int16, 2);
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        Assert.Equal([(short)2, (short)-2], MemoryMarshal.Cast<byte, short>(pyramid.Level(1)).ToArray());
    }

    [Fact]
    public void UInt32_and_UInt8_keep_their_full_range()
    {
        uint[] big = [uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue - 2];
        var p32 = new PlanePyramid(2, 2, PixelType.UInt32, 2);
        p32.Build(MemoryMarshal.AsBytes(big.AsSpan()));
        // mean = max - 0.5 -> rounds up to max.
        Assert.Equal(uint.MaxValue, MemoryMarshal.Cast<byte, uint>(p32.Level(1))[0]);

        byte[] small = [255, 255, 254, 254, 0, 1];
        var p8 = new PlanePyramid(3, 2, PixelType.UInt8, 2);
        p8.Build(small);
        // blocks: (255,255,254,0) = 764/4 = 191; edge (254,1) = 255/2 = 127.5 -> 128
        Assert.Equal([(byte)191, (byte)128], p8.Level(1).ToArray());
    }

    [Fact]
    public void Float_levels_are_exact_means()
    {
        float[] pixels = [0.5f, 1.5f, 2.5f, 3.5f, 10f, 20f];
        var pyramid = new PlanePyramid(3, 2, PixelType.Float32, 2);
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        // Row-major 3x2: [0.5 1.5 2.5 / 3.5 10 20]; blocks (0.5,1.5,3.5,10)=3.875 and (2.5,20)=11.25
        Assert.Equal([3.875f, 11.25f], MemoryMarshal.Cast<byte, float>(pyramid.Level(1)).ToArray());

        double[] doubles = [1, 2, 3, 4];
        var p64 = new PlanePyramid(2, 2, PixelType.Float64, 2);
        p64.Build(MemoryMarshal.AsBytes(doubles.AsSpan()));
        Assert.Equal(2.5, MemoryMarshal.Cast<byte, double>(p64.Level(1))[0]);
    }

    [Fact]
    public void A_frame_of_the_wrong_size_is_refused()
    {
        var pyramid = new PlanePyramid(4, 4, PixelType.UInt16, 2);
        var e = Assert.Throws<ArgumentException>(() => pyramid.Build(new byte[31]));
        Assert.Contains("A 4×4 UInt16 frame has 32 bytes; got 31.", e.Message, StringComparison.Ordinal);
    }

    private static long BlockMean(ushort[] pixels, int width, int height, int level, int bx, int by)
    {
        var block = 1 << level;
        long sum = 0, count = 0;
        for (var y = by * block; y < Math.Min(height, (by + 1) * block); y++)
        {
            for (var x = bx * block; x < Math.Min(width, (bx + 1) * block); x++)
            {
                sum += pixels[y * width + x];
                count++;
            }
        }

        return (sum + count / 2) / count;
    }
}
