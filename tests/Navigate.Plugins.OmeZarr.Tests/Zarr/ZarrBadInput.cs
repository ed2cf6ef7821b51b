using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

/// <summary>
/// The bad-input corpus of docs/bad-input.md: every malformed input gives its own exception type and message, never a
/// crash, silent wrong data, or an allocation sized by a lie in a header.
/// </summary>
public sealed class ZarrBadInput : IDisposable
{
    private const string Zarray = """
        {"zarr_format": 2, "shape": [37, 23], "chunks": [20, 12], "dtype": "<u2", "compressor": null,
         "fill_value": 0, "order": "C", "filters": null}
        """;

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    // ------------------------------------------------------------------ keys

    [Fact]
    public void DotDotSegment() => AssertBad<InvalidZarrKeyException>(
        () => _temp.Store.Exists("a/../b"),
        "Invalid Zarr key 'a/../b': '..' segment at offset 2 would leave the store.");

    [Fact]
    public void DotDotArrayPath() => AssertBad<InvalidZarrKeyException>(
        () => ZarrArray.Open(_temp.Store, "images/../../etc"),
        "Invalid Zarr key 'images/../../etc': '..' segment at offset 7 would leave the store.");

    [Fact]
    public void AbsoluteKey() => AssertBad<InvalidZarrKeyException>(
        () => _temp.Store.TryGetSize("/etc/passwd", out _),
        "Invalid Zarr key '/etc/passwd': absolute keys are not allowed (it starts with '/').");

    [Fact]
    public void EmptySegment() => AssertBad<InvalidZarrKeyException>(
        () => _temp.Store.Set("a//b", [1]),
        "Invalid Zarr key 'a//b': empty path segment at offset 2.");

    [Fact]
    public void Backslash() => AssertBad<InvalidZarrKeyException>(
        () => _temp.Store.Delete("a\\b"),
        "Invalid Zarr key 'a\\b': backslash at offset 1 (keys use '/' as separator).");

    [Fact]
    public void DriveLetter() => AssertBad<InvalidZarrKeyException>(
        () => _temp.Store.Exists("C:/Windows"),
        "Invalid Zarr key 'C:/Windows': ':' at offset 1 (drive letters and schemes are not allowed).");

    [Fact]
    public void ConsolidatedKeyEscapes()
    {
        _temp.Store.Set(".zmetadata", """{"zarr_consolidated_format": 1, "metadata": {"../x/.zarray": {}}}"""u8);
        AssertBad<InvalidZarrKeyException>(
            () => ZarrConsolidatedMetadata.TryRead(_temp.Store),
            "Invalid Zarr key '../x/.zarray': '..' segment at offset 0 would leave the store.");
    }

    // ------------------------------------------------------------------ metadata

    [Fact]
    public void MissingZarray() => AssertBad<ZarrNodeNotFoundException>(
        () => ZarrArray.Open(_temp.Store, "a"),
        "No Zarr array at 'a': 'a/.zarray' does not exist.");

    [Fact]
    public void ArrayPathIsGroup()
    {
        ZarrGroup.Create(_temp.Store, "g");
        AssertBad<ZarrNodeNotFoundException>(
            () => ZarrArray.Open(_temp.Store, "g"),
            "No Zarr array at 'g': 'g/.zarray' does not exist; 'g/.zgroup' exists: it is a group.");
    }

    [Fact]
    public void MissingZgroup() => AssertBad<ZarrNodeNotFoundException>(
        () => ZarrGroup.Open(_temp.Store, "g"),
        "No Zarr group at 'g': 'g/.zgroup' does not exist.");

    [Fact]
    public void CorruptJson()
    {
        _temp.Store.Set("a/.zarray", """{"zarr_format": 2, "shape": [37, """u8);
        var e = Assert.Throws<ZarrMetadataException>(() => ZarrArray.Open(_temp.Store, "a"));
        Assert.StartsWith("'a/.zarray' is not valid JSON: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0 | BytePositionInLine: 33", e.Message, StringComparison.Ordinal);
        Assert.Equal("a/.zarray", e.Key);
    }

    [Fact]
    public void JsonNotAnObject() => AssertBadArray<ZarrMetadataException>(
        "[1, 2]",
        "'a/.zarray' must hold a JSON object, found [1,2].");

