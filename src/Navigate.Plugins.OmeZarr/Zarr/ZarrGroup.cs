using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>A Zarr v2 group: a node with a <c>.zgroup</c>, attributes, and child arrays and groups.</summary>
public sealed class ZarrGroup
{
    private ZarrGroup(IZarrStore store, string path)
    {
        Store = store;
        Path = path;
    }

    /// <summary>The store holding the group.</summary>
    public IZarrStore Store { get; }

    /// <summary>The group's node path (empty for the root).</summary>
    public string Path { get; }

    /// <summary>
    /// Creates a group at <paramref name="path"/> (writes <c>.zgroup</c>, and <c>.zattrs</c> if given). Throws
    /// <see cref="ZarrNodeExistsException"/> if an array or group is already there, unless <paramref name="overwrite"/>,
    /// which first deletes everything under the path.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path; empty for the root.</param>
    /// <param name="attributes">Attributes for <c>.zattrs</c>, or null.</param>
    /// <param name="overwrite">Replace whatever is at the path.</param>
    public static ZarrGroup Create(IZarrStore store, string path = "", JsonObject? attributes = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        ZarrNodeDocuments.PrepareForCreate(store, normalized, overwrite);
        store.Set(ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey), ZarrMetadataJson.Serialize(ZarrMetadataJson.GroupJson()));
        if (attributes is not null)
        {
            ZarrNodeDocuments.WriteAttributes(store, normalized, attributes);
        }

        return new ZarrGroup(store, normalized);
    }

    /// <summary>Opens the group at <paramref name="path"/>; <see cref="ZarrNodeNotFoundException"/> if there is no <c>.zgroup</c>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path; empty for the root.</param>
    public static ZarrGroup Open(IZarrStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        string key = ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey);
        JsonObject json = ZarrNodeDocuments.TryReadObject(store, key) ?? throw NotFound(store, normalized, key);
        ZarrMetadataJson.ValidateGroup(json, key);
        return new ZarrGroup(store, normalized);
    }

    /// <summary>Opens the group at <paramref name="path"/>, creating it (and nothing else) if it does not exist.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path; empty for the root.</param>
    public static ZarrGroup OpenOrCreate(IZarrStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        return store.Exists(ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey)) ? Open(store, normalized) : Create(store, normalized);
    }

    /// <summary>The group's attributes (<c>.zattrs</c>); empty if it has none.</summary>
    public JsonObject ReadAttributes() => ZarrNodeDocuments.ReadAttributes(Store, Path);

    /// <summary>Replaces the group's attributes (<c>.zattrs</c>).</summary>
    /// <param name="attributes">The new attributes.</param>
    public void WriteAttributes(JsonObject attributes) => ZarrNodeDocuments.WriteAttributes(Store, Path, attributes);

    /// <summary>Creates a child group.</summary>
    /// <param name="name">The child's name (may contain <c>/</c> for deeper paths).</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="overwrite">Replace whatever is there.</param>
    public ZarrGroup CreateGroup(string name, JsonObject? attributes = null, bool overwrite = false) =>
        Create(Store, ChildPath(name), attributes, overwrite);

    /// <summary>Opens a child group.</summary>
    /// <param name="name">The child's name.</param>
    public ZarrGroup OpenGroup(string name) => Open(Store, ChildPath(name));

    /// <summary>Creates a child array.</summary>
    /// <param name="name">The child's name.</param>
    /// <param name="metadata">The array's metadata.</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="overwrite">Replace whatever is there.</param>
    public ZarrArray CreateArray(string name, ZarrArrayMetadata metadata, JsonObject? attributes = null, bool overwrite = false) =>
        ZarrArray.Create(Store, ChildPath(name), metadata, attributes, overwrite);

    /// <summary>Opens a child array.</summary>
    /// <param name="name">The child's name.</param>
    /// <param name="codecs">The codec registry; the default if null.</param>
    public ZarrArray OpenArray(string name, ZarrCodecRegistry? codecs = null) => ZarrArray.Open(Store, ChildPath(name), codecs);

    /// <summary>The names of the child arrays, in ordinal order.</summary>
    public IReadOnlyList<string> ListArrays() => ListChildren(ZarrMetadataJson.ArrayKey);

    /// <summary>The names of the child groups, in ordinal order.</summary>
    public IReadOnlyList<string> ListGroups() => ListChildren(ZarrMetadataJson.GroupKey);

    /// <summary>Writes <c>.zmetadata</c> for this group and everything below it (see <see cref="ZarrConsolidatedMetadata"/>).</summary>
    public void WriteConsolidatedMetadata() => ZarrConsolidatedMetadata.Write(Store, Path);

    private string ChildPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string child = ZarrKey.Join(Path, name.Trim('/'));
        ZarrKey.Validate(child);
        return child;
    }

    private List<string> ListChildren(string document) =>
        [.. Store.ListChildNodes(Path).Where(n => Store.Exists(ZarrKey.Join(ZarrKey.Join(Path, n), document)))];

    private static ZarrNodeNotFoundException NotFound(IZarrStore store, string path, string key)
    {
        string arrayKey = ZarrKey.Join(path, ZarrMetadataJson.ArrayKey);
        string detail = store.Exists(arrayKey) ? $"; '{arrayKey}' exists: it is an array" : string.Empty;
        return new ZarrNodeNotFoundException(
            $"No Zarr group at '{ZarrNodeDocuments.DisplayPath(path)}': '{key}' does not exist{detail}.", key);
    }
}
