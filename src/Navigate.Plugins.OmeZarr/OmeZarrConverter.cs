using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Storage;

namespace Navigate.Plugins.OmeZarr;

/// <summary>What <see cref="OmeZarrConverter"/> changes.</summary>
public sealed record OmeZarrConversionOptions
{
    /// <summary>Codec of the new chunks. Default <see cref="OmeZarrCompression.Lz4"/>.</summary>
    public OmeZarrCompression Compression { get; init; } = OmeZarrCompression.Lz4;

    /// <summary>Compression level 0–9; null for the codec's default.</summary>
    public int? CompressionLevel { get; init; }

    /// <summary>New chunk size of the last three axes (z, y, x), clipped to each array; null keeps each array's chunks.</summary>
    public ChunkShape? Chunks { get; init; }

    /// <summary>Replace an existing destination.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Threads copying slabs; default <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    internal OmeZarrOptions Codec => new() { Compression = Compression, CompressionLevel = CompressionLevel };
}

/// <summary>Progress of a conversion.</summary>
/// <param name="Array">The array being copied.</param>
/// <param name="BytesCopied">Uncompressed bytes copied so far, over all arrays.</param>
/// <param name="BytesTotal">Uncompressed bytes of all arrays.</param>
public readonly record struct OmeZarrConversionProgress(string Array, long BytesCopied, long BytesTotal);

/// <summary>
/// Rewrites an OME-NGFF 0.4 dataset (ours or any other tool's) with another codec or other chunks: every array of
/// every image and level, value for value; every group and its attributes (multiscales, omero, navigate's block,
/// bioformats2raw's OME group and files); then consolidated metadata. Nothing is re-downsampled. What
/// <c>navigate convert SRC DST [--compression ...] [--clevel N] [--chunks Z,Y,X] [--overwrite]</c> does.
/// </summary>
public static class OmeZarrConverter
{
    /// <summary>Converts <paramref name="source"/> into a new dataset at <paramref name="destination"/>.</summary>
    /// <exception cref="IOException">The destination holds data and <see cref="OmeZarrConversionOptions.Overwrite"/> is false.</exception>
    /// <exception cref="NgffMetadataException">The source's metadata breaks an OME-NGFF 0.4 rule.</exception>
    /// <exception cref="NotSupportedException">The source is a Zarr v3 dataset.</exception>
    public static void Convert(string source, string destination, OmeZarrConversionOptions options, IProgress<OmeZarrConversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        if (Path.GetFullPath(source).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar))
        {
            throw new IOException($"{destination}: the destination is the source; convert into a new folder.");
        }

        // Inspecting first checks the whole hierarchy against OME-NGFF 0.4 before anything is written.
        var inspection = OmeZarrInspector.Inspect(source);
        var from = OmeZarrStore.OpenExisting(source);
        if (from.ZarrFormat != 2)
        {
            // This copier works document by document on Zarr v2; v2 <-> v3 goes through the data source API
            // (navigate convert --zarr-version 2|3), which rewrites every plane and rebuilds the metadata.
            throw new NotSupportedException($"{source}: is a Zarr v3 dataset; OmeZarrConverter rewrites Zarr v2 datasets. Use navigate convert --zarr-version 2|3.");
        }

        var to = OmeZarrStore.CreateNew(destination, options.Overwrite);

        var arrayNames = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var image in inspection.Images)
        {
            foreach (var level in image.Levels)
            {
                arrayNames[level.Path] = [.. image.Axes.Select(a => a.Name)];
            }

            foreach (var label in image.Labels)
            {
                foreach (var level in label.Levels)
                {
                    arrayNames[level.Path] = [.. label.Axes.Select(a => a.Name)];
                }
            }
        }

        var arrays = new List<string>();
        foreach (var key in from.ListKeys())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(key);
            var parent = key.Length > name.Length ? key[..(key.Length - name.Length - 1)] : string.Empty;
            if (name == ".zarray")
            {
                arrays.Add(parent);
            }
        }

        var arraySet = arrays.ToHashSet(StringComparer.Ordinal);
        foreach (var key in from.ListKeys())
        {
            var name = Path.GetFileName(key);
            var parent = key.Length > name.Length ? key[..(key.Length - name.Length - 1)] : string.Empty;
            if (name is ".zarray" or ".zmetadata" || arraySet.Contains(parent))
            {
                continue; // arrays (and their attributes) are recreated below; consolidated metadata is rebuilt.
            }

            to.CopyRaw(from, key);
        }

        long total = 0;
        var opened = arrays.Select(a => from.OpenArray(a, map: null)).ToList();
        foreach (var array in opened)
        {
            total += array.ByteLength;
        }

        long copied = 0;
        foreach (var array in opened)
        {
            var chunks = array.Chunks.ToArray();
            if (options.Chunks is { } c)
            {
                var rank = chunks.Length;
                int[] wanted = [c.Z, c.Y, c.X];
                for (var i = 0; i < Math.Min(3, rank); i++)
                {
                    var d = rank - 1 - i;
                    chunks[d] = (int)Math.Max(1, Math.Min(wanted[2 - i], array.Shape[d]));
                }
            }

            var target = to.CreateArrayLike(array, chunks, options.Codec);
            if (from.Exists(array.Path + "/.zattrs"))
            {
                to.WriteAttributes(array.Path, FixArrayDimensions(from, array.Path + "/.zattrs", arrayNames.GetValueOrDefault(array.Path)));
            }

            array.CopyTo(target, options.Threads, bytes =>
            {
                var now = Interlocked.Add(ref copied, bytes);
                progress?.Report(new OmeZarrConversionProgress(array.Path, now, total));
            }, cancellationToken);
        }

        to.WriteConsolidatedMetadata();
    }

    /// <summary>
    /// The array's attributes with <c>_ARRAY_DIMENSIONS</c> as axis names: navigate wrote the shape there, which xarray
    /// cannot use; a converted dataset gets the names from its multiscale.
    /// </summary>
    private static JsonObject FixArrayDimensions(OmeZarrStore store, string key, IReadOnlyList<string>? axisNames)
    {
        using var doc = store.ReadJson(key);
        var json = doc is null ? new JsonObject() : JsonNode.Parse(doc.RootElement.GetRawText()) as JsonObject ?? new JsonObject();
        if (axisNames is not null && json[OmeZarrConstants.ArrayDimensionsKey] is JsonArray dims && dims.Count == axisNames.Count && dims.All(d => d?.GetValueKind() == JsonValueKind.Number))
        {
            json[OmeZarrConstants.ArrayDimensionsKey] = new JsonArray([.. axisNames.Select(n => (JsonNode)n)]);
        }

        return json;
    }
}
