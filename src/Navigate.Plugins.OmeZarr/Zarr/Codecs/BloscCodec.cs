using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZstdSharp;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>The compressor inside a blosc frame (numcodecs <c>cname</c>).</summary>
public enum BloscCompressor
{
    /// <summary><c>blosclz</c>: blosc's own LZ77 (our own decoder and encoder).</summary>
    BloscLZ,

    /// <summary><c>lz4</c>.</summary>
    LZ4,

    /// <summary><c>lz4hc</c>: LZ4's high-compression mode (same block format as lz4).</summary>
    LZ4HC,

    /// <summary><c>zlib</c>.</summary>
    Zlib,

    /// <summary><c>zstd</c>.</summary>
    Zstd,
}

/// <summary>The shuffle blosc applies before compressing (numcodecs <c>shuffle</c>).</summary>
public enum BloscShuffle
{
    /// <summary>-1: bit shuffle for 1-byte elements, byte shuffle otherwise (numcodecs' AUTOSHUFFLE).</summary>
    Auto = -1,

    /// <summary>0: none.</summary>
    NoShuffle = 0,

    /// <summary>1: byte shuffle (the n-th bytes of all elements together).</summary>
    ByteShuffle = 1,

    /// <summary>2: bit shuffle (the n-th bits of all elements together).</summary>
    BitShuffle = 2,
}

/// <summary>
/// numcodecs <c>blosc</c>: the blosc 1 frame (16-byte header, block offsets, per-block split streams) around lz4,
/// lz4hc, zstd, zlib or blosclz, with byte or bit shuffle. The container, the shuffles and blosclz are our own code.
/// </summary>
/// <remarks>
/// Frames are written the way c-blosc 1.x writes them (same automatic block size, same split rules), so zarr-python,
/// zarrita and every other blosc reader decode them; every frame c-blosc writes decodes here.
/// </remarks>
public sealed class BloscCodec : IZarrCodec
{
    /// <summary>The numcodecs id.</summary>
    public const string CodecId = "blosc";

    private readonly ConcurrentBag<Compressor> _zstdCompressors = [];

    /// <summary>A blosc codec; the defaults are zarr-python 2's default compressor.</summary>
    /// <param name="compressor">The inner compressor.</param>
    /// <param name="level">Compression level 0–9 (0 stores the data uncompressed inside the frame).</param>
    /// <param name="shuffle">The shuffle.</param>
    /// <param name="blockSize">Block size in bytes, or 0 for c-blosc's automatic choice.</param>
    public BloscCodec(BloscCompressor compressor = BloscCompressor.LZ4, int level = 5, BloscShuffle shuffle = BloscShuffle.ByteShuffle, int blockSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        ArgumentOutOfRangeException.ThrowIfNegative(blockSize);
        if (!Enum.IsDefined(compressor))
        {
            throw new ArgumentOutOfRangeException(nameof(compressor), compressor, "Unknown blosc compressor.");
        }

        if (!Enum.IsDefined(shuffle))
        {
            throw new ArgumentOutOfRangeException(nameof(shuffle), shuffle, "Unknown blosc shuffle.");
        }

        Compressor = compressor;
        Level = level;
        Shuffle = shuffle;
        BlockSize = blockSize;
    }

    /// <inheritdoc />
    public string Id => CodecId;

    /// <summary>The inner compressor.</summary>
    public BloscCompressor Compressor { get; }

    /// <summary>The compression level.</summary>
    public int Level { get; }

    /// <summary>The shuffle.</summary>
    public BloscShuffle Shuffle { get; }

    /// <summary>The block size in bytes; 0 is automatic.</summary>
    public int BlockSize { get; }

    /// <summary>The numcodecs <c>cname</c> of <see cref="Compressor"/>.</summary>
    public string CompressorName => NameOf(Compressor);

    /// <summary>Builds the codec from <c>{"id": "blosc", "cname": ..., "clevel": N, "shuffle": S, "blocksize": B}</c>.</summary>
    /// <param name="configuration">The JSON configuration.</param>
    public static IZarrCodec FromConfiguration(ZarrCodecConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string cname = configuration.GetString("cname", "lz4");
        BloscCompressor compressor = cname switch
        {
            "blosclz" => BloscCompressor.BloscLZ,
            "lz4" => BloscCompressor.LZ4,
            "lz4hc" => BloscCompressor.LZ4HC,
            "zlib" => BloscCompressor.Zlib,
            "zstd" => BloscCompressor.Zstd,
            _ => throw configuration.Error($"\"cname\" '{cname}' is not supported: expected blosclz, lz4, lz4hc, zlib or zstd"),
        };
        int level = configuration.GetInt32("clevel", 5);
        if (level is < 0 or > 9)
        {
            throw configuration.Error($"\"clevel\" must be between 0 and 9, found {level}");
        }

        int shuffle = configuration.GetInt32("shuffle", 1);
        if (shuffle is < -1 or > 2)
        {
            throw configuration.Error($"\"shuffle\" must be -1, 0, 1 or 2, found {shuffle}");
        }

        int blockSize = configuration.GetInt32("blocksize", 0);
        if (blockSize < 0)
        {
            throw configuration.Error($"\"blocksize\" must be 0 (automatic) or positive, found {blockSize}");
        }

        return new BloscCodec(compressor, level, (BloscShuffle)shuffle, blockSize);
    }

    /// <inheritdoc />
    public int GetMaxEncodedLength(int decodedLength) => BloscFrame.MaxEncodedLength(decodedLength);

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) =>
        BloscFrame.Encode(source, destination, context.ItemSize, this);

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) =>
        BloscFrame.Decode(source, destination, context.Key);

    /// <inheritdoc />
    public JsonObject ToJson() => new()
    {
        ["id"] = CodecId,
        ["cname"] = CompressorName,
        ["clevel"] = Level,
        ["shuffle"] = (int)Shuffle,
        ["blocksize"] = BlockSize,
    };

    internal Compressor RentZstdCompressor() =>
        _zstdCompressors.TryTake(out Compressor? c) ? c : new Compressor(BloscFrame.ZstdLevel(Level));

    internal void ReturnZstdCompressor(Compressor compressor) => _zstdCompressors.Add(compressor);

    internal static string NameOf(BloscCompressor compressor) => compressor switch
    {
        BloscCompressor.BloscLZ => "blosclz",
        BloscCompressor.LZ4 => "lz4",
        BloscCompressor.LZ4HC => "lz4hc",
        BloscCompressor.Zlib => "zlib",
        _ => "zstd",
    };
}
