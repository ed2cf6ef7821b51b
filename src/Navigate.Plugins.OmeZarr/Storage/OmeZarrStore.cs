using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Storage;

/// <summary>
/// The data source's view of a Zarr v2 hierarchy on disk: groups, attribute documents, arrays and consolidated
/// metadata, on the Zarr engine's <see cref="DirectoryZarrStore"/> (every value replaced atomically). Also where
/// "nothing is destroyed by accident" is enforced.
/// </summary>
internal sealed class OmeZarrStore
{
    private const string GroupKey = ".zgroup";
    private const string ArrayKey = ".zarray";
    private const string NodeKey = "zarr.json";

    private OmeZarrStore(string path, IZarrStore store)
    {
        Path = path;
        Store = store;
    }

    /// <summary>The dataset's folder as given.</summary>
    public string Path { get; }

    /// <summary>The key-value store.</summary>
    public IZarrStore Store { get; }

    /// <summary>The Zarr format of new groups and arrays: 2, or 3 (and how attributes are read: see <see cref="ReadJson"/>).</summary>
    public int ZarrFormat { get; set; } = 2;

    /// <summary>
    /// A new, empty dataset folder at <paramref name="path"/>. An existing non-empty folder (or a file) is refused unless
    /// <paramref name="overwrite"/>; even then, only a folder that is itself a Zarr hierarchy (has <c>.zgroup</c> or
    /// <c>.zarray</c>) is deleted, so a mistyped path never costs a folder of other data.
    /// </summary>
    /// <exception cref="IOException">The path holds data and may not be replaced.</exception>
    public static OmeZarrStore CreateNew(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            throw new IOException($"{path}: is a file; an OME-Zarr dataset is a folder. Nothing was written.");
        }

        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            if (!overwrite)
            {
                var entries = Directory.EnumerateFileSystemEntries(path).Take(1001).Count();
                throw new IOException($"{path}: already holds data ({(entries > 1000 ? "over 1000" : entries.ToString(System.Globalization.CultureInfo.InvariantCulture))} entries); pass the overwrite option to replace it. Nothing was written.");
            }

            if (!File.Exists(System.IO.Path.Combine(path, GroupKey)) && !File.Exists(System.IO.Path.Combine(path, ArrayKey)) && !File.Exists(System.IO.Path.Combine(path, NodeKey)))
            {
                throw new IOException($"{path}: is not a Zarr dataset (no .zgroup, .zarray or zarr.json at its top), so it is not deleted even with the overwrite option. Nothing was written.");
            }

