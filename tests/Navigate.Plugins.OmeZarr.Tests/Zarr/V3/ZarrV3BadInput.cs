using System.Buffers.Binary;
using System.Text;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.V3;

/// <summary>The Zarr v3 part of the bad-input corpus (docs/bad-input.md): each malformed input, its exception type and message.</summary>
public sealed class ZarrV3BadInput : IDisposable
{
    private const string Good = """
        {"zarr_format": 3, "node_type": "array", "shape": [8, 8], "data_type": "uint16",
         "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [8, 8]}},
         "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": CODECS EXTRA}
        """;

    private const string Bytes = """[{"name": "bytes", "configuration": {"endian": "little"}}]""";

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ZarrJsonNotAnObject() => Bad<ZarrMetadataException>("[1]", "'a/zarr.json' must hold a JSON object, found [1].");

    [Fact]
    public void ZarrJsonTruncated()
    {
        _temp.Store.Set("a/zarr.json", """{"zarr_format": 3, "node_type": """u8);
        ZarrMetadataException e = Assert.Throws<ZarrMetadataException>(() => ZarrArray.Open(_temp.Store, "a"));
        Assert.StartsWith("'a/zarr.json' is not valid JSON: Expected depth to be zero at the end of the JSON payload.", e.Message);
        Assert.Equal("a/zarr.json", e.Key);
    }

    [Fact]
    public void WrongZarrFormat() => Bad<ZarrMetadataException>(
        Good.Replace("\"zarr_format\": 3", "\"zarr_format\": 4", StringComparison.Ordinal).Replace("CODECS EXTRA", Bytes, StringComparison.Ordinal),
        "'a/zarr.json': \"zarr_format\" must be 3, found 4.");

    [Fact]
    public void UnknownCodec() => Bad<ZarrCodecException>(
        Doc("""[{"name": "bytes"}, {"name": "lzma", "configuration": {}}]"""),
        "Unknown codec 'lzma' in 'a/zarr.json': known Zarr v3 codecs are bytes, crc32c, sharding_indexed, transpose, blosc, gzip, lz4, zlib, zstd.");

    [Fact]
    public void NoArrayToBytesCodec() => Bad<ZarrCodecException>(
        Doc("""[{"name": "zstd", "configuration": {"level": 1}}]"""),
        "'a/zarr.json': \"codecs\" must have exactly one array-to-bytes codec (bytes or sharding_indexed) after any transpose, found 'zstd' at position 0.");

    [Fact]
    public void TwoArrayToBytesCodecs() => Bad<ZarrCodecException>(
        Doc("""[{"name": "bytes"}, {"name": "bytes"}]"""),
        "'a/zarr.json': codec 'bytes' at position 1 comes after the array-to-bytes codec; only bytes-to-bytes codecs (blosc, zstd, gzip, crc32c) may follow it.");

    [Fact]
    public void TransposeNotAPermutation() => Bad<ZarrCodecException>(
        Doc("""[{"name": "transpose", "configuration": {"order": [0, 0]}}, {"name": "bytes"}]"""),
        "Codec 'transpose' in 'a/zarr.json': \"order\" [0, 0] must be a permutation of 0..1.");

    [Fact]
    public void UnknownExtension() => Bad<ZarrMetadataException>(
        Good.Replace("CODECS EXTRA", Bytes + """, "future_thing": {"x": 1}""", StringComparison.Ordinal),
        "'a/zarr.json': unknown key \"future_thing\" is an extension this reader does not understand (it would need \"must_understand\": false).");

    [Fact]
    public void ExtensionThatNeedNotBeUnderstoodIsIgnored()
    {
        _temp.Store.Set("a/zarr.json", Encoding.UTF8.GetBytes(Good.Replace("CODECS EXTRA", Bytes + """, "future_thing": {"must_understand": false}""", StringComparison.Ordinal)));
        Assert.Equal(3, ZarrArray.Open(_temp.Store, "a").ZarrFormat);
    }

    [Fact]
    public void NullFillValue() => Bad<ZarrMetadataException>(
        Doc(Bytes).Replace("\"fill_value\": 0", "\"fill_value\": null", StringComparison.Ordinal),
        "'a/zarr.json': \"fill_value\" must not be null in Zarr v3; expected a number of type uint16.");

    [Fact]
    public void HexFillValueForAnInteger() => Bad<ZarrMetadataException>(
        Doc(Bytes).Replace("\"fill_value\": 0", "\"fill_value\": \"0x0001\"", StringComparison.Ordinal),
        "'a/zarr.json': \"fill_value\" \"0x0001\" is not valid for uint16: hex fill values give a float's 16 bits (\"0x\" and 4 hex digits).");

    [Fact]
    public void UnsupportedDataType() => Bad<ZarrMetadataException>(
        Doc(Bytes).Replace("\"uint16\"", "\"complex64\"", StringComparison.Ordinal),
        "Unsupported data_type 'complex64' in 'a/zarr.json': expected one of uint8 int8 uint16 int16 uint32 int32 uint64 int64 float32 float64.");

    [Fact]
    public void InnerChunksThatDoNotDivideTheShard() => Bad<ZarrCodecException>(
        Doc("""[{"name": "sharding_indexed", "configuration": {"chunk_shape": [3, 8], "codecs": [{"name": "bytes"}]}}]"""),
        "Codec 'sharding_indexed' in 'a/zarr.json': inner \"chunk_shape\" [3, 8] must divide the shard shape [8, 8] (dimension 0).");

