using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>
/// A multiscale's own <c>coordinateTransformations</c> (OME-NGFF 0.4: a scale and a translation applied after each
/// dataset's): the reader's voxel size, Dt and stage position, and the inspector's levels, use the combination.
/// </summary>
public sealed class OmeZarrMultiscaleTransformTests : IDisposable
{
    // Powers of two in space keep the products exact: 0.4·4 = 1.6 and 1.6·2 = 3.2 are the doubles those literals give.
    private static readonly double[] MultiscaleScale = [5, 1, 2, 4, 4];
    private static readonly double[] MultiscaleTranslation = [0, 0, 10, 20, 30];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Our one-position dataset (19×11, z 3, voxel 0.4×0.4×1.6 µm, 3 s, stage (1, 2, 3)) turned into a foreign image:
    /// no navigate block, so everything comes from the multiscale, which gets the transformations above.
    /// </summary>
    private string ForeignImageWithAMultiscaleTransform(bool translation = true)
    {
        var path = _temp.Combine($"m{Guid.NewGuid():N}.zarr");
        OmeZarrLayoutTests.Write(path, "navigate", frames: 3);
        var attributesFile = Path.Combine(path, ".zattrs");
        var json = JsonNode.Parse(File.ReadAllText(attributesFile))!.AsObject();
        json.Remove("navigate");
        JsonArray transforms = [new JsonObject { ["type"] = "scale", ["scale"] = new JsonArray([.. MultiscaleScale.Select(v => (JsonNode)v)]) }];
        if (translation)
        {
            transforms.Add(new JsonObject { ["type"] = "translation", ["translation"] = new JsonArray([.. MultiscaleTranslation.Select(v => (JsonNode)v)]) });
        }

        json["multiscales"]![0]!["coordinateTransformations"] = transforms;
        File.WriteAllText(attributesFile, json.ToJsonString());
        // The edited document is still valid OME-NGFF 0.4, so the test is about a legal image, not a lenient reader.
        using var doc = JsonDocument.Parse(File.ReadAllText(attributesFile));
        Assert.Empty(NgffSchemas.Errors("strict_image.schema", doc.RootElement));
        return path;
    }

    [Fact]
    public void The_reader_multiplies_the_multiscale_scale_into_voxel_size_and_dt()
    {
        using var read = OmeZarrDataSource.Open(ForeignImageWithAMultiscaleTransform());
        Assert.Equal(new VoxelSize(1.6, 1.6, 3.2), read.VoxelSize);
        Assert.Equal(15, read.Dt);
        // The levels' factors are ratios of scales; the common multiscale scale must not change them.
        Assert.Equal([new Size3(1, 1, 1), new Size3(2, 2, 1), new Size3(4, 4, 1), new Size3(8, 8, 1)], read.Resolutions);
        // Level 0's translation [0, 0, 3, 2, 1] is scaled by the multiscale scale, then translated: z 3·2 + 10,
        // y 2·4 + 20, x 1·4 + 30.
        Assert.Equal(new StagePosition(34, 28, 16), read.Metadata.StagePositions[0]);
        Assert.Equal(Frames.Pixel(2, 10, 18), read.GetSlice(.., .., 0, 2..3, 0, 0)[0, 10, 18]);
    }

    [Fact]
    public void A_multiscale_scale_alone_keeps_the_datasets_translation_scaled()
    {
        using var read = OmeZarrDataSource.Open(ForeignImageWithAMultiscaleTransform(translation: false));
        Assert.Equal(new VoxelSize(1.6, 1.6, 3.2), read.VoxelSize);
        Assert.Equal(new StagePosition(4, 8, 6), read.Metadata.StagePositions[0]);
    }

