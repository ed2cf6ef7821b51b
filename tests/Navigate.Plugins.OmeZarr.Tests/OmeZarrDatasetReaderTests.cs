using System.Text.Json;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>Datasets that cannot be opened: each is refused with the file and the reason.</summary>
public sealed class OmeZarrDatasetReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dataset(string layout = "navigate")
    {
        var path = _temp.Combine($"d{Guid.NewGuid():N}.zarr");
        OmeZarrLayoutTests.Write(path, layout, frames: 3);
        return path;
    }

    private static void Edit(string file, Func<string, string> change) => File.WriteAllText(file, change(File.ReadAllText(file)));

    [Fact]
    public void A_missing_folder_or_root_attributes()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => OmeZarrDataSource.Open(_temp.Combine("nope.zarr")));
        Assert.Contains("nope.zarr: no such folder", e.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(_temp.Combine("empty.zarr"));
        var layout = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(_temp.Combine("empty.zarr")));
        Assert.Contains("empty.zarr: has no .zattrs; an OME-Zarr dataset keeps its OME-NGFF metadata in the root group's attributes.", layout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_attributes_without_an_image()
    {
        var path = Dataset();
        File.WriteAllText(Path.Combine(path, ".zattrs"), """{"hello": 1}""");
        var e = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("the root attributes have neither 'multiscales' nor 'bioformats2raw.layout'; not an OME-NGFF 0.4 image.", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(path, ".zattrs"), "{\"multiscales\": [");
        var json = Assert.Throws<NgffMetadataException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains(".zattrs: $: is not valid JSON", json.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multiscale_naming_an_array_that_is_not_there()
    {
        var path = Dataset();
        Directory.Delete(Path.Combine(path, "p0_2"), recursive: true);
        var e = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("the multiscale names array 'p0_2', but there is no p0_2/.zarray.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_with_other_dimensions_than_its_axes()
    {
        var path = Dataset();
        Edit(Path.Combine(path, "p0_1", ".zarray"), s => s.Replace("\"shape\": [", "\"shape\": [1, ", StringComparison.Ordinal).Replace("\"chunks\": [", "\"chunks\": [1, ", StringComparison.Ordinal));
        var e = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("array 'p0_1' has 6 dimensions but its multiscale has 5 axes (t, c, z, y, x).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_type_the_data_source_cannot_hold()
    {
        var path = Dataset();
        // A foreign image (no navigate block) of int32: inspectable, but not a PixelType.
        Edit(Path.Combine(path, ".zattrs"), s =>
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(s)!.AsObject();
            json.Remove("navigate");
            return json.ToJsonString();
        });
        foreach (var level in Directory.GetDirectories(path, "p*"))
        {
            Edit(Path.Combine(level, ".zarray"), s => s.Replace("\"<u2\"", "\"<i4\"", StringComparison.Ordinal).Replace("\"\\u003Cu2\"", "\"<i4\"", StringComparison.Ordinal));
            foreach (var chunk in Directory.GetFiles(level).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                File.Delete(chunk);
            }
        }

        var e = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("array 'p0_0' holds <i4; the data source reads uint8, uint16, int16, uint32, float32 and float64.", e.Message, StringComparison.Ordinal);
        Assert.Equal("int32", OmeZarrInspector.Inspect(path).Images[0].Levels[0].NumpyType);
    }

    [Fact]
    public void A_navigate_block_that_contradicts_the_arrays()
    {
        var path = Dataset();
        Edit(Path.Combine(path, ".zattrs"), s => s.Replace("\"width\": 19", "\"width\": 20", StringComparison.Ordinal));
        var e = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("the recorded acquisition (1 positions of 20×11×3) does not match the arrays (1 positions of 19×11×3).", e.Message, StringComparison.Ordinal);

        Edit(Path.Combine(path, ".zattrs"), s => s.Replace("\"pixel_type\": \"uint16\"", "\"pixel_type\": \"uint12\"", StringComparison.Ordinal));
        var type = Assert.Throws<NgffMetadataException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("navigate.metadata.pixel_type: is \"uint12\"; expected one of uint8, uint16, int16, uint32, float32, float64.", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bioformats2raw_collections_with_a_bad_marker_or_series()
    {
        var path = Dataset("bioformats2raw");
        Edit(Path.Combine(path, ".zattrs"), s => s.Replace("\"bioformats2raw.layout\": 3", "\"bioformats2raw.layout\": 2", StringComparison.Ordinal));
        var e = Assert.Throws<NgffMetadataException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains(".zattrs: bioformats2raw.layout: is the number 2; expected 3.", e.Message, StringComparison.Ordinal);
        Edit(Path.Combine(path, ".zattrs"), s => s.Replace("\"bioformats2raw.layout\": 2", "\"bioformats2raw.layout\": 3", StringComparison.Ordinal));

        File.WriteAllText(Path.Combine(path, "OME", ".zattrs"), """{"series": "0"}""");
        var series = Assert.Throws<NgffMetadataException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("OME/.zattrs: series: is the string \"0\"; expected a list of image group paths.", series.Message, StringComparison.Ordinal);

        // Without a series list, images are the numbered groups.
        File.Delete(Path.Combine(path, "OME", ".zattrs"));
        using var read = OmeZarrDataSource.Open(path);
        Assert.Equal(1, read.Positions);

        File.WriteAllText(Path.Combine(path, "OME", ".zattrs"), """{"series": ["7"]}""");
        var missing = Assert.Throws<OmeZarrLayoutException>(() => OmeZarrDataSource.Open(path));
        Assert.Contains("image group '7' of the bioformats2raw series has no .zattrs.", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquisition_json_round_trips_and_names_bad_fields()
    {
        var m = OmeZarrLayoutTests.Metadata with { Extras = new Dictionary<string, string> { ["a"] = "b" } };
        using var doc = JsonDocument.Parse(AcquisitionJson.ToJson(m).ToJsonString());
        var back = AcquisitionJson.FromJson(doc.RootElement, "x");
        Assert.Equal(m with { ChannelInfos = back.ChannelInfos, StagePositions = back.StagePositions, Extras = back.Extras }, back);
        Assert.Equal(m.ChannelInfos, back.ChannelInfos);

        using var bad = JsonDocument.Parse("""{"width": "wide"}""");
        var e = Assert.Throws<NgffMetadataException>(() => AcquisitionJson.FromJson(bad.RootElement, "x"));
        Assert.StartsWith("x: navigate.metadata.voxel_size_um: is missing.", e.Message, StringComparison.Ordinal);
        using var list = JsonDocument.Parse("[]");
        Assert.Equal("x: navigate.metadata: is a list of 0; expected an object.", Assert.Throws<NgffMetadataException>(() => AcquisitionJson.FromJson(list.RootElement, "x")).Message);
    }
}