    [Fact]
    public void CompressedShardIndex() => Bad<ZarrCodecException>(
        Doc("""[{"name": "sharding_indexed", "configuration": {"chunk_shape": [4, 8], "codecs": [{"name": "bytes"}], "index_codecs": [{"name": "bytes"}, {"name": "zstd", "configuration": {"level": 1}}]}}]"""),
        "Codec 'sharding_indexed' in 'a/zarr.json': \"index_codecs\" [bytes, zstd] must give a fixed-size index: only bytes and crc32c are supported.");

    [Fact]
    public void DotDotInAV3Path()
    {
        ZarrGroup.Create(_temp.Store, "", zarrFormat: 3);
        Assert.Equal(
            "Invalid Zarr key 'a/../../etc': '..' segment at offset 2 would leave the store.",
            Assert.Throws<InvalidZarrKeyException>(() => ZarrGroup.Open(_temp.Store).OpenArray("a/../../etc")).Message);
    }

    [Fact]
    public void Crc32cMismatch()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", ZarrV3ArrayTests.Metadata(ZarrV3Codec.Compressed(Crc32cCodec.Instance)));
        array.WriteRegion([0, 0], [37, 23], new byte[37 * 23 * 2]);
        string file = Path.Combine(_temp.Root, "a", "c", "0", "0");
        byte[] chunk = File.ReadAllBytes(file);
        chunk[5] ^= 0x10;
        File.WriteAllBytes(file, chunk);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(chunk.Length - 4));
        uint computed = Crc32cCodec.Compute(chunk.AsSpan(0, chunk.Length - 4));
        ZarrCodecException e = Assert.Throws<ZarrCodecException>(() => array.ReadRegion([0, 0], [37, 23], new byte[37 * 23 * 2]));
        Assert.Equal($"crc32c mismatch in 'a/c/0/0' at offset 480: stored 0x{stored:x8}, computed 0x{computed:x8} over 480 bytes (the data is corrupt).", e.Message);
        Assert.Equal("a/c/0/0", e.Key);
    }

    [Fact]
    public void TruncatedShardIndex()
    {
        ZarrArray array = Sharded(ShardIndexLocation.End);
        string file = Path.Combine(_temp.Root, "s", "c", "0", "0");
        File.WriteAllBytes(file, File.ReadAllBytes(file).AsSpan(0, 20).ToArray());
        Assert.Equal(
            "Shard 's/c/0/0' is 20 bytes; its index alone (2 inner chunks, index at the end) needs 36 bytes: the shard is truncated.",
            Assert.Throws<ZarrCodecException>(() => array.ReadRegion([0, 0], [8, 8], new byte[128])).Message);
    }

    [Fact]
    public void ShardIndexWithAFlippedBitFailsItsChecksum()
    {
        ZarrArray array = Sharded(ShardIndexLocation.Start);
        string file = Path.Combine(_temp.Root, "s", "c", "0", "0");
        byte[] shard = File.ReadAllBytes(file);
        shard[3] ^= 1;
        File.WriteAllBytes(file, shard);
        Assert.StartsWith(
            "crc32c mismatch in 's/c/0/0' at offset 32: stored 0x",
            Assert.Throws<ZarrCodecException>(() => array.ReadRegion([0, 0], [8, 8], new byte[128])).Message);
    }

    [Theory]
    [InlineData(ShardIndexLocation.End, 1000UL, 10UL, "offset 1000, nbytes 10, which lies outside the shard's chunk bytes [0, 128) (shard of 164 bytes, index at the end)")]
    [InlineData(ShardIndexLocation.End, 100UL, ulong.MaxValue - 50, "offset 100, nbytes 18446744073709551565, which lies outside the shard's chunk bytes [0, 128) (shard of 164 bytes, index at the end)")]
    [InlineData(ShardIndexLocation.Start, 0UL, 64UL, "offset 0, nbytes 64, which lies outside the shard's chunk bytes [36, 164) (shard of 164 bytes, index at the start)")]
    public void ShardIndexOffsetsBeyondTheShard(ShardIndexLocation location, ulong offset, ulong nbytes, string detail)
    {
        ZarrArray array = Sharded(location);
        string file = Path.Combine(_temp.Root, "s", "c", "0", "0");
        byte[] shard = File.ReadAllBytes(file);
        int at = location == ShardIndexLocation.Start ? 0 : shard.Length - 36;
        BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(at + 16), offset);
        BinaryPrimitives.WriteUInt64LittleEndian(shard.AsSpan(at + 24), nbytes);
        BinaryPrimitives.WriteUInt32LittleEndian(shard.AsSpan(at + 32), Crc32cCodec.Compute(shard.AsSpan(at, 32)));
        File.WriteAllBytes(file, shard);
        Assert.Equal(
            $"Shard 's/c/0/0': inner chunk [1, 0] has index entry {detail}.",
            Assert.Throws<ZarrCodecException>(() => array.ReadRegion([0, 0], [8, 8], new byte[128])).Message);
    }

    private ZarrArray Sharded(ShardIndexLocation location)
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "s", new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = [8, 8],
            Chunks = [8, 8],
            DataType = ZarrDataType.UInt16,
            Codecs = [new ShardingCodec([4, 8], ZarrV3Codec.Default, IndexLocation: location)],
        });
        ushort[] values = [.. Enumerable.Range(1, 64).Select(i => (ushort)i)];
        array.WriteRegion<ushort>([0, 0], [8, 8], values);
        return array;
    }

    private static string Doc(string codecs) => Good.Replace("CODECS EXTRA", codecs, StringComparison.Ordinal);

    private void Bad<T>(string zarrJson, string message)
        where T : ZarrFormatException
    {
        _temp.Store.Set("a/zarr.json", Encoding.UTF8.GetBytes(zarrJson));
        T e = Assert.Throws<T>(() => ZarrArray.Open(_temp.Store, "a"));
        Assert.Equal(message, e.Message);
    }
}
