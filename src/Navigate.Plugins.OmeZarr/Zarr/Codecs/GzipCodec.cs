using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>numcodecs <c>gzip</c>: one gzip stream per chunk (<c>{"id": "gzip", "level": N}</c>).</summary>
public sealed class GzipCodec : IZarrCodec
{
    /// <summary>The numcodecs id.</summary>
    public const string CodecId = "gzip";

    /// <summary>A gzip codec.</summary>
    /// <param name="level">Compression level 0–9.</param>
    public GzipCodec(int level = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        Level = level;
    }

    /// <inheritdoc />
    public string Id => CodecId;

    /// <summary>The compression level.</summary>
    public int Level { get; }

    /// <summary>Builds the codec from <c>{"id": "gzip", "level": N}</c>.</summary>
    /// <param name="configuration">The JSON configuration.</param>
    public static IZarrCodec FromConfiguration(ZarrCodecConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        int level = configuration.GetInt32("level", 1);
        if (level is < 0 or > 9)
        {
            throw configuration.Error($"\"level\" must be between 0 and 9, found {level}");
        }

        return new GzipCodec(level);
    }

    /// <inheritdoc />
    public int GetMaxEncodedLength(int decodedLength) => DeflateStreams.MaxEncodedLength(decodedLength);

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) =>
        DeflateStreams.Encode(source, destination, Level, gzip: true);

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> source, Span<byte> destination, in ZarrCodecContext context) =>
        DeflateStreams.Decode(source, destination, gzip: true, CodecId, context.Key);

    /// <inheritdoc />
    public JsonObject ToJson() => new() { ["id"] = CodecId, ["level"] = Level };
}
