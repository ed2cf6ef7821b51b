using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

/// <summary>
/// Seeded random corruption (bit flips, overwritten header fields, truncation, garbage appended) of encoded chunks:
/// decoding either succeeds or throws <see cref="ZarrCodecException"/>; never another exception, never an
/// out-of-range access, never an allocation sized by the corrupt bytes.
/// </summary>
public sealed class CorruptionFuzzTests
{
    public static TheoryData<string> Codecs => new()
    {
        "blosc-lz4", "blosc-lz4-bit", "blosc-zstd", "blosc-zlib", "blosc-blosclz", "blosc-lz4-blocks", "zstd", "gzip", "zlib", "lz4",
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void CorruptChunksFailCleanly(string name)
    {
        IZarrCodec codec = name switch
        {
            "blosc-lz4" => new BloscCodec(),
            "blosc-lz4-bit" => new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.BitShuffle),
            "blosc-zstd" => new BloscCodec(BloscCompressor.Zstd, 1),
            "blosc-zlib" => new BloscCodec(BloscCompressor.Zlib, 1),
            "blosc-blosclz" => new BloscCodec(BloscCompressor.BloscLZ, 5),
            "blosc-lz4-blocks" => new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle, blockSize: 4096),
            "zstd" => new ZstdCodec(1),
            "gzip" => new GzipCodec(1),
            "zlib" => new ZlibCodec(1),
            _ => new Lz4Codec(),
        };
        byte[] input = TestData.Smooth(20_000, seed: 3);
        byte[] encoded = new byte[codec.GetMaxEncodedLength(input.Length)];
        int length = codec.Encode(input, encoded, new ZarrCodecContext(2, "k"));
        byte[] decoded = new byte[input.Length];
        var random = new Random(name.Length * 7919);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = 0;
        for (int round = 0; round < 400; round++)
        {
            byte[] corrupt = encoded.AsSpan(0, length).ToArray();
            switch (round % 4)
            {
                case 0:
                    for (int k = 0; k < 1 + random.Next(4); k++)
                    {
                        corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    BitConverter.TryWriteBytes(corrupt.AsSpan(random.Next(Math.Min(32, corrupt.Length - 4))), random.Next(int.MinValue, int.MaxValue));
                    break;
                case 2:
                    corrupt = corrupt[..random.Next(corrupt.Length)];
                    break;
                default:
                    corrupt = [.. corrupt, .. TestData.Noise(1 + random.Next(64), seed: round)];
                    corrupt[random.Next(corrupt.Length)] = 0xFF;
                    break;
            }

            try
            {
                codec.Decode(corrupt, decoded, new ZarrCodecContext(2, "k"));
            }
            catch (ZarrCodecException)
            {
                failures++;
            }
        }

        Assert.True(failures > 0, "no corruption was detected at all");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (64 << 20), "corrupt headers must not size allocations");
    }
}
