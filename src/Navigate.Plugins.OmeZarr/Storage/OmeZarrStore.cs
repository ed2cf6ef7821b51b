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

    private OmeZarrStore(string path, IZarrStore store)
    {
        Path = path;
        Store = store;
    }

    /// <summary>The dataset's folder as given.</summary>
    public string Path { get; }

    /// <summary>The key-value store.</summary>
    public IZarrStore Store { get; }

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

            if (!File.Exists(System.IO.Path.Combine(path, GroupKey)) && !File.Exists(System.IO.Path.Combine(path, ArrayKey)))
            {
                throw new IOException($"{path}: is not a Zarr dataset (no .zgroup or .zarray at its top), so it is not deleted even with the overwrite option. Nothing was written.");
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

        return new OmeZarrStore(path, new DirectoryZarrStore(path));
    }

    /// <summary>True when a value is stored under <paramref name="key"/>.</summary>
    public bool Exists(string key) => Store.Exists(key);

    /// <summary>Every key in the store, in ordinal order.</summary>
    public IEnumerable<string> ListKeys() => Store.List();

    /// <summary>Writes <c>{group}/.zgroup</c> unless the group exists.</summary>
    public void WriteGroup(string group) => ZarrGroup.OpenOrCreate(Store, group);

    /// <summary>Replaces the attributes of the array or group at <paramref name="node"/> (a group is created if neither exists).</summary>
    public void WriteAttributes(string node, JsonObject attributes)
    {
        if (Store.Exists(Key(node, ArrayKey)))
        {
            ZarrArray.Open(Store, node).WriteAttributes(attributes);
        }
        else
        {
            ZarrGroup.OpenOrCreate(Store, node).WriteAttributes(attributes);
        }
    }

    /// <summary>Stores a text file (the OME-XML) under <paramref name="key"/>.</summary>
    public void WriteText(string key, string text) => Store.Set(key, Encoding.UTF8.GetBytes(text));

    /// <summary>Parses the JSON document under <paramref name="key"/>; null when there is none.</summary>
    /// <exception cref="NgffMetadataException">The document is not JSON.</exception>
    public JsonDocument? ReadJson(string key)
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

    /// <summary>Creates a (t, c, z, y, x) array with its <c>.zarray</c> and attributes, before any chunk.</summary>
    public OmeZarrArray CreateArray(string path, long[] shape, int[] chunks, PixelType pixelType, OmeZarrOptions codec, JsonObject attributes)
    {
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
        if (!Store.Exists(Key(path, ArrayKey)))
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
    public void WriteConsolidatedMetadata() => ZarrConsolidatedMetadata.Write(Store);

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
