using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Reading and writing the JSON documents of a node (array or group) in a store.</summary>
internal static class ZarrNodeDocuments
{
    public static JsonObject? TryReadObject(IZarrStore store, string key)
    {
        byte[]? bytes = store.TryGetBytes(key);
        return bytes is null ? null : ZarrMetadataJson.ParseObject(bytes, key);
    }

    public static JsonObject ReadAttributes(IZarrStore store, string path) =>
        TryReadObject(store, ZarrKey.Join(path, ZarrMetadataJson.AttributesKey)) ?? [];

    public static void WriteAttributes(IZarrStore store, string path, JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        store.Set(ZarrKey.Join(path, ZarrMetadataJson.AttributesKey), ZarrMetadataJson.Serialize(attributes, sortKeys: false));
    }

    public static JsonObject ReadV3Attributes(IZarrStore store, string path)
    {
        string key = ZarrKey.Join(path, ZarrV3MetadataJson.NodeKey);
        JsonObject node = TryReadObject(store, key) ?? throw new ZarrNodeNotFoundException($"No Zarr v3 node at '{DisplayPath(path)}': '{key}' does not exist.", key);
        return (JsonObject)ZarrV3MetadataJson.Attributes(node, key).DeepClone();
    }

    /// <summary>Rewrites <c>zarr.json</c> with new attributes (the rest of the document is kept).</summary>
    public static void WriteV3Attributes(IZarrStore store, string path, JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        string key = ZarrKey.Join(path, ZarrV3MetadataJson.NodeKey);
        JsonObject node = TryReadObject(store, key) ?? throw new ZarrNodeNotFoundException($"No Zarr v3 node at '{DisplayPath(path)}': '{key}' does not exist.", key);
        node["attributes"] = attributes.DeepClone();
        store.Set(key, ZarrMetadataJson.Serialize(node, sortKeys: false));
    }

    /// <summary>Refuses to create a node where one exists, or deletes everything under the path when overwriting.</summary>
    public static void PrepareForCreate(IZarrStore store, string path, bool overwrite)
    {
        if (overwrite)
        {
            foreach (string key in store.List(path).ToList())
            {
                store.Delete(key);
            }

            return;
        }

        string arrayKey = ZarrKey.Join(path, ZarrMetadataJson.ArrayKey);
        if (store.Exists(arrayKey))
        {
            throw new ZarrNodeExistsException($"An array already exists at '{DisplayPath(path)}' ('{arrayKey}'); pass overwrite to replace it.", arrayKey);
        }

        string groupKey = ZarrKey.Join(path, ZarrMetadataJson.GroupKey);
        if (store.Exists(groupKey))
        {
            throw new ZarrNodeExistsException($"A group already exists at '{DisplayPath(path)}' ('{groupKey}'); pass overwrite to replace it.", groupKey);
        }

        string nodeKey = ZarrKey.Join(path, ZarrV3MetadataJson.NodeKey);
        if (store.Exists(nodeKey))
        {
            throw new ZarrNodeExistsException($"A Zarr v3 node already exists at '{DisplayPath(path)}' ('{nodeKey}'); pass overwrite to replace it.", nodeKey);
        }
    }

    public static string DisplayPath(string path) => path.Length == 0 ? "/" : path;
}