    [Fact]
    public void The_inspector_reports_the_combined_scale_and_translation_of_every_level()
    {
        var inspection = OmeZarrInspector.Inspect(ForeignImageWithAMultiscaleTransform());
        var image = inspection.Images[0];
        Assert.Equal(MultiscaleScale, image.MultiscaleScale!);
        Assert.Equal(MultiscaleTranslation, image.MultiscaleTranslation!);
        // Dataset 0: scale [3, 1, 1.6, 0.4, 0.4], translation [0, 0, 3, 2, 1].
        Assert.Equal([15, 1, 3.2, 1.6, 1.6], image.Levels[0].Scale);
        Assert.Equal([0, 0, 16, 28, 34], image.Levels[0].Translation!);
        // Dataset 2: scale [3, 1, 1.6, 1.6, 1.6], translation [0, 0, 3, 2 + 3·0.2, 1 + 3·0.2] (level-0 block centres).
        Assert.Equal([15, 1, 3.2, 6.4, 6.4], image.Levels[2].Scale);
        Assert.Equal(16, image.Levels[2].Translation![2]);
        Assert.Equal(((2 + (3 * 0.2)) * 4) + 20, image.Levels[2].Translation![3], 12);
        Assert.Equal(((1 + (3 * 0.2)) * 4) + 30, image.Levels[2].Translation![4], 12);

        var text = OmeZarrInspector.ToText(inspection);
        Assert.Contains("multiscale transform: scale (5, 1, 2, 4, 4)  translation (0, 0, 10, 20, 30) (included in the levels' scale and translation)", text, StringComparison.Ordinal);
        Assert.Contains("p0_0         shape (1, 1, 3, 11, 19)  chunks (1, 1, 1, 11, 19)  <u2  gzip(level 5)  scale (15, 1, 3.2, 1.6, 1.6)  translation (0, 0, 16, 28, 34)", text, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(OmeZarrInspector.ToJson(inspection));
        var level0 = json.RootElement.GetProperty("images")[0].GetProperty("levels")[0];
        Assert.Equal([15, 1, 3.2, 1.6, 1.6], level0.GetProperty("scale").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0, 0, 16, 28, 34], level0.GetProperty("translation").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(MultiscaleScale, json.RootElement.GetProperty("images")[0].GetProperty("multiscaleScale").EnumerateArray().Select(v => v.GetDouble()));

        var description = OmeZarrInspector.ToDescription(inspection);
        Assert.Equal([15, 1, 3.2, 6.4, 6.4], description.Images[0].Levels[2].Scale);
        Assert.Equal([0, 0, 16, 28, 34], description.Images[0].Levels[0].Translation!);
    }

    [Fact]
    public void Our_own_datasets_have_no_multiscale_transform_and_report_the_datasets_values()
    {
        var path = OmeZarrLayoutTests.Write(_temp.Combine("own.zarr"), "navigate", frames: 3);
        var image = OmeZarrInspector.Inspect(path).Images[0];
        Assert.Null(image.MultiscaleScale);
        Assert.Null(image.MultiscaleTranslation);
        Assert.Equal([3, 1, 1.6, 0.4, 0.4], image.Levels[0].Scale);
        Assert.Equal([0, 0, 3, 2, 1], image.Levels[0].Translation!);
        Assert.DoesNotContain("multiscale transform", OmeZarrInspector.ToText(OmeZarrInspector.Inspect(path)), StringComparison.Ordinal);
    }

    [Fact]
    public void Then_composes_scale_and_translation_per_axis()
    {
        var dataset = new NgffTransform([2, 0.5], [1, 3]);
        Assert.Same(dataset, dataset.Then(null, 2));
        var combined = dataset.Then(new NgffTransform([3, 4], [10, 20]), 2);
        Assert.Equal([6, 2], combined.Scale);
        Assert.Equal([13, 32], combined.Translation!);
        // Neither has a translation: none. Only the outer one has: it is the result's.
        Assert.Null(new NgffTransform([2, 2]).Then(new NgffTransform([3, 3]), 2).Translation);
        Assert.Equal([5, 6], new NgffTransform([2, 2]).Then(new NgffTransform([3, 3], [5, 6]), 2).Translation!);
        // A short list aligns with the last axes, as ScaleOf does.
        Assert.Equal([3, 6, 8], new NgffTransform([2, 2]).Then(new NgffTransform([3, 3, 4]), 3).Scale);
    }
}
