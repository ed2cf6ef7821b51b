using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ZstdSharp;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>numcodecs <c>zstd</c>: one Zstandard frame per chunk (<c>{"id": "zstd", "level": N}</c>, optional <c>"checksum"</c>).</summary>
public sealed class ZstdCodec : IZarrCodec
{
    /// <summary>The numcodecs id.</summary>
    public const string CodecId = "zstd";

    // Zstd contexts are expensive to create and not thread-safe: keep a few per codec, one per concurrent caller.
    private readonly ConcurrentBag<Compressor> _compressors = [];
    private readonly ConcurrentBag<Decompressor> _decompressors = [];

    /// <summary>A zstd codec.</summary>
    /// <param name="level">Compression level (1–22; 0 means zstd's default, 3; negative levels are faster).</param>
    /// <param name="checksum">Append a content checksum to each frame.</param>
    public ZstdCodec(int level = 1, bool checksum = false)
    {
        if (level < Compressor.MinCompressionLevel || level > Compressor.MaxCompressionLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"zstd level must be between {Compressor.MinCompressionLevel} and {Compressor.MaxCompressionLevel}.");
        }

        Level = level;
        Checksum = checksum;
    }

    /// <inheritdoc />
    public string Id => CodecId;

    /// <summary>The compression level.</summary>
    public int Level { get; }

    /// <summary>Whether frames carry a content checksum.</summary>
    public bool Checksum { get; }

    /// <summary>Builds the codec from <c>{"id": "zstd", "level": N, "checksum": bool}</c>.</summary>
    /// <param name="configuration">The JSON configuration.</param>
    public static IZarrCodec FromConfiguration(ZarrCodecConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        int level = configuration.GetInt32("level", 1);
        if (level < Compressor.MinCompressionLevel || level > Compressor.MaxCompressionLevel)
        {
            throw configuration.Error($"\"level\" must be between {Compressor.MinCompressionLevel} and {Compressor.MaxCompressionLevel}, found {level}");
        }

        bool checksum = configuration.Json["checksum"] is JsonValue v && v.TryGetValue(out bool b) && b;
        return new ZstdCodec(level, checksum);
    }

    /// <inheritdoc />
    public int GetMaxEncodedLength(int decodedLength) => Compressor.GetCompressBound(decodedLength);

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        if (!_compressors.TryTake(out Compressor? compressor))
        {
            compressor = new Compressor(Level);
            if (Checksum)
            {
                compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
            }
        }

        try
        {
            return compressor.Wrap(source, destination);
        }
        catch (ZstdException e)
        {
            throw new ZarrCodecException($"zstd could not compress chunk '{context.Key}': {e.Message}", context.Key, e);
        }
        finally
        {
            _compressors.Add(compressor);
        }
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        ulong declared = ZstdFrames.DeclaredContentSize(source);
        if (declared != ZstdFrames.UnknownSize && declared != (ulong)destination.Length)
        {
            throw new ZarrCodecException(
                $"zstd frame of chunk '{context.Key}' declares {declared} decoded bytes; the chunk needs {destination.Length}.", context.Key);
        }

        Decompressor decompressor = _decompressors.TryTake(out Decompressor? d) ? d : new Decompressor();
        int written;
        try
        {
            written = decompressor.Unwrap(source, destination);
        }
        catch (ZstdException e)
        {
            throw new ZarrCodecException(
                $"zstd data of chunk '{context.Key}' ({source.Length} bytes) does not decode to {destination.Length} bytes: {e.Message}", context.Key, e);
        }
        finally
        {
            _decompressors.Add(decompressor);
        }

        if (written != destination.Length)
        {
            throw new ZarrCodecException(
                $"zstd data of chunk '{context.Key}' decodes to {written} bytes; the chunk needs {destination.Length}.", context.Key);
        }
    }

    /// <inheritdoc />
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = CodecId, ["level"] = Level };
        if (Checksum)
        {
            json["checksum"] = true;
        }

        return json;
    }
}
