using System.Text.Json;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests.Ngff;

/// <summary>
/// The OME-NGFF 0.4 validation suites (image and strict image) run against our reader: every valid case is read,
/// every invalid case is rejected with a message naming the JSON path.
/// </summary>
public sealed class NgffSuiteTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var suite in new[] { "image_suite.json", "strict_image_suite.json" })
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(SharedReference.Path("ngff", "0.4", "tests", suite)));
            var count = doc.RootElement.GetProperty("tests").GetArrayLength();
            for (var i = 0; i < count; i++)
            {
                data.Add(suite, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Suite_case_is_accepted_or_rejected_as_the_suite_says(string suite, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedReference.Path("ngff", "0.4", "tests", suite)));
        var test = doc.RootElement.GetProperty("tests")[index];
        var name = test.TryGetProperty("formerly", out var formerly) ? formerly.GetString()! : $"#{index}";
        var valid = test.GetProperty("valid").GetBoolean();
        var data = test.GetProperty("data");

        if (valid)
        {
            var image = NgffReader.ReadImage(data, name);
            Assert.NotEmpty(image.Multiscales);
            Assert.All(image.Multiscales, m => Assert.All(m.Datasets, d => Assert.InRange(d.Transform.Scale.Count, 2, m.Axes.Count)));
        }
        else
        {
            var e = Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage(data, name));
            Assert.StartsWith(name + ": ", e.Message, StringComparison.Ordinal);
            Assert.Equal(name, e.Document);
            Assert.Contains(ExpectedMessages[name], e.Message, StringComparison.Ordinal);
        }
    }

    // What each invalid case of the suite must be told (path and reason).
    private static readonly Dictionary<string, string> ExpectedMessages = new()
    {
        ["invalid/duplicate_axes.json"] = "multiscales[0].axes[1].name: is \"x\", the name of an earlier axis; axis names must be unique.",
        ["invalid/missing_space_axes.json"] = "multiscales[0].axes: has 0 axes of type \"space\" (t:time, c:channel); expected 2 or 3.",
        ["invalid/invalid_transformation_type.json"] = "multiscales[0].datasets[0].coordinateTransformations[0]: is a translation before any scale; the first transformation must be a scale.",
        ["invalid/missing_scale.json"] = "multiscales[0].datasets[0].coordinateTransformations[0]: is a translation before any scale",
        ["invalid/too_many_axes.json"] = "multiscales[0].axes: has 6 axes; expected 2 to 5.",
        ["invalid/invalid_channels_color.json"] = "omero.channels[0].color: is the number 255; expected a string.",
        ["invalid/missing_axes_name.json"] = "multiscales[0].axes[0].name: is missing; every axis needs a name.",
        ["invalid/invalid_axes_count.json"] = "multiscales[0].axes: has 1 axes; expected 2 to 5.",
        ["invalid/one_space_axes.json"] = "multiscales[0].axes: has 1 axes of type \"space\" (t:time, c:channel, x:space); expected 2 or 3.",
        ["invalid/invalid_path.json"] = "multiscales[0].datasets[0].path: is the number 0; expected a string.",
        ["invalid/invalid_multiscales_transformations.json"] = "multiscales[0].coordinateTransformations[0].scale: has 1 values; expected 2, one per axis.",
        ["invalid/missing_transformations.json"] = "multiscales[0].datasets[0].coordinateTransformations: is missing; every dataset needs a scale transformation.",
        ["invalid/no_datasets.json"] = "multiscales[0].datasets: is an empty list; expected at least one pyramid level.",
        ["invalid/missing_datasets.json"] = "multiscales[0].datasets: is missing; expected a non-empty list of pyramid levels.",
        ["invalid/missing_axes.json"] = "multiscales[0].axes: is missing; OME-NGFF 0.4 needs 2 to 5 axes.",
        ["invalid/invalid_version.json"] = "multiscales[0].version: is \"0.3\"; this reader supports OME-NGFF 0.4 (Zarr v2).",
        ["invalid/invalid_axis_type.json"] = "multiscales[0].axes: has 1 axes of type \"space\" (y:invalid, x:space); expected 2 or 3.",
        ["invalid/duplicate_scale.json"] = "multiscales[0].datasets[0].coordinateTransformations[1]: is a second scale transformation; expected exactly one.",
        ["invalid/no_axes.json"] = "multiscales[0].axes: has 0 axes; expected 2 to 5.",
        ["invalid/too_many_space_axes.json"] = "multiscales[0].axes: has 4 axes of type \"space\" (X:space, z:space, y:space, x:space); expected 2 or 3.",
        ["invalid/no_multiscales.json"] = "multiscales: is an empty list; expected at least one multiscale image.",
        ["invalid/invalid_channels_window.json"] = "omero.channels[0].window.end: is the string \"100\"; expected a finite number.",
        ["invalid/empty_transformations.json"] = "multiscales[0].datasets[0].coordinateTransformations: is an empty list; expected one scale transformation, optionally followed by one translation.",
        ["invalid/missing_path.json"] = "multiscales[0].datasets[0].path: is missing; expected the array's path relative to the image group.",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_reader_agrees_with_the_json_schema(string suite, int index)
    {
        // The reader is stricter than the schema only where the spec text says MUST (e.g. axis order); on the suites
        // both must give the suite's verdict, so the schema check here keeps our test data honest.
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedReference.Path("ngff", "0.4", "tests", suite)));
        var test = doc.RootElement.GetProperty("tests")[index];
        var schemaFile = System.IO.Path.GetFileName(doc.RootElement.GetProperty("schema").GetProperty("id").GetString()!);
        var errors = NgffSchemas.Errors(schemaFile, test.GetProperty("data"));
        Assert.Equal(test.GetProperty("valid").GetBoolean(), errors.Count == 0);
    }
}
