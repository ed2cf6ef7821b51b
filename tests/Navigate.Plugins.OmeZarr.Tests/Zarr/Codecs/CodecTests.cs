using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

public sealed class CodecTests
{
    public static TheoryData<string> Configurations => new()
    {
        """{"id": "zstd", "level": 3}""",
        """{"id": "zstd", "level": -5}""",
        """{"id": "zstd", "level": 1, "checksum": true}""",
        """{"id": "gzip", "level": 1}""",
        """{"id": "gzip", "level": 9}""",
        """{"id": "zlib", "level": 0}""",
        """{"id": "zlib", "level": 6}""",
        """{"id": "lz4", "acceleration": 1}""",
        """{"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0}""",
        """{"id": "blosc", "cname": "blosclz", "clevel": 9, "shuffle": 2, "blocksize": 4096}""",
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void RegistryBuildsTheCodecAndItRoundTrips(string json)
    {
        JsonObject config = JsonNode.Parse(json)!.AsObject();
        IZarrCodec codec = ZarrCodecRegistry.Default.Create(config, "a/.zarray");
        Assert.True(JsonNode.DeepEquals(config, codec.ToJson()), codec.ToJson().ToJsonString());
        foreach (byte[] input in new[] { TestData.Smooth(100_000), TestData.Noise(3000), Array.Empty<byte>(), new byte[1] })
        {
            byte[] encoded = new byte[codec.GetMaxEncodedLength(input.Length)];
            int n = codec.Encode(input, encoded, new ZarrCodecContext(2, "k"));
            byte[] decoded = new byte[input.Length];
            codec.Decode(encoded.AsSpan(0, n), decoded, new ZarrCodecContext(2, "k"));
            Assert.Equal(input, decoded);
        }
    }

    [Fact]
    public void EncodingIsThreadSafe()
    {
        IZarrCodec[] codecs = [new BloscCodec(), new BloscCodec(BloscCompressor.Zstd, 1), new ZstdCodec(1), new Lz4Codec(), new GzipCodec(1)];
        byte[][] inputs = [.. Enumerable.Range(0, 16).Select(i => TestData.Smooth(65536, seed: i))];
        foreach (IZarrCodec codec in codecs)
        {
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                byte[] input = inputs[i % inputs.Length];
                byte[] encoded = new byte[codec.GetMaxEncodedLength(input.Length)];
                int n = codec.Encode(input, encoded, new ZarrCodecContext(2, "k"));
                byte[] decoded = new byte[input.Length];
                codec.Decode(encoded.AsSpan(0, n), decoded, new ZarrCodecContext(2, "k"));
                Assert.Equal(input, decoded);
            });
        }
    }

    [Fact]
    public void RegistryIsExtensibleById()
    {
        var registry = ZarrCodecRegistry.CreateDefault();
        registry.Register("identity", config => new IdentityCodec(config.GetInt32("tag", 0)));
        IZarrCodec codec = registry.Create(new JsonObject { ["id"] = "identity", ["tag"] = 7 });
        Assert.Equal(7, ((IdentityCodec)codec).Tag);
        Assert.Contains("identity", registry.Ids);
        Assert.False(ZarrCodecRegistry.Default.IsRegistered("identity"));
    }

    private sealed class IdentityCodec(int tag) : IZarrCodec
    {
        public int Tag => tag;

        public string Id => "identity";

        public int GetMaxEncodedLength(int decodedLength) => decodedLength;

        public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
        {
            source.CopyTo(destination);
            return source.Length;
        }

        public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) => source.CopyTo(destination);

        public JsonObject ToJson() => new() { ["id"] = Id, ["tag"] = tag };
    }
}
