using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

public sealed class BloscHeaderTests
{
    [Fact]
    public void ParsesAHandWrittenHeader()
    {
        byte[] frame =
        [
            2, 1, 0x01 | 0x10 | (4 << 5), 2,
            0x00, 0x00, 0x08, 0x00, // 524288 decoded bytes
            0x00, 0x00, 0x04, 0x00, // 262144 block size
            0x10, 0x27, 0x00, 0x00, // 10000 frame bytes
        ];
        BloscHeader h = BloscHeader.Read(frame);
        Assert.Equal(2, h.Version);
        Assert.Equal(2, h.TypeSize);
        Assert.Equal(524288, h.DecodedLength);
        Assert.Equal(262144, h.BlockSize);
        Assert.Equal(10000, h.EncodedLength);
        Assert.True(h.ByteShuffled);
        Assert.False(h.BitShuffled);
        Assert.False(h.IsMemcpy);
        Assert.True(h.DontSplit);
        Assert.Equal(4, h.CompressorCode);
        Assert.Equal("zstd", BloscHeader.CompressorName(h.CompressorCode));

        byte[] written = new byte[16];
        h.Write(written);
        Assert.Equal(frame, written);
    }

    [Fact]
    public void FrameHasOffsetsFromTheFrameStartAndSplitStreams()
    {
        // 128 KiB of uint16, lz4 clevel 5: one 128 KiB block (auto size capped by nbytes), split in 2 streams.
        byte[] input = TestData.Smooth(131072);
        var codec = new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle);
        byte[] frame = new byte[codec.GetMaxEncodedLength(input.Length)];
        int n = codec.Encode(input, frame, new ZarrCodecContext(2, null));
        BloscHeader h = BloscHeader.Read(frame);
        Assert.Equal(n, h.EncodedLength);
        Assert.Equal(131072, h.BlockSize);
        Assert.False(h.DontSplit);
        Assert.Equal(0x01 | (1 << 5), h.Flags);
        int offset = BitConverter.ToInt32(frame, 16);
        Assert.Equal(20, offset); // one block: 16-byte header + one 4-byte offset
        int first = BitConverter.ToInt32(frame, offset);
        int second = BitConverter.ToInt32(frame, offset + 4 + first);
        Assert.Equal(n, offset + 4 + first + 4 + second);
    }

    [Theory]
    [InlineData(BloscCompressor.LZ4, 5, 2, 8 << 20, 262144)]
    [InlineData(BloscCompressor.LZ4, 5, 1, 8 << 20, 131072)]
    [InlineData(BloscCompressor.LZ4, 1, 2, 8 << 20, 65536)]
    [InlineData(BloscCompressor.Zstd, 5, 2, 8 << 20, 262144)]
    [InlineData(BloscCompressor.Zstd, 1, 2, 8 << 20, 32768)]
    [InlineData(BloscCompressor.Zlib, 9, 4, 8 << 20, 1048576)]
    [InlineData(BloscCompressor.LZ4, 5, 2, 1000, 1000)]
    [InlineData(BloscCompressor.LZ4, 5, 8, 20000, 20000)]
    [InlineData(BloscCompressor.LZ4, 5, 3, 1001, 999)]
    public void AutomaticBlockSizeFollowsCBlosc(BloscCompressor compressor, int level, int typeSize, int nbytes, int expected) =>
        Assert.Equal(expected, BloscFrame.ComputeBlockSize(compressor, level, typeSize, nbytes, 0));

    [Fact]
    public void IncompressibleDataBecomesAPlainCopyFrame()
    {
        byte[] input = TestData.Noise(50_000);
        var codec = new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.NoShuffle);
        byte[] frame = new byte[codec.GetMaxEncodedLength(input.Length)];
        int n = codec.Encode(input, frame, new ZarrCodecContext(1, null));
        Assert.Equal(input.Length + 16, n);
        Assert.True(BloscHeader.Read(frame).IsMemcpy);
        Assert.Equal(input, frame.AsSpan(16, input.Length).ToArray());
    }
}
