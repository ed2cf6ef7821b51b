using System.Text.Json;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>
/// Every <c>.zattrs</c> a dataset holds on disk, read back from the files (not the documents in memory), validates
/// against the OME-NGFF 0.4 schemas: as the data source leaves it (complete, and closed early, which rewrites the
/// attributes) in every Zarr v2 layout, and as <see cref="OmeZarrConverter"/> leaves it after copying.
/// </summary>
public sealed class OmeZarrOnDiskSchemaTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("navigate", null)]
    [InlineData("navigate", 5L)]
    [InlineData("bioformats2raw", null)]
    [InlineData("bioformats2raw", 5L)]
    [InlineData("hcs", null)]
    public void Every_attribute_document_on_disk_validates_as_written_and_after_conversion(string layout, long? frames)
    {
        var written = OmeZarrLayoutTests.Write(_temp.Combine("written.ome.zarr"), layout, frames: frames);
        var kinds = ValidateEveryZattrs(written);

        var converted = _temp.Combine("converted.ome.zarr");
        OmeZarrConverter.Convert(written, converted, new OmeZarrConversionOptions { Compression = OmeZarrCompression.Zstd, Chunks = new ChunkShape(1, 8, 8), Threads = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(kinds, ValidateEveryZattrs(converted));

        // What each layout must have put on disk, so a layout that wrote no NGFF document at all cannot pass.
        var positions = frames is null ? 2 : 1;
        var expected = layout switch
        {
            "navigate" => new Dictionary<string, int> { ["image"] = 1, ["array"] = positions * 4 },
            "bioformats2raw" => new Dictionary<string, int> { ["bf2raw"] = 1, ["ome"] = 1, ["image"] = positions, ["array"] = positions * 4 },
            _ => new Dictionary<string, int> { ["plate"] = 1, ["well"] = 1, ["image"] = positions, ["array"] = positions * 4 },
        };
        Assert.Equal(expected.OrderBy(k => k.Key, StringComparer.Ordinal), kinds.OrderBy(k => k.Key, StringComparer.Ordinal));
    }

    /// <summary>
    /// Validates every <c>.zattrs</c> below <paramref name="root"/> against the schemas for what it holds and returns
    /// how many documents of each kind there were. A document of no known kind fails the test.
    /// </summary>
    private static Dictionary<string, int> ValidateEveryZattrs(string root)
    {
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var files = Directory.GetFiles(root, ".zattrs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var attributes = doc.RootElement;
            var where = Path.GetRelativePath(root, file);
            Assert.True(attributes.ValueKind == JsonValueKind.Object, $"{where}: not a JSON object");
            string kind;
            string[] schemas;
            if (attributes.TryGetProperty("multiscales", out _))
            {
                (kind, schemas) = ("image", ["image.schema", "strict_image.schema"]);
            }
            else if (attributes.TryGetProperty("bioformats2raw.layout", out _))
            {
                (kind, schemas) = ("bf2raw", ["bf2raw.schema"]);
            }
            else if (attributes.TryGetProperty("series", out _))
            {
                (kind, schemas) = ("ome", ["ome.schema"]);
            }
            else if (attributes.TryGetProperty("plate", out _))
            {
                (kind, schemas) = ("plate", ["plate.schema", "strict_plate.schema"]);
            }
            else if (attributes.TryGetProperty("well", out _))
            {
                (kind, schemas) = ("well", ["well.schema", "strict_well.schema"]);
            }
            else
            {
                // An array's own attributes: no NGFF schema applies; they must be only the xarray dimension names.
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, ".zarray")), $"{where}: attributes of no known kind on a group: {attributes.GetRawText()}");
                Assert.Equal(["_ARRAY_DIMENSIONS"], attributes.EnumerateObject().Select(p => p.Name));
                Assert.Equal(["t", "c", "z", "y", "x"], attributes.GetProperty("_ARRAY_DIMENSIONS").EnumerateArray().Select(e => e.GetString()));
                kinds["array"] = kinds.GetValueOrDefault("array") + 1;
                continue;
            }

            foreach (var schema in schemas)
            {
                var errors = NgffSchemas.Errors(schema, attributes);
                Assert.True(errors.Count == 0, $"{where} against {schema}:\n{string.Join('\n', errors)}");
            }

            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return kinds;
    }
}
