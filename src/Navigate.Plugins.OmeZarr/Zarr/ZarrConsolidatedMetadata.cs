using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Consolidated metadata: one <c>.zmetadata</c> document holding every <c>.zarray</c>, <c>.zgroup</c> and
/// <c>.zattrs</c> below a group, in zarr-python's format
/// <c>{"metadata": {"a/.zarray": {...}, ...}, "zarr_consolidated_format": 1}</c>, keys relative to that group.
/// </summary>
public static class ZarrConsolidatedMetadata
{
    /// <summary>The document's name.</summary>
    public const string DocumentName = ".zmetadata";

    /// <summary>Collects every metadata document below <paramref name="path"/> and writes <c>path/.zmetadata</c>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The group's node path; empty for the root.</param>
    public static void Write(IZarrStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        int skip = normalized.Length == 0 ? 0 : normalized.Length + 1;
        var metadata = new JsonObject();
        foreach (string key in store.List(normalized))
        {
            string name = key[(key.LastIndexOf('/') + 1)..];
            if (name is ZarrMetadataJson.ArrayKey or ZarrMetadataJson.GroupKey or ZarrMetadataJson.AttributesKey)
            {
                metadata[key[skip..]] = ZarrNodeDocuments.TryReadObject(store, key);
            }
        }

        var document = new JsonObject { ["metadata"] = metadata, ["zarr_consolidated_format"] = 1 };
        store.Set(ZarrKey.Join(normalized, DocumentName), ZarrMetadataJson.Serialize(document));
    }

    /// <summary>
    /// Reads <c>path/.zmetadata</c>: the documents by key relative to <paramref name="path"/>, or null if there is no
    /// such document. <see cref="ZarrMetadataException"/> if it is malformed.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The group's node path; empty for the root.</param>
    public static IReadOnlyDictionary<string, JsonObject>? TryRead(IZarrStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        string key = ZarrKey.Join(normalized, DocumentName);
        JsonObject? document = ZarrNodeDocuments.TryReadObject(store, key);
        if (document is null)
        {
            return null;
        }

        JsonNode? format = document["zarr_consolidated_format"];
        if (format is not JsonValue fv || fv.GetValueKind() != JsonValueKind.Number || !fv.TryGetValue(out int f) || f != 1)
        {
            throw new ZarrMetadataException(
                $"'{key}': \"zarr_consolidated_format\" must be 1, found {ZarrMetadataJson.Describe(format)}.", key);
        }

        if (document["metadata"] is not JsonObject entries)
        {
            throw new ZarrMetadataException(
                $"'{key}': \"metadata\" must be an object of documents by key, found {ZarrMetadataJson.Describe(document["metadata"])}.", key);
        }

        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (entryKey, value) in entries)
        {
            ZarrKey.Validate(entryKey);
            result[entryKey] = value as JsonObject ?? throw new ZarrMetadataException(
                $"'{key}': entry \"{entryKey}\" must be a JSON object, found {ZarrMetadataJson.Describe(value)}.", key);
        }

        return result;
    }
}
