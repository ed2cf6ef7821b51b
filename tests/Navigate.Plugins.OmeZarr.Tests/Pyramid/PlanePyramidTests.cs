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
    public void Levels_can_be_computed_straight_into_the_callers_buffers()
    {
        const int Width = 67, Height = 45, Levels = 4;
        var random = new Random(3);
        var pixels = Random<ushort>(Width * Height, () => (ushort)random.Next(65536));
        var reference = new PlanePyramid(Width, Height, PixelType.UInt16, Levels);
        reference.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));

        // Levels 1 and 3 go into the middle of larger buffers (as planes inside a deeper chunk); level 2 stays inside.
        var pyramid = new PlanePyramid(Width, Height, PixelType.UInt16, Levels);
        var one = new byte[pyramid.LevelBytes(1) + 20];
        var three = new byte[pyramid.LevelBytes(3) * 3];
        Array.Fill(one, (byte)0xAB);
        Array.Fill(three, (byte)0xCD);
        ArraySegment<byte>[] destinations = [default, new(one, 10, pyramid.LevelBytes(1)), default, new(three, pyramid.LevelBytes(3), pyramid.LevelBytes(3))];
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()), destinations);

        Assert.Equal(reference.Level(1).ToArray(), one.AsSpan(10, pyramid.LevelBytes(1)).ToArray());
        Assert.Equal(reference.Level(3).ToArray(), three.AsSpan(pyramid.LevelBytes(3), pyramid.LevelBytes(3)).ToArray());
        Assert.Equal(reference.Level(2).ToArray(), pyramid.Level(2).ToArray());
        Assert.True(pyramid.Level(1).Overlaps(one), "Level(1) is where level 1 was written.");
        // Nothing outside the destinations is touched.
        Assert.Equal(-1, one.AsSpan(0, 10).IndexOfAnyExcept((byte)0xAB));
        Assert.Equal(-1, one.AsSpan(10 + pyramid.LevelBytes(1)).IndexOfAnyExcept((byte)0xAB));
        Assert.Equal(-1, three.AsSpan(0, pyramid.LevelBytes(3)).IndexOfAnyExcept((byte)0xCD));
        Assert.Equal(-1, three.AsSpan(2 * pyramid.LevelBytes(3)).IndexOfAnyExcept((byte)0xCD));

        // The next build without destinations uses the pyramid's own buffers again.
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        Assert.False(pyramid.Level(1).Overlaps(one));
        Assert.Equal(reference.Level(1).ToArray(), pyramid.Level(1).ToArray());
    }

    [Theory]
    [InlineData(67, 45, 4)] // odd height: the last row has no partner
    [InlineData(64, 32, 3)]
    [InlineData(9, 7, 1)]   // one level: no pyramid, only the copy
    public void A_level_0_destination_receives_the_frame_as_it_is(int width, int height, int levels)
    {
        var random = new Random(width + height);
        var pixels = Random<ushort>(width * height, () => (ushort)random.Next(65536));
        var frame = MemoryMarshal.AsBytes(pixels.AsSpan());
        var reference = new PlanePyramid(width, height, PixelType.UInt16, levels);
        reference.Build(frame);

        // Inside a larger buffer, as a plane of a deeper chunk is.
        var zero = new byte[frame.Length + 24];
        Array.Fill(zero, (byte)0xEE);
        var destinations = new ArraySegment<byte>[levels];
        destinations[0] = new ArraySegment<byte>(zero, 12, frame.Length);
        var pyramid = new PlanePyramid(width, height, PixelType.UInt16, levels);
        pyramid.Build(frame, destinations);

        Assert.Equal(frame.ToArray(), zero.AsSpan(12, frame.Length).ToArray());
        Assert.Equal(-1, zero.AsSpan(0, 12).IndexOfAnyExcept((byte)0xEE));
        Assert.Equal(-1, zero.AsSpan(12 + frame.Length).IndexOfAnyExcept((byte)0xEE));
        for (var k = 1; k < levels; k++)
        {
            Assert.Equal(reference.Level(k).ToArray(), pyramid.Level(k).ToArray());
        }
    }

    [Fact]
    public void Destinations_of_the_wrong_size_or_count_are_refused()
    {
        var pyramid = new PlanePyramid(8, 4, PixelType.UInt16, 3);
        var frame = new byte[64];
        var e = Assert.Throws<ArgumentException>(() => pyramid.Build(frame, [default, new byte[15], default]));
        Assert.Contains("Level 1 of a 8×4 UInt16 frame has 16 bytes; its destination has 15.", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => pyramid.Build(frame, [new byte[63], default, default]));
        Assert.Contains("Level 0 of a 8×4 UInt16 frame has 64 bytes; its destination has 63.", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => pyramid.Build(frame, [default, new byte[16]]));
        Assert.Contains("Destinations are one per level (3) or none; got 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_of_the_wrong_size_is_refused()
    {
        var pyramid = new PlanePyramid(4, 4, PixelType.UInt16, 2);
        var e = Assert.Throws<ArgumentException>(() => pyramid.Build(new byte[31]));
        Assert.Contains("A 4×4 UInt16 frame has 32 bytes; got 31.", e.Message, StringComparison.Ordinal);
    }

    // Sizes that exercise the vector loops (level widths of 16 and 32 or more), their scalar tails, odd widths and
    // heights at every level, and frames narrower than one block.
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 37, 23, 4 },
        { 64, 64, 4 },
        { 5, 3, 3 },
        { 1, 7, 3 },
        { 1, 1, 5 },
        { 131, 67, 6 },
        { 200, 9, 3 },
        { 515, 130, 7 },
        { 96, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_integer_type_matches_a_brute_force_mean_at_every_level(int width, int height, int levels)
    {
        var random = new Random(width * 7919 + height);
        Check(Random<byte>(width * height, () => (byte)random.Next(256)), width, height, levels, PixelType.UInt8);
        Check(Random<ushort>(width * height, () => (ushort)random.Next(65536)), width, height, levels, PixelType.UInt16);
        Check(Random<short>(width * height, () => (short)random.Next(short.MinValue, short.MaxValue + 1)), width, height, levels, PixelType.Int16);
        Check(Random<uint>(width * height, () => (uint)random.NextInt64(uint.MaxValue + 1L)), width, height, levels, PixelType.UInt32);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float_types_match_a_brute_force_mean_at_every_level(int width, int height, int levels)
    {
        var random = new Random(width * 31 + height);
        var floats = Random<float>(width * height, () => (float)(random.NextDouble() * 2000 - 1000));
        var doubles = Random<double>(width * height, () => random.NextDouble() * 2e6 - 1e6);
        foreach (var (pixels, type) in new (Array, PixelType)[] { (floats, PixelType.Float32), (doubles, PixelType.Float64) })
        {
            var pyramid = new PlanePyramid(width, height, type, levels);
            pyramid.Build(type == PixelType.Float32 ? MemoryMarshal.AsBytes(floats.AsSpan()) : MemoryMarshal.AsBytes(doubles.AsSpan()));
            for (var k = 1; k < levels; k++)
            {
                var (w, h) = pyramid.Shape(k);
                for (var y = 0; y < h; y++)
                {
                    for (var x = 0; x < w; x++)
                    {
                        var expected = FloatBlockMean(pixels, width, height, k, x, y);
                        if (type == PixelType.Float32)
                        {
                            Assert.Equal((float)expected, MemoryMarshal.Cast<byte, float>(pyramid.Level(k))[y * w + x]);
                        }
                        else
                        {
                            Assert.Equal(expected, MemoryMarshal.Cast<byte, double>(pyramid.Level(k))[y * w + x], 1e-9);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public void Saturated_uint16_frames_stay_saturated_at_the_deepest_level_32_bit_sums_allow(int deepestLevel, bool uint32Sums)
    {
        // Level 8 blocks hold 65536 pixels of 65535: the sum plus the rounding half is 2^32 − 2^15, the largest a uint32
        // sum ever holds. An overflow anywhere would wrap to a small mean.
        const int Width = 513, Height = 257;
        var pixels = new ushort[Width * Height];
        Array.Fill(pixels, ushort.MaxValue);
        var pyramid = new PlanePyramid(Width, Height, PixelType.UInt16, deepestLevel + 1);
        Assert.Equal(uint32Sums, pyramid.UsesUInt32Sums);
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        for (var k = 1; k <= deepestLevel; k++)
        {
            Assert.Equal(-1, MemoryMarshal.Cast<byte, ushort>(pyramid.Level(k)).IndexOfAnyExcept(ushort.MaxValue));
        }
    }

    [Theory]
    [InlineData(12, true)]
    [InlineData(13, false)]
    public void Saturated_uint8_frames_stay_saturated_at_the_deepest_level_32_bit_sums_allow(int deepestLevel, bool uint32Sums)
    {
        // Level 12 blocks hold 4096 × 4096 pixels of 255: a full one needs a 4096-wide frame; one more row and column
        // makes edge blocks too.
        const int Width = 4097, Height = 4097;
        var pixels = new byte[Width * Height];
        Array.Fill(pixels, byte.MaxValue);
        var pyramid = new PlanePyramid(Width, Height, PixelType.UInt8, deepestLevel + 1);
        Assert.Equal(uint32Sums, pyramid.UsesUInt32Sums);
        pyramid.Build(pixels);
        for (var k = 1; k <= deepestLevel; k++)
        {
            Assert.Equal(-1, pyramid.Level(k).IndexOfAnyExcept(byte.MaxValue));
        }
    }

    [Fact]
    public void Thirty_two_and_sixty_four_bit_sums_give_the_same_levels()
    {
        const int Width = 301, Height = 203;
        var random = new Random(5);
        var pixels = Random<ushort>(Width * Height, () => random.Next(4) == 0 ? ushort.MaxValue : (ushort)random.Next(65536));
        var narrow = new PlanePyramid(Width, Height, PixelType.UInt16, 9);
        var wide = new PlanePyramid(Width, Height, PixelType.UInt16, 10);
        Assert.True(narrow.UsesUInt32Sums);
        Assert.False(wide.UsesUInt32Sums);
        narrow.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        wide.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        for (var k = 1; k < 9; k++)
        {
            Assert.Equal(wide.Level(k).ToArray(), narrow.Level(k).ToArray());
        }
    }

    [Fact]
    public void Each_build_starts_from_zero_sums()
    {
        // Row sums are reused from frame to frame: a second frame must not see the first one's sums.
        const int Width = 67, Height = 45;
        var random = new Random(11);
        var first = Random<ushort>(Width * Height, () => ushort.MaxValue);
        var second = Random<ushort>(Width * Height, () => (ushort)random.Next(65536));
        var pyramid = new PlanePyramid(Width, Height, PixelType.UInt16, 5);
        pyramid.Build(MemoryMarshal.AsBytes(first.AsSpan()));
        pyramid.Build(MemoryMarshal.AsBytes(second.AsSpan()));
        var fresh = new PlanePyramid(Width, Height, PixelType.UInt16, 5);
        fresh.Build(MemoryMarshal.AsBytes(second.AsSpan()));
        for (var k = 1; k < 5; k++)
        {
            Assert.Equal(fresh.Level(k).ToArray(), pyramid.Level(k).ToArray());
        }

        Check(second, Width, Height, 5, PixelType.UInt16);
    }

    private static T[] Random<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next();
        }

        return values;
    }

    private static void Check<T>(T[] pixels, int width, int height, int levels, PixelType type)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var pyramid = new PlanePyramid(width, height, type, levels);
        pyramid.Build(MemoryMarshal.AsBytes(pixels.AsSpan()));
        for (var k = 1; k < levels; k++)
        {
            var level = MemoryMarshal.Cast<byte, T>(pyramid.Level(k));
            var (w, h) = pyramid.Shape(k);
            Assert.Equal(w * h, level.Length);
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var expected = IntegerBlockMean(pixels, width, height, k, x, y);
                    var actual = long.CreateTruncating(level[y * w + x]);
                    if (expected != actual)
                    {
                        Assert.Fail($"{type} {width}×{height}, level {k}, block ({x}, {y}): expected {expected}, got {actual}.");
                    }
                }
            }
        }
    }

    private static long IntegerBlockMean<T>(T[] pixels, int width, int height, int level, int bx, int by)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var block = 1 << level;
        long sum = 0, count = 0;
        for (var y = by * block; y < Math.Min(height, (by + 1) * block); y++)
        {
            for (var x = bx * block; x < Math.Min(width, (bx + 1) * block); x++)
            {
                sum += long.CreateTruncating(pixels[y * width + x]);
                count++;
            }
        }

        // Half away from zero.
        return sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
    }

    private static double FloatBlockMean(Array pixels, int width, int height, int level, int bx, int by)
    {
        var block = 1 << level;
        double sum = 0;
        long count = 0;
        for (var y = by * block; y < Math.Min(height, (by + 1) * block); y++)
        {
            for (var x = bx * block; x < Math.Min(width, (bx + 1) * block); x++)
            {
                sum += Convert.ToDouble(pixels.GetValue(y * width + x), System.Globalization.CultureInfo.InvariantCulture);
                count++;
            }
        }

        return sum / count;
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
