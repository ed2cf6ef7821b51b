using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Storage;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>OME-NGFF 0.4 label images (<c>labels/NAME</c> in an image group) are listed by the inspector with their levels.</summary>
public sealed class OmeZarrInspectorLabelsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Adds label images to the image group <paramref name="group"/> as ome-zarr-py's <c>write_labels</c> lays them
    /// out: <c>labels/.zattrs</c> lists the names; each is a multiscale image group of uint8 arrays with
    /// <c>image-label</c>.
    /// </summary>
    private static void AddLabels(string dataset, string group, params string[] names)
    {
        var store = OmeZarrStore.OpenExisting(dataset);
        var labels = group.Length == 0 ? "labels" : $"{group}/labels";
        store.WriteAttributes(labels, new JsonObject { ["labels"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) });
        foreach (var name in names)
        {
            var labelGroup = $"{labels}/{name}";
            var attributes = JsonNode.Parse($$"""
                {"multiscales": [{"version": "0.4", "name": "{{name}}", "type": "nearest", "metadata": {"method": "numpy slicing"},
                  "axes": [{"name": "t", "type": "time", "unit": "second"}, {"name": "c", "type": "channel"},
                           {"name": "z", "type": "space", "unit": "micrometer"}, {"name": "y", "type": "space", "unit": "micrometer"},
                           {"name": "x", "type": "space", "unit": "micrometer"}],
                  "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [3, 1, 1.6, 0.4, 0.4]}]},
                               {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [3, 1, 1.6, 0.8, 0.8]}]}]}],
                 "image-label": {"version": "0.4", "colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]}], "source": {"image": "../../"} } }
                """)!.AsObject();
            using (var doc = JsonDocument.Parse(attributes.ToJsonString()))
            {
                // The fixture is a legal label image, so the test is about listing labels, not tolerating odd ones.
                Assert.Empty(NgffSchemas.Errors("strict_label.schema", doc.RootElement));
                Assert.Empty(NgffSchemas.Errors("strict_image.schema", doc.RootElement));
            }

            store.WriteAttributes(labelGroup, attributes);
            var dims = new JsonObject { ["_ARRAY_DIMENSIONS"] = new JsonArray("t", "c", "z", "y", "x") };
            store.CreateArray($"{labelGroup}/0", [2, 1, 3, 11, 19], [1, 1, 1, 11, 19], PixelType.UInt8, new OmeZarrOptions(), dims);
            store.CreateArray($"{labelGroup}/1", [2, 1, 3, 6, 10], [1, 1, 1, 6, 10], PixelType.UInt8, new OmeZarrOptions(), (JsonObject)dims.DeepClone());
        }
    }

    [Fact]
    public void Labels_of_each_image_group_are_listed_with_their_levels()
    {
        var path = OmeZarrLayoutTests.Write(_temp.Combine("bf.ome.zarr"), "bioformats2raw");
        AddLabels(path, "0", "cells", "nuclei");

        var inspection = OmeZarrInspector.Inspect(path);
        Assert.Equal(2, inspection.Images.Count); // labels are not positions
        var labels = inspection.Images[0].Labels;
        Assert.Equal(["cells", "nuclei"], labels.Select(l => l.Name));
        Assert.Equal("0/labels/cells", labels[0].Group);
        Assert.Equal(["0/labels/cells/0", "0/labels/cells/1"], labels[0].Levels.Select(l => l.Path));
        Assert.Equal([2L, 1, 3, 6, 10], labels[0].Levels[1].Shape);
        Assert.Equal("uint8", labels[0].Levels[1].NumpyType);
        Assert.Equal([3, 1, 1.6, 0.8, 0.8], labels[0].Levels[1].Scale);
        Assert.Empty(inspection.Images[1].Labels);

        var text = OmeZarrInspector.ToText(inspection);
        Assert.Contains("    label 'cells' in /0/labels/cells  axes t[second] c z[micrometer] y[micrometer] x[micrometer]\n      0/labels/cells/0 shape (2, 1, 3, 11, 19)  chunks (1, 1, 1, 11, 19)  |u1  blosc(lz4, clevel 5, shuffle 1, blocksize 0)  scale (3, 1, 1.6, 0.4, 0.4)\n", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(OmeZarrInspector.ToJson(inspection));
        Assert.Equal("nuclei", json.RootElement.GetProperty("images")[0].GetProperty("labels")[1].GetProperty("name").GetString());

        var description = OmeZarrInspector.ToDescription(inspection);
        Assert.Equal(2, description.Images.Count);
        Assert.Equal(["cells", "nuclei"], description.Images[0].Labels.Select(l => l.Name));
        Assert.Equal("0/labels/nuclei", description.Images[0].Labels[1].Path);
        Assert.Equal("uint8", description.Images[0].Labels[1].Levels[0].DataType);
        Assert.Empty(description.Images[1].Labels);
    }

    [Fact]
    public void Labels_of_the_root_group_are_listed_once_in_navigates_layout()
    {
        // navigate's layout keeps every position's multiscale in the root group: its labels belong to the group.
        var path = OmeZarrLayoutTests.Write(_temp.Combine("nav.ome.zarr"), "navigate");
        AddLabels(path, string.Empty, "cells");
        var inspection = OmeZarrInspector.Inspect(path);
        Assert.Equal(["cells"], inspection.Images[0].Labels.Select(l => l.Name));
        Assert.Equal(["labels/cells/0", "labels/cells/1"], inspection.Images[0].Labels[0].Levels.Select(l => l.Path));
        Assert.Empty(inspection.Images[1].Labels);
    }

    [Fact]
    public void The_converter_copies_labels_and_names_their_dimensions()
    {
        var path = OmeZarrLayoutTests.Write(_temp.Combine("bf.ome.zarr"), "bioformats2raw");
        AddLabels(path, "1", "cells");
        var target = _temp.Combine("converted.ome.zarr");
        OmeZarrConverter.Convert(path, target, new OmeZarrConversionOptions { Compression = OmeZarrCompression.Gzip, Threads = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        var label = Assert.Single(OmeZarrInspector.Inspect(target).Images[1].Labels);
        Assert.Equal("gzip(level 5)", label.Levels[0].Codec);
        using var attributes = JsonDocument.Parse(File.ReadAllText(Path.Combine(target, "1", "labels", "cells", "0", ".zattrs")));
        Assert.Equal(["t", "c", "z", "y", "x"], attributes.RootElement.GetProperty("_ARRAY_DIMENSIONS").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_bad_labels_list_or_a_missing_label_image_is_refused_with_the_document()
    {
        var path = OmeZarrLayoutTests.Write(_temp.Combine("bf.ome.zarr"), "bioformats2raw", frames: 3);
        AddLabels(path, "0", "cells");
        var labelsKey = Path.Combine(path, "0", "labels", ".zattrs");
        File.WriteAllText(labelsKey, """{"labels": "cells"}""");
        var list = Assert.Throws<NgffMetadataException>(() => OmeZarrInspector.Inspect(path));
        Assert.Equal($"{path}/0/labels/.zattrs: labels: is the string \"cells\"; expected a list of label image names.", list.Message);

        File.WriteAllText(labelsKey, """{"labels": ["cells", "gone"]}""");
        var missing = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrInspector.Inspect(path));
        Assert.Equal($"{path}: 0/labels/.zattrs lists the label image 'gone', but 0/labels/gone/.zattrs does not exist.", missing.Message);

        // Reading pixels does not involve labels: the dataset still opens.
        using var read = OmeZarrDataSource.Open(path);
        Assert.Equal(1, read.Positions);
    }
}
