using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Zarr v3 <c>crc32c</c>: appends the CRC-32C (Castagnoli) of the bytes, little endian; decoding checks it and strips it.
/// </summary>
/// <remarks>Uses the CPU's CRC32 instruction where there is one (<see cref="BitOperations.Crc32C(uint, ulong)"/>).</remarks>
public sealed class Crc32cCodec : IZarrCodec
{
    /// <summary>The v3 codec name.</summary>
    public const string CodecId = "crc32c";

    /// <summary>The checksum's length in bytes.</summary>
    public const int ChecksumLength = 4;

    /// <summary>The one instance (the codec has no settings).</summary>
    public static Crc32cCodec Instance { get; } = new();

    /// <inheritdoc />
    public string Id => CodecId;

    /// <summary>Builds the codec from its (empty) configuration.</summary>
    /// <param name="configuration">The JSON configuration.</param>
    public static IZarrCodec FromConfiguration(ZarrCodecConfiguration configuration) => Instance;

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF).</summary>
    /// <param name="data">The bytes.</param>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <inheritdoc />
    public int GetMaxEncodedLength(int decodedLength) => checked(decodedLength + ChecksumLength);

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        if (destination.Length < source.Length + ChecksumLength)
        {
            throw new ArgumentException($"The destination ({destination.Length} bytes) is smaller than {source.Length} + 4 bytes.", nameof(destination));
        }

        source.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[source.Length..], Compute(source));
        return source.Length + ChecksumLength;
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context)
    {
        if (source.Length != destination.Length + ChecksumLength)
        {
            throw new ZarrCodecException(
                $"crc32c in '{context.Key}': expected {destination.Length} bytes plus a 4-byte checksum, found {source.Length} bytes.", context.Key);
        }

        ReadOnlySpan<byte> payload = source[..destination.Length];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(source[destination.Length..]);
        uint computed = Compute(payload);
        if (stored != computed)
        {
            throw new ZarrCodecException(
                $"crc32c mismatch in '{context.Key}' at offset {destination.Length}: stored 0x{stored:x8}, computed 0x{computed:x8} over {destination.Length} bytes (the data is corrupt).", context.Key);
        }

        payload.CopyTo(destination);
    }

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["id"] = CodecId };
}