    [Fact]
    public void WrongZarrFormat() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"zarr_format\": 2", "\"zarr_format\": 3", StringComparison.Ordinal),
        "'a/.zarray': \"zarr_format\" must be 2, found 3.");

    [Fact]
    public void WrongZarrFormatInGroup()
    {
        _temp.Store.Set("g/.zgroup", """{"zarr_format": "2"}"""u8);
        AssertBad<ZarrMetadataException>(() => ZarrGroup.Open(_temp.Store, "g"), "'g/.zgroup': \"zarr_format\" must be 2, found \"2\".");
    }

    [Fact]
    public void UnknownDtype() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("<u2", "<c16", StringComparison.Ordinal),
        "Unsupported dtype '<c16' in 'a/.zarray': expected one of |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f4 <f8 (or '>' for big endian).");

    [Fact]
    public void DtypeNotAString() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"<u2\"", "[[\"r\", \"<u2\"]]", StringComparison.Ordinal),
        "'a/.zarray': \"dtype\" must be a string such as \"<u2\", found [[\"r\",\"<u2\"]].");

    [Fact]
    public void NegativeShape() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[-37, 23]", StringComparison.Ordinal),
        "'a/.zarray': \"shape\"[0] is -37; sizes must be 0 or more.");

    [Fact]
    public void OverflowingShape() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[99999999999999999999, 23]", StringComparison.Ordinal),
        "'a/.zarray': \"shape\"[0] is 99999999999999999999; expected an integer between 0 and 9223372036854775807.");

    [Fact]
    public void FractionalShape() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[37.5, 23]", StringComparison.Ordinal),
        "'a/.zarray': \"shape\"[0] is 37.5; expected an integer between 0 and 9223372036854775807.");

    [Fact]
    public void ChunkCountOverflow() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[4611686018427387904, 4611686018427387904]", StringComparison.Ordinal).Replace("[20, 12]", "[1, 1]", StringComparison.Ordinal),
        "'a/.zarray': shape [4611686018427387904, 4611686018427387904] with chunks [1, 1] has more than 2^63 chunks.");

    [Fact]
    public void ElementCountOverflow() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[1099511627776, 16777216]", StringComparison.Ordinal).Replace("[20, 12]", "[32768, 32768]", StringComparison.Ordinal).Replace("<u2", "|u1", StringComparison.Ordinal),
        "'a/.zarray': shape [1099511627776, 16777216] has more than 2^63 elements.");

    [Fact]
    public void ZeroChunkSize() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[20, 12]", "[0, 12]", StringComparison.Ordinal),
        "'a/.zarray': \"chunks\"[0] is 0; chunk sizes must be 1 or more.");

    [Fact]
    public void HugeChunk()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertBadArray<ZarrMetadataException>(
            Zarray.Replace("[20, 12]", "[2000000000, 2000000000]", StringComparison.Ordinal),
            "'a/.zarray': a chunk of [2000000000, 2000000000] × 2 bytes is 8000000000000000000 bytes; at most 2147479551 bytes per chunk are supported.");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20));
    }

    [Fact]
    public void RankMismatch() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[20, 12]", "[20]", StringComparison.Ordinal),
        "'a/.zarray': \"chunks\" has 1 dimensions but \"shape\" has 2.");

    [Fact]
    public void TooManyDimensions() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("[37, 23]", "[" + string.Join(", ", Enumerable.Repeat(1, 33)) + "]", StringComparison.Ordinal),
        "'a/.zarray': \"shape\" has 33 dimensions; at most 32 are supported.");

    [Fact]
    public void FillValueNotInteger() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"fill_value\": 0", "\"fill_value\": 1.5", StringComparison.Ordinal),
        "Invalid fill_value 1.5 for dtype '<u2' in 'a/.zarray': an integer dtype needs an integer fill value.");

    [Fact]
    public void FillValueOutOfRange() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"fill_value\": 0", "\"fill_value\": 70000", StringComparison.Ordinal),
        "Invalid fill_value 70000 for dtype '<u2' in 'a/.zarray': the value does not fit in uint16.");

    [Fact]
    public void FillValueNaNForInteger() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"fill_value\": 0", "\"fill_value\": \"NaN\"", StringComparison.Ordinal),
        "Invalid fill_value \"NaN\" for dtype '<u2' in 'a/.zarray': an integer dtype needs an integer fill value.");

    [Fact]
    public void FillValueUnknownString() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"fill_value\": 0", "\"fill_value\": \"nan\"", StringComparison.Ordinal).Replace("<u2", "<f4", StringComparison.Ordinal),
        "Invalid fill_value \"nan\" for dtype '<f4' in 'a/.zarray': the only strings allowed are \"NaN\", \"Infinity\" and \"-Infinity\".");

    [Fact]
    public void FillValueMissing() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"fill_value\": 0,", string.Empty, StringComparison.Ordinal),
        "'a/.zarray': \"fill_value\" is required (null for none).");

    [Fact]
    public void UnknownOrder() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"C\"", "\"K\"", StringComparison.Ordinal),
        "'a/.zarray': \"order\" must be \"C\" or \"F\", found \"K\".");

    [Fact]
    public void BadDimensionSeparator() => AssertBadArray<ZarrMetadataException>(
        Zarray.Replace("\"filters\": null", "\"filters\": null, \"dimension_separator\": \"-\"", StringComparison.Ordinal),
        "'a/.zarray': \"dimension_separator\" must be \".\" or \"/\", found \"-\".");

    [Fact]
    public void UnknownCodec() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"compressor\": null", "\"compressor\": {\"id\": \"lzma\", \"preset\": 9}", StringComparison.Ordinal),
        "Unknown codec 'lzma' in 'a/.zarray': known codecs are blosc, gzip, lz4, zlib, zstd.");

    [Fact]
    public void UnknownFilter() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"filters\": null", "\"filters\": [{\"id\": \"delta\", \"dtype\": \"<u2\"}]", StringComparison.Ordinal),
        "Unknown codec 'delta' in 'a/.zarray': known codecs are blosc, gzip, lz4, zlib, zstd.");

    [Fact]
    public void CodecWithoutId() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"compressor\": null", "\"compressor\": {\"level\": 1}", StringComparison.Ordinal),
        "Codec configuration {\"level\":1} in 'a/.zarray' has no string \"id\".");

    [Fact]
    public void UnsupportedBloscCname() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"compressor\": null", "\"compressor\": {\"id\": \"blosc\", \"cname\": \"snappy\", \"clevel\": 5, \"shuffle\": 1}", StringComparison.Ordinal),
        "Codec 'blosc' in 'a/.zarray': \"cname\" 'snappy' is not supported: expected blosclz, lz4, lz4hc, zlib or zstd "
        + "(configuration {\"id\":\"blosc\",\"cname\":\"snappy\",\"clevel\":5,\"shuffle\":1}).");

    [Fact]
    public void BloscShuffleOutOfRange() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"compressor\": null", "\"compressor\": {\"id\": \"blosc\", \"cname\": \"lz4\", \"clevel\": 5, \"shuffle\": 7}", StringComparison.Ordinal),
        "Codec 'blosc' in 'a/.zarray': \"shuffle\" must be -1, 0, 1 or 2, found 7 (configuration {\"id\":\"blosc\",\"cname\":\"lz4\",\"clevel\":5,\"shuffle\":7}).");

    [Fact]
    public void CodecLevelNotInteger() => AssertBadArray<ZarrCodecException>(
        Zarray.Replace("\"compressor\": null", "\"compressor\": {\"id\": \"zstd\", \"level\": \"high\"}", StringComparison.Ordinal),
        "Codec 'zstd' in 'a/.zarray': property \"level\" must be a 32-bit integer, found \"high\" (configuration {\"id\":\"zstd\",\"level\":\"high\"}).");

    [Fact]
    public void ConsolidatedWrongFormat()
    {
        _temp.Store.Set(".zmetadata", """{"zarr_consolidated_format": 2, "metadata": {}}"""u8);
        AssertBad<ZarrMetadataException>(
            () => ZarrConsolidatedMetadata.TryRead(_temp.Store),
            "'.zmetadata': \"zarr_consolidated_format\" must be 1, found 2.");
    }

    [Fact]
    public void ConsolidatedEntryNotObject()
    {
        _temp.Store.Set(".zmetadata", """{"zarr_consolidated_format": 1, "metadata": {"a/.zarray": 5}}"""u8);
        AssertBad<ZarrMetadataException>(
            () => ZarrConsolidatedMetadata.TryRead(_temp.Store),
            "'.zmetadata': entry \"a/.zarray\" must be a JSON object, found 5.");
    }

    [Fact]
    public void CreateOverExistingArray()
    {
        ZarrArray.Create(_temp.Store, "a", Metadata(null));
        AssertBad<ZarrNodeExistsException>(
            () => ZarrArray.Create(_temp.Store, "a", Metadata(null)),
            "An array already exists at 'a' ('a/.zarray'); pass overwrite to replace it.");
    }

    // ------------------------------------------------------------------ chunks

    [Fact]
    public void RawChunkWrongLength()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", Metadata(null));
        _temp.Store.Set("a/0.0", new byte[10]);
        AssertBad<ZarrChunkException>(
            () => ReadAll(array),
            "Chunk 'a/0.0' is 10 bytes; an uncompressed chunk of shape [20, 12] and dtype '<u2' must be 480 bytes.");
    }

    [Fact]
    public void TruncatedChunk()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => b[..10]);
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': truncated header: the chunk has 10 bytes, a blosc header needs 16.");
    }

    [Fact]
    public void TruncatedBloscFrame()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        _temp.Store.TryGetSize("a/0.0", out long length);
        Corrupt("a/0.0", b => b[..100]);
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            $"Blosc frame of chunk 'a/0.0': header bytes 12-15 (frame size) say {length} bytes, the chunk has 100 (truncated or corrupt).");
    }

    [Fact]
    public void WrongDecodedSize()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => SetInt32(b, 4, 2_000_000_000));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': header bytes 4-7 (decoded size) say 2000000000 bytes, the chunk needs 480.");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20), "a lie in the header must not size an allocation");
    }

    [Fact]
    public void CorruptBloscHeaderVersion()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => { b[0] = 9; return b; });
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': header byte 0 (format version) is 9, expected 2.");
    }

    [Fact]
    public void BloscReservedFlag()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => { b[2] |= 0x08; return b; });
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': header byte 2 (flags) is 0x29: reserved flag 0x08 is set.");
    }

    [Fact]
    public void BloscBlockSizeZero()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => SetInt32(b, 8, 0));
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': header bytes 8-11 (block size) say 0, expected 1 to 480.");
    }

    [Fact]
    public void BloscOffsetOutOfRange()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        int length = Corrupt("a/0.0", b => SetInt32(b, 16, 99_999));
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            $"Blosc frame of chunk 'a/0.0': block 0 offset (at byte 16) is 99999, expected 20 to {length - 4}.");
    }

    [Fact]
    public void BloscStreamLengthOutOfRange()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        int length = Corrupt("a/0.0", b => SetInt32(b, 20, 1_000_000));
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            $"Blosc frame of chunk 'a/0.0': block 0 stream 0 at byte 20 declares 1000000 bytes, only {length - 24} remain.");
    }

    [Fact]
    public void BloscCorruptLz4Stream()
    {
        // clevel 9 is LZ4 acceleration 1: the only one that finds the matches of these 240-byte chunks, so the frame
        // holds an LZ4 stream to corrupt rather than a plain copy.
        ZarrArray array = WrittenArray(new BloscCodec(BloscCompressor.LZ4, 9, BloscShuffle.NoShuffle));
        int streamLength = 0;
        Corrupt("a/0.0", b =>
        {
            streamLength = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(20));
            b.AsSpan(24, streamLength).Fill(0xFF);
            return b;
        });
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            $"Blosc frame of chunk 'a/0.0': block 0 stream 0 (lz4, {streamLength} bytes at byte 24) is corrupt, expected 240 decoded bytes.");
    }

    [Fact]
    public void BloscCorruptBloscLZStream()
    {
        ZarrArray array = WrittenArray(new BloscCodec(BloscCompressor.BloscLZ, 5, BloscShuffle.NoShuffle));
        int streamLength = 0;
        Corrupt("a/0.0", b =>
        {
            streamLength = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(20));
            b[24] = 0;          // a 1-byte literal run...
            b[26] = 0x3F;       // ...then a match whose distance reaches before the start of the output
            b[27] = 0xFE;
            return b;
        });
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            $"Blosc frame of chunk 'a/0.0': block 0 stream 0 (blosclz, {streamLength} bytes at byte 24) is corrupt, expected 240 decoded bytes.");
    }

    [Fact]
    public void BloscSnappyFrame()
    {
        ZarrArray array = WrittenArray(new BloscCodec());
        Corrupt("a/0.0", b => { b[2] = (byte)((b[2] & 0x1F) | (2 << 5)); return b; });
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': compressor snappy (flags 0x41) is not supported: expected blosclz, lz4, zlib or zstd.");
    }

    [Fact]
    public void BloscPlainCopyWrongLength()
    {
        ZarrArray array = WrittenArray(new BloscCodec(BloscCompressor.LZ4, 0));
        Corrupt("a/0.0", b => SetInt32(b, 12, 400));
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "Blosc frame of chunk 'a/0.0': a plain-copy frame of 480 bytes must be 496 bytes long, the header says 400.");
    }

    [Fact]
    public void ZstdWrongDecodedSize()
    {
        ZarrArray array = WrittenArray(new ZstdCodec(3));
        byte[] other = new byte[1000];
        byte[] frame = new byte[new ZstdCodec(3).GetMaxEncodedLength(1000)];
        int n = new ZstdCodec(3).Encode(other, frame, new ZarrCodecContext(2, null));
        _temp.Store.Set("a/0.0", frame.AsSpan(0, n));
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "zstd frame of chunk 'a/0.0' declares 1000 decoded bytes; the chunk needs 480.");
    }

    [Fact]
    public void ZstdCorrupt()
    {
        ZarrArray array = WrittenArray(new ZstdCodec(3));
        int length = Corrupt("a/0.0", b => { b.AsSpan(8).Fill(0x55); return b; });
        var e = Assert.Throws<ZarrCodecException>(() => ReadAll(array));
        Assert.StartsWith($"zstd data of chunk 'a/0.0' ({length} bytes) does not decode to 480 bytes: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipTruncated()
    {
        ZarrArray array = WrittenArray(new GzipCodec(5));
        Corrupt("a/0.0", b => b[..(b.Length / 2)]);
        var e = Assert.Throws<ZarrCodecException>(() => ReadAll(array));
        Assert.StartsWith("gzip data of chunk 'a/0.0' (", e.Message, StringComparison.Ordinal);
        Assert.Contains("the chunk needs 480", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZlibCorrupt()
    {
        ZarrArray array = WrittenArray(new ZlibCodec(5));
        int length = Corrupt("a/0.0", b => { b[0] = 0x12; return b; });
        var e = Assert.Throws<ZarrCodecException>(() => ReadAll(array));
        Assert.StartsWith($"zlib data of chunk 'a/0.0' ({length} bytes) is corrupt after 0 decoded bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lz4SizeLie()
    {
        ZarrArray array = WrittenArray(new Lz4Codec());
        Corrupt("a/0.0", b => SetInt32(b, 0, int.MaxValue));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertBad<ZarrCodecException>(
            () => ReadAll(array),
            "lz4 header of chunk 'a/0.0' at offset 0 declares 2147483647 decoded bytes; the chunk needs 480.");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20));
    }

    [Fact]
    public void Lz4TruncatedBlock()
    {
        ZarrArray array = WrittenArray(new Lz4Codec());
        int length = Corrupt("a/0.0", b => b[..(b.Length - 20)]);
        var e = Assert.Throws<ZarrCodecException>(() => ReadAll(array));
        Assert.StartsWith($"lz4 block of chunk 'a/0.0' ({length - 4} bytes from offset 4) is corrupt or truncated: expected 480 decoded bytes, decoder returned ", e.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ helpers

    private static ZarrArrayMetadata Metadata(IZarrCodec? codec) => new()
    {
        Shape = [37, 23],
        Chunks = [20, 12],
        DataType = ZarrDataType.UInt16,
        Compressor = codec,
    };

    private ZarrArray WrittenArray(IZarrCodec codec)
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", Metadata(codec));
        array.WriteRegion([0, 0], [37, 23], Conformance.ElementPattern.Bytes(ZarrDataType.UInt16, 37 * 23));
        return array;
    }

    private int Corrupt(string key, Func<byte[], byte[]> change)
    {
        byte[] bytes = change(_temp.Store.TryGetBytes(key)!);
        _temp.Store.Set(key, bytes);
        return bytes.Length;
    }

    private static byte[] SetInt32(byte[] bytes, int offset, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
        return bytes;
    }

    private static void ReadAll(ZarrArray array) => array.ReadRegion([0, 0], [37, 23], new byte[37 * 23 * 2]);

    private void AssertBadArray<T>(string zarray, string message)
        where T : ZarrFormatException
    {
        _temp.Store.Set("a/.zarray", Encoding.UTF8.GetBytes(zarray));
        AssertBad<T>(() => ZarrArray.Open(_temp.Store, "a"), message);
    }

    private static void AssertBad<T>(Action action, string message)
        where T : ZarrFormatException
    {
        T e = Assert.Throws<T>(action);
        Assert.Equal(message, e.Message);
    }

    private static void AssertBad<T>(Func<object?> action, string message)
        where T : ZarrFormatException => AssertBad<T>(() => { _ = action(); }, message);
}
