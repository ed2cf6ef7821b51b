using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Codec factories by numcodecs id. <see cref="Default"/> knows <c>blosc</c>, <c>zstd</c>, <c>gzip</c>, <c>zlib</c> and
/// <c>lz4</c>; add more with <see cref="Register"/>.
/// </summary>
public sealed class ZarrCodecRegistry
{
    private readonly ConcurrentDictionary<string, Func<ZarrCodecConfiguration, IZarrCodec>> _factories = new(StringComparer.Ordinal);

    /// <summary>The shared registry with the built-in codecs; registering on it extends every array opened without an explicit registry.</summary>
    public static ZarrCodecRegistry Default { get; } = CreateDefault();

    /// <summary>The ids that have a factory.</summary>
    public IReadOnlyCollection<string> Ids => [.. _factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A new registry with the built-in codecs.</summary>
    public static ZarrCodecRegistry CreateDefault()
    {
        var registry = new ZarrCodecRegistry();
        registry.Register(BloscCodec.CodecId, BloscCodec.FromConfiguration);
        registry.Register(ZstdCodec.CodecId, ZstdCodec.FromConfiguration);
        registry.Register(GzipCodec.CodecId, GzipCodec.FromConfiguration);
        registry.Register(ZlibCodec.CodecId, ZlibCodec.FromConfiguration);
        registry.Register(Lz4Codec.CodecId, Lz4Codec.FromConfiguration);
        return registry;
    }

    /// <summary>Adds or replaces the factory for <paramref name="id"/>.</summary>
    /// <param name="id">The numcodecs id.</param>
    /// <param name="factory">Builds a codec from its configuration; throws <see cref="ZarrCodecException"/> (via <see cref="ZarrCodecConfiguration.Error"/>) on bad settings.</param>
    public ZarrCodecRegistry Register(string id, Func<ZarrCodecConfiguration, IZarrCodec> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(factory);
        _factories[id] = factory;
        return this;
    }

    /// <summary>True when <paramref name="id"/> has a factory.</summary>
    /// <param name="id">The numcodecs id.</param>
    public bool IsRegistered(string id) => _factories.ContainsKey(id);

    /// <summary>Builds the codec a JSON configuration describes; <see cref="ZarrCodecException"/> for unknown ids or bad settings.</summary>
    /// <param name="json">The configuration (<c>{"id": ..., ...}</c>).</param>
    /// <param name="key">The metadata key it came from, for messages.</param>
    public IZarrCodec Create(JsonObject json, string? key = null)
    {
        var configuration = new ZarrCodecConfiguration(json, key);
        if (!_factories.TryGetValue(configuration.Id, out var factory))
        {
            throw new ZarrCodecException(
                $"Unknown codec '{configuration.Id}' in '{key}': known codecs are {string.Join(", ", Ids)}.", key);
        }

        return factory(configuration);
    }
}
