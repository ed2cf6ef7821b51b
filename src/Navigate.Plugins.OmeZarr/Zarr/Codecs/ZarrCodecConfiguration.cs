using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A codec's JSON configuration (<c>{"id": "blosc", "cname": "lz4", ...}</c>) with typed getters whose errors name the
/// metadata key and the property. Codec factories receive one of these.
/// </summary>
public sealed class ZarrCodecConfiguration
{
    /// <summary>Wraps a JSON configuration.</summary>
    /// <param name="json">The configuration object; must have a string <c>id</c>.</param>
    /// <param name="key">The metadata key it came from (for messages), if any.</param>
    public ZarrCodecConfiguration(JsonObject json, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        Json = json;
        Key = key;
        Id = json["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ZarrCodecException($"Codec configuration {ZarrMetadataJson.Describe(json)} in '{key}' has no string \"id\".", key);
    }

    /// <summary>The codec id.</summary>
    public string Id { get; }

    /// <summary>The whole JSON object.</summary>
    public JsonObject Json { get; }

    /// <summary>The metadata key the configuration came from.</summary>
    public string? Key { get; }

    /// <summary>An integer property; <paramref name="defaultValue"/> when absent (or required when that is null).</summary>
    /// <param name="name">The property name.</param>
    /// <param name="defaultValue">The value when the property is absent; null makes it required.</param>
    public int GetInt32(string name, int? defaultValue = null)
    {
        JsonNode? node = Json[name];
        if (node is null)
        {
            return defaultValue ?? throw Error($"property \"{name}\" is required");
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i))
        {
            return i;
        }

        throw Error($"property \"{name}\" must be a 32-bit integer, found {ZarrMetadataJson.Describe(node)}");
    }

    /// <summary>A string property; <paramref name="defaultValue"/> when absent (or required when that is null).</summary>
    /// <param name="name">The property name.</param>
    /// <param name="defaultValue">The value when the property is absent; null makes it required.</param>
    public string GetString(string name, string? defaultValue = null)
    {
        JsonNode? node = Json[name];
        if (node is null)
        {
            return defaultValue ?? throw Error($"property \"{name}\" is required");
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        throw Error($"property \"{name}\" must be a string, found {ZarrMetadataJson.Describe(node)}");
    }

    /// <summary>A <see cref="ZarrCodecException"/> about this configuration: "Codec 'id' in 'key': message."</summary>
    /// <param name="message">What is wrong.</param>
    public ZarrCodecException Error(string message) =>
        new($"Codec '{Id}' in '{Key}': {message} (configuration {ZarrMetadataJson.Describe(Json)}).", Key);
}
