using System.Buffers.Binary;
using System.Text.Json.Nodes;
using K4os.Compression.LZ4;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// numcodecs <c>lz4</c>: a 4-byte little-endian decoded size, then one LZ4 block (<c>{"id": "lz4", "acceleration": N}</c>).
/// </summary>
public sealed class Lz4Codec : IZarrCodec
{
    /// <summary>The numcodecs id.</summary>
    public const string CodecId = "lz4";

    /// <summary>An lz4 codec.</summary>
    /// <param name="acceleration">numcodecs' acceleration (1 = best ratio).</param>
    public Lz4Codec(int acceleration = 1)
    {
        Acceleration = acceleration;
    }

    /// <inheritdoc />
    public string Id => CodecId;

    /// <summary>numcodecs' acceleration: 1 is the best ratio, larger values compress faster.</summary>
    public int Acceleration { get; }

    /// <summary>Builds the codec from <c>{"id": "lz4", "acceleration": N}</c>.</summary>
    /// <param name="configuration">The JSON configuration.</param>
    public static IZarrCodec FromConfiguration(ZarrCodecConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new Lz4Codec(configuration.GetInt32("acceleration", 1));
    }

    /// <inheritdoc />
    public int GetMaxEncodedLength(int decodedLength) => 4 + LZ4Codec.MaximumOutputSize(decodedLength);

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        if (destination.Length < 4)
        {
            throw new ArgumentException("The destination is too small.", nameof(destination));
        }

        BinaryPrimitives.WriteInt32LittleEndian(destination, source.Length);
        int n = Lz4FastEncoder.Encode(source, destination[4..], Acceleration);
        if (n < 0 || (n == 0 && !source.IsEmpty))
        {
            throw new ArgumentException($"The destination ({destination.Length} bytes) is too small for lz4 output.", nameof(destination));
        }

        return 4 + n;
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        if (source.Length < 4)
        {
            throw new ZarrCodecException(
                $"lz4 data of chunk '{context.Key}' is {source.Length} bytes: too short for the 4-byte size header.", context.Key);
        }

        int declared = BinaryPrimitives.ReadInt32LittleEndian(source);
        if (declared != destination.Length)
        {
            throw new ZarrCodecException(
                $"lz4 header of chunk '{context.Key}' at offset 0 declares {declared} decoded bytes; the chunk needs {destination.Length}.", context.Key);
        }

        int n = LZ4Codec.Decode(source[4..], destination);
        if (n != destination.Length)
        {
            throw new ZarrCodecException(
                $"lz4 block of chunk '{context.Key}' ({source.Length - 4} bytes from offset 4) is corrupt or truncated: "
                + $"expected {destination.Length} decoded bytes, decoder returned {n}.", context.Key);
        }
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["id"] = CodecId, ["acceleration"] = Acceleration };
}
