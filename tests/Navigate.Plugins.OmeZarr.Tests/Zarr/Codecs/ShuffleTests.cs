using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

public sealed class ShuffleTests
{
    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int typeSize in new[] { 1, 2, 3, 4, 8, 16 })
        {
            foreach (int length in new[] { 0, 1, 7, 64, 255, 256, 1000, 4099 })
            {
                data.Add(typeSize, length);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ByteShuffleMatchesTheDefinitionAndRoundTrips(int typeSize, int length)
    {
        byte[] input = TestData.Noise(length, seed: length + typeSize);
        byte[] shuffled = new byte[length];
        ByteShuffle.Shuffle(input, shuffled, typeSize);

        int n = length / typeSize;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < typeSize; j++)
            {
                Assert.Equal(input[(i * typeSize) + j], shuffled[(j * n) + i]);
            }
        }

        Assert.Equal(input.AsSpan(n * typeSize).ToArray(), shuffled.AsSpan(n * typeSize).ToArray());
        byte[] back = new byte[length];
        ByteShuffle.Unshuffle(shuffled, back, typeSize);
        Assert.Equal(input, back);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BitShuffleMatchesTheDefinitionAndRoundTrips(int typeSize, int length)
    {
        byte[] input = TestData.Noise(length, seed: length * 3 + typeSize);
        byte[] shuffled = new byte[length];
        BitShuffle.Shuffle(input, shuffled, typeSize);

        int n = length / typeSize;
        if (n % 8 == 0)
        {
            // Row 8j+b holds bit b of byte j of every element, element i at bit i%8 of byte i/8.
            int rowBytes = n / 8;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < typeSize; j++)
                {
                    for (int b = 0; b < 8; b++)
                    {
                        int expected = (input[(i * typeSize) + j] >> b) & 1;
                        int actual = (shuffled[(((8 * j) + b) * rowBytes) + (i / 8)] >> (i % 8)) & 1;
                        Assert.Equal(expected, actual);
                    }
                }
            }

            Assert.Equal(input.AsSpan(n * typeSize).ToArray(), shuffled.AsSpan(n * typeSize).ToArray());
        }
        else
        {
            Assert.Equal(input, shuffled); // blosc copies blocks whose element count is not a multiple of 8
        }

        byte[] back = new byte[length];
        BitShuffle.Unshuffle(shuffled, back, typeSize);
        Assert.Equal(input, back);
    }

    [Fact]
    public void TransposeMovesBit8mPlusKTo8kPlusM()
    {
        for (int m = 0; m < 8; m++)
        {
            for (int k = 0; k < 8; k++)
            {
                Assert.Equal(1UL << ((8 * k) + m), BitShuffle.Transpose8x8(1UL << ((8 * m) + k)));
            }
        }
    }
}
