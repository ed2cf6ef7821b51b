using K4os.Compression.LZ4;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

/// <summary>
/// The accelerated LZ4 entry point is bound from the pinned K4os package (a package upgrade that loses it fails here),
/// honours the acceleration, and its blocks decode with the library's public decoder.
/// </summary>
public sealed class Lz4FastEncoderTests
{
    [Fact]
    public void TheAcceleratedEntryPointIsBound()
    {
        Assert.True(Lz4FastEncoder.IsAccelerated, "K4os.Compression.LZ4's internal LZ4_compress_fast was not found: blosc-lz4 would compress 2-3x slower.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(65_537)]
    public void BlocksDecodeWithThePublicDecoder(int acceleration)
    {
        byte[] source = TestData.Smooth(300_000, seed: acceleration);
        var block = new byte[LZ4Codec.MaximumOutputSize(source.Length)];
        int length = Lz4FastEncoder.Encode(source, block, acceleration);
        if (acceleration <= 9)
        {
            // blosc's range; beyond it (LZ4 clamps at 65537) the search skips so far that it may only copy literals.
            Assert.InRange(length, 1, source.Length - 1);
        }

        var decoded = new byte[source.Length];
        Assert.Equal(source.Length, LZ4Codec.Decode(block.AsSpan(0, length), decoded));
        Assert.Equal(source, decoded);
    }

    [Fact]
    public void TheAccelerationChangesTheSearch()
    {
        // Half noise, half structure: a faster search skips more of the noise and finds fewer, shorter matches.
        byte[] source = TestData.Smooth(1 << 20, seed: 3);
        byte[] noise = TestData.Noise(1 << 19, seed: 4);
        for (int i = 0; i < noise.Length; i += 2)
        {
            source[i] = noise[i];
        }

        var slow = new byte[LZ4Codec.MaximumOutputSize(source.Length)];
        var fast = new byte[slow.Length];
        int slowLength = Lz4FastEncoder.Encode(source, slow, 1);
        int fastLength = Lz4FastEncoder.Encode(source, fast, 9);
        Assert.NotEqual(slow.AsSpan(0, slowLength).ToArray(), fast.AsSpan(0, fastLength).ToArray());
    }

    [Fact]
    public void ADestinationTooSmallGivesNoBlock()
    {
        byte[] source = TestData.Noise(100_000);
        var block = new byte[50_000];
        Assert.True(Lz4FastEncoder.Encode(source, block, 5) <= 0);
    }

    [Theory]
    [InlineData(1, 9)]
    [InlineData(5, 5)]
    [InlineData(9, 1)]
    public void BloscMapsTheClevelToAccelerationAsCBloscDoes(int clevel, int acceleration)
    {
        Assert.Equal(acceleration, BloscFrame.Lz4Acceleration(clevel));
    }
}
