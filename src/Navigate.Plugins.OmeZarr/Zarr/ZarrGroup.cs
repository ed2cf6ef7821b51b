using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>A Zarr group: a node with a <c>.zgroup</c> (v2) or a <c>zarr.json</c> of node type group (v3), attributes, and child arrays and groups.</summary>
public sealed class ZarrGroup
{
    private ZarrGroup(IZarrStore store, string path, int zarrFormat)
    {
        Store = store;
        Path = path;
        ZarrFormat = zarrFormat;
    }

    /// <summary>2 or 3; child groups are created in the same format.</summary>
    public int ZarrFormat { get; }

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
    /// <param name="zarrFormat">2 (<c>.zgroup</c> + <c>.zattrs</c>) or 3 (<c>zarr.json</c> holding the attributes).</param>
    public static ZarrGroup Create(IZarrStore store, string path = "", JsonObject? attributes = null, bool overwrite = false, int zarrFormat = 2)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(zarrFormat, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(zarrFormat, 3);
        string normalized = ZarrKey.NormalizePath(path);
        ZarrNodeDocuments.PrepareForCreate(store, normalized, overwrite);
        if (zarrFormat == 3)
        {
            store.Set(ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey), ZarrMetadataJson.Serialize(ZarrV3MetadataJson.GroupJson(attributes), sortKeys: false));
            return new ZarrGroup(store, normalized, 3);
        }

        store.Set(ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey), ZarrMetadataJson.Serialize(ZarrMetadataJson.GroupJson()));
        if (attributes is not null)
        {
            ZarrNodeDocuments.WriteAttributes(store, normalized, attributes);
        }

        return new ZarrGroup(store, normalized, 2);
    }

    /// <summary>Opens the group at <paramref name="path"/> (v2 or v3); <see cref="ZarrNodeNotFoundException"/> if there is no <c>.zgroup</c> or v3 group <c>zarr.json</c>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path; empty for the root.</param>
    public static ZarrGroup Open(IZarrStore store, string path = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        string key = ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey);
        JsonObject? json = ZarrNodeDocuments.TryReadObject(store, key);
        if (json is null)
        {
            string nodeKey = ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey);
            JsonObject node = ZarrNodeDocuments.TryReadObject(store, nodeKey) ?? throw NotFound(store, normalized, key);
            ZarrV3MetadataJson.ValidateGroup(node, nodeKey);
            return new ZarrGroup(store, normalized, 3);
        }

        ZarrMetadataJson.ValidateGroup(json, key);
        return new ZarrGroup(store, normalized, 2);
    }

    /// <summary>Opens the group at <paramref name="path"/>, creating it (and nothing else) if it does not exist.</summary>
    /// <param name="store">The store.</param>
    /// <param name="path">The node path; empty for the root.</param>
    /// <param name="zarrFormat">The format of a group created here.</param>
    public static ZarrGroup OpenOrCreate(IZarrStore store, string path = "", int zarrFormat = 2)
    {
        ArgumentNullException.ThrowIfNull(store);
        string normalized = ZarrKey.NormalizePath(path);
        return store.Exists(ZarrKey.Join(normalized, ZarrMetadataJson.GroupKey)) || store.Exists(ZarrKey.Join(normalized, ZarrV3MetadataJson.NodeKey))
            ? Open(store, normalized)
            : Create(store, normalized, zarrFormat: zarrFormat);
    }

    /// <summary>The group's attributes (<c>.zattrs</c>, or <c>attributes</c> of v3's <c>zarr.json</c>); empty if it has none.</summary>
    public JsonObject ReadAttributes() => ZarrFormat == 3 ? ZarrNodeDocuments.ReadV3Attributes(Store, Path) : ZarrNodeDocuments.ReadAttributes(Store, Path);

    /// <summary>Replaces the group's attributes.</summary>
    /// <param name="attributes">The new attributes.</param>
    public void WriteAttributes(JsonObject attributes)
    {
        if (ZarrFormat == 3)
        {
            ZarrNodeDocuments.WriteV3Attributes(Store, Path, attributes);
        }
        else
        {
            ZarrNodeDocuments.WriteAttributes(Store, Path, attributes);
        }
    }

    /// <summary>Creates a child group.</summary>
    /// <param name="name">The child's name (may contain <c>/</c> for deeper paths).</param>
    /// <param name="attributes">Attributes, or null.</param>
    /// <param name="overwrite">Replace whatever is there.</param>
    public ZarrGroup CreateGroup(string name, JsonObject? attributes = null, bool overwrite = false) =>
        Create(Store, ChildPath(name), attributes, overwrite, ZarrFormat);

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
    public IReadOnlyList<string> ListArrays() => ZarrFormat == 3 ? ListV3Children("array") : ListChildren(ZarrMetadataJson.ArrayKey);

    /// <summary>The names of the child groups, in ordinal order.</summary>
    public IReadOnlyList<string> ListGroups() => ZarrFormat == 3 ? ListV3Children("group") : ListChildren(ZarrMetadataJson.GroupKey);

    /// <summary>
    /// Writes <c>.zmetadata</c> for this group and everything below it (see <see cref="ZarrConsolidatedMetadata"/>).
    /// Zarr v2 only: v3 has no consolidated metadata in its core spec (readers open each <c>zarr.json</c>).
    /// </summary>
    public void WriteConsolidatedMetadata()
    {
        if (ZarrFormat == 3)
        {
            throw new NotSupportedException("Consolidated metadata (.zmetadata) is a Zarr v2 convention; a v3 hierarchy is read through its zarr.json documents.");
        }

        ZarrConsolidatedMetadata.Write(Store, Path);
    }

    private string ChildPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string child = ZarrKey.Join(Path, name.Trim('/'));
        ZarrKey.Validate(child);
        return child;
    }

    private List<string> ListChildren(string document) =>
        [.. Store.ListChildNodes(Path).Where(n => Store.Exists(ZarrKey.Join(ZarrKey.Join(Path, n), document)))];

    private List<string> ListV3Children(string nodeType) =>
    [
        .. Store.ListChildNodes(Path).Where(n =>
        {
            string key = ZarrKey.Join(ZarrKey.Join(Path, n), ZarrV3MetadataJson.NodeKey);
            JsonObject? json = ZarrNodeDocuments.TryReadObject(Store, key);
            return json is not null && ZarrV3MetadataJson.NodeType(json, key) == nodeType;
        }),
    ];

    private static ZarrNodeNotFoundException NotFound(IZarrStore store, string path, string key)
    {
        string arrayKey = ZarrKey.Join(path, ZarrMetadataJson.ArrayKey);
        string detail = store.Exists(arrayKey) ? $"; '{arrayKey}' exists: it is an array" : string.Empty;
        return new ZarrNodeNotFoundException(
            $"No Zarr group at '{ZarrNodeDocuments.DisplayPath(path)}': '{key}' does not exist{detail}.", key);
    }
}
