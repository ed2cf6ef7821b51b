using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A bytes-to-bytes codec (a numcodecs compressor or filter): turns a chunk's bytes into stored bytes and back, with
/// caller-owned buffers. Implementations are immutable and thread-safe: several threads may encode and decode chunks
/// with one instance at the same time.
/// </summary>
/// <remarks>
/// Register new codecs with <see cref="ZarrCodecRegistry.Register"/>. Zarr v3's bytes-to-bytes codecs (blosc, gzip,
/// zstd, crc32c) fit this interface as they are; array-to-bytes codecs (bytes, sharding) will get their own.
/// </remarks>
public interface IZarrCodec
{
    /// <summary>The numcodecs id (<c>"blosc"</c>, <c>"zstd"</c>...), as written in the JSON configuration.</summary>
    string Id { get; }

    /// <summary>An upper bound on the encoded length of <paramref name="decodedLength"/> bytes: size destination buffers with it.</summary>
    /// <param name="decodedLength">The length of the bytes to encode.</param>
    int GetMaxEncodedLength(int decodedLength);

    /// <summary>Encodes <paramref name="source"/> into <paramref name="destination"/> and returns the encoded length.</summary>
    /// <param name="source">The chunk's bytes (elements little endian).</param>
    /// <param name="destination">At least <see cref="GetMaxEncodedLength"/> bytes.</param>
    /// <param name="context">The element size (for shuffles) and the chunk's key (for messages).</param>
    int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context);

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>, which is exactly as long as the decoded
    /// bytes must be. Throws <see cref="ZarrCodecException"/> (naming the key, the offset and what was expected) if
    /// the bytes are corrupt, truncated, or decode to another length; never reads or writes outside the two spans.
    /// </summary>
    /// <param name="source">The stored bytes.</param>
    /// <param name="destination">Exactly the decoded length.</param>
    /// <param name="context">The element size and the chunk's key.</param>
    void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context);

    /// <summary>The JSON configuration, as numcodecs writes it (<c>{"id": "zstd", "level": 5}</c>).</summary>
    JsonObject ToJson();
}

/// <summary>What a codec needs to know about the chunk it encodes or decodes.</summary>
/// <param name="ItemSize">Bytes per array element (blosc's typesize).</param>
/// <param name="Key">The chunk's store key, for error messages; may be null.</param>
public readonly record struct ZarrCodecContext(int ItemSize, string? Key);