            Directory.Delete(path, recursive: true);
        }

        // A new dataset is a stream of large chunks: they bypass the page cache (see UnbufferedFileWriter).
        return new OmeZarrStore(path, new DirectoryZarrStore(path, unbufferedWrites: true));
    }

    /// <summary>The existing dataset folder at <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    public static OmeZarrStore OpenExisting(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{path}: no such folder; an OME-Zarr dataset is a folder.");
        }

        var store = new OmeZarrStore(path, new DirectoryZarrStore(path));
        store.ZarrFormat = store.Store.Exists(NodeKey) && !store.Store.Exists(GroupKey) ? 3 : 2;
        return store;
    }

    /// <summary>True when a value is stored under <paramref name="key"/>.</summary>
    public bool Exists(string key) => Store.Exists(key);

    /// <summary>Every key in the store, in ordinal order.</summary>
    public IEnumerable<string> ListKeys() => Store.List();

    /// <summary>Writes <c>{group}/.zgroup</c> unless the group exists.</summary>
    public void WriteGroup(string group) => ZarrGroup.OpenOrCreate(Store, group, ZarrFormat);

    /// <summary>Replaces the attributes of the array or group at <paramref name="node"/> (a group is created if neither exists).</summary>
    public void WriteAttributes(string node, JsonObject attributes)
    {
        if (IsArray(node))
        {
            ZarrArray.Open(Store, node).WriteAttributes(attributes);
        }
        else
        {
            ZarrGroup.OpenOrCreate(Store, node, ZarrFormat).WriteAttributes(attributes);
        }
    }

    /// <summary>Stores a text file (the OME-XML) under <paramref name="key"/>.</summary>
    public void WriteText(string key, string text) => Store.Set(key, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Parses the JSON document under <paramref name="key"/>; null when there is none. A node's <c>.zattrs</c> that is
    /// not there but has a Zarr v3 <c>zarr.json</c> reads as that node's attributes in the OME-NGFF 0.4 shape: the
    /// members of <c>ome</c> (0.5) at the top level beside the other attributes, so one reader serves both versions.
    /// </summary>
    /// <exception cref="NgffMetadataException">The document is not JSON.</exception>
    public JsonDocument? ReadJson(string key)
    {
        if ((key == ".zattrs" || key.EndsWith("/.zattrs", StringComparison.Ordinal)) && !Store.Exists(key))
        {
            var nodeKey = key[..^".zattrs".Length] + NodeKey;
            if (Store.Exists(nodeKey))
            {
                return ReadV3Attributes(nodeKey);
            }
        }

        return ReadRawJson(key);
    }

    /// <summary>
    /// Creates a (t, c, z, y, x) array with its metadata and attributes, before any chunk. For Zarr v3,
    /// <paramref name="chunks"/> is the shard and <paramref name="innerChunks"/> the inner chunk (null: unsharded).
    /// </summary>
    public OmeZarrArray CreateArray(string path, long[] shape, int[] chunks, PixelType pixelType, OmeZarrOptions codec, JsonObject attributes, int[]? innerChunks = null)
    {
        if (codec.ZarrVersion == 3)
        {
            IReadOnlyList<ZarrV3Codec> compressed = V3CodecsOf(codec);
            var v3 = new ZarrArrayMetadata
            {
                ZarrFormat = 3,
                Shape = shape,
                Chunks = chunks,
                DataType = OmeZarrArray.DataTypeOf(pixelType),
                FillValue = ZarrFillValue.Zero,
                Codecs = innerChunks is null ? compressed : [new ShardingCodec(innerChunks, compressed)],
                DimensionNames = [.. OmeZarrConstants.AxisNames],
            };
            return new OmeZarrArray(ZarrArray.Create(Store, path, v3, attributes), AxisMap.Standard);
        }

        var metadata = new ZarrArrayMetadata
        {
            Shape = shape,
            Chunks = chunks,
            DataType = OmeZarrArray.DataTypeOf(pixelType),
            Compressor = CodecOf(codec),
            FillValue = ZarrFillValue.Zero,
            Order = ZarrOrder.C,
            DimensionSeparator = '.',
        };
        return new OmeZarrArray(ZarrArray.Create(Store, path, metadata, attributes), AxisMap.Standard);
    }

    /// <summary>Creates an array like <paramref name="source"/> (shape, dtype, fill value, separator) with other chunks and codec.</summary>
    public OmeZarrArray CreateArrayLike(OmeZarrArray source, int[] chunks, OmeZarrOptions codec)
    {
        var metadata = source.Zarr.Metadata with
        {
            Chunks = chunks,
            Compressor = CodecOf(codec),
            Filters = [],
            Order = ZarrOrder.C,
            DataType = source.Zarr.DataType.AsLittleEndian(),
        };
        return new OmeZarrArray(ZarrArray.Create(Store, source.Path, metadata), AxisMap.Standard);
    }

    /// <summary>Opens the array at <paramref name="path"/>; <paramref name="map"/> says which dimension is t, c, z, y, x.</summary>
    /// <exception cref="OmeZarrLayoutException">There is no array there.</exception>
    public OmeZarrArray OpenArray(string path, AxisMap? map)
    {
        if (!Store.Exists(Key(path, ArrayKey)) && !IsArray(path))
        {
            throw new OmeZarrLayoutException($"{Path}: the multiscale names array '{path}', but there is no {Key(path, ArrayKey)}.");
        }

        return new OmeZarrArray(ZarrArray.Open(Store, path), map);
    }

    /// <summary>Removes an array's metadata documents (an array that never received a chunk).</summary>
    public void DeleteArray(string path)
    {
        foreach (var key in Store.List(path).ToList())
        {
            Store.Delete(key);
        }
    }

    /// <summary>Removes a group and everything in it.</summary>
    public void DeleteGroup(string group) => DeleteArray(group);

    /// <summary>True when <paramref name="node"/> is an array (a <c>.zarray</c>, or a v3 <c>zarr.json</c> of node type array).</summary>
    public bool IsArray(string node)
    {
        if (Store.Exists(Key(node, ArrayKey)))
        {
            return true;
        }

        using var doc = ReadRawJson(Key(node, NodeKey));
        return doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("node_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "array";
    }

    /// <summary>The Zarr v3 codecs of the inner chunks (or of unsharded chunks) for <paramref name="options"/>.</summary>
    public static IReadOnlyList<ZarrV3Codec> V3CodecsOf(OmeZarrOptions options) =>
        CodecOf(options) is { } codec ? ZarrV3Codec.Compressed(codec) : ZarrV3Codec.Default;

    private JsonDocument? ReadRawJson(string key)
    {
        var bytes = Store.TryGetBytes(key);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new NgffMetadataException($"{Path}/{key}", "$", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
    }

    private JsonDocument ReadV3Attributes(string nodeKey)
    {
        using var node = ReadRawJson(nodeKey)!;
        var flattened = new JsonObject();
        if (node.RootElement.ValueKind == JsonValueKind.Object && node.RootElement.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in attributes.EnumerateObject())
            {
                if (property.Name == "ome" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var member in property.Value.EnumerateObject())
                    {
                        if (member.Name != "version")
                        {
                            flattened[member.Name] = JsonNode.Parse(member.Value.GetRawText());
                        }
                    }

                    if (property.Value.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String && version.GetString() != OmeZarrConstants.NgffV3Version)
                    {
                        throw new NgffMetadataException($"{Path}/{nodeKey}", "attributes.ome.version", $"is \"{version.GetString()}\"; this reader supports OME-NGFF {OmeZarrConstants.NgffV3Version} on Zarr v3.");
                    }
                }
                else
                {
                    flattened[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }
        }

        return JsonDocument.Parse(flattened.ToJsonString());
    }

    /// <summary>Copies the value under <paramref name="key"/> from <paramref name="source"/> unchanged.</summary>
    public void CopyRaw(OmeZarrStore source, string key)
    {
        var bytes = source.Store.TryGetBytes(key, int.MaxValue) ?? throw new FileNotFoundException($"{source.Path}: '{key}' vanished during the copy.");
        Store.Set(key, bytes);
    }

    /// <summary>
    /// Writes <c>.zmetadata</c>: every <c>.zgroup</c>, <c>.zarray</c> and <c>.zattrs</c> of the hierarchy in one
    /// document (zarr-python's consolidated format 1), so readers open the dataset with one read.
    /// </summary>
    public void WriteConsolidatedMetadata()
    {
        // Zarr v3 has no .zmetadata: readers open each zarr.json (which holds its attributes, so one read per node).
        if (ZarrFormat == 2)
        {
            ZarrConsolidatedMetadata.Write(Store);
        }
    }

    /// <summary>The Zarr compressor for <paramref name="options"/>.</summary>
    public static IZarrCodec? CodecOf(OmeZarrOptions options) => options.Compression switch
    {
        OmeZarrCompression.None => null,
        OmeZarrCompression.Lz4 => new BloscCodec(BloscCompressor.LZ4, options.EffectiveCompressionLevel, BloscShuffle.ByteShuffle),
        OmeZarrCompression.Zstd => new BloscCodec(BloscCompressor.Zstd, options.EffectiveCompressionLevel, BloscShuffle.ByteShuffle),
        OmeZarrCompression.Gzip => new GzipCodec(options.EffectiveCompressionLevel),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Compression, "Unknown compression."),
    };

    private static string Key(string node, string name) => node.Length == 0 ? name : $"{node}/{name}";
}
