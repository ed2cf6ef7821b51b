using Navigate.Plugins.OmeZarr.Ngff;

namespace Navigate.Plugins.OmeZarr.Tests.Ngff;

/// <summary>The MUST rules of OME-NGFF 0.4 that the suites do not exercise.</summary>
public sealed class NgffReaderTests
{
    private static string Image(string axes, string datasets = """[{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": SCALE}]}]""", string extra = "")
    {
        var count = axes.Split('{').Length - 1;
        var scale = "[" + string.Join(", ", Enumerable.Repeat("1", count)) + "]";
        return $$"""{"multiscales": [{"version": "0.4", "axes": {{axes}}, "datasets": {{datasets.Replace("SCALE", scale, StringComparison.Ordinal)}}}]{{extra}}}""";
    }

    private const string Czyx = """[{"name": "c", "type": "channel"}, {"name": "z", "type": "space"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]""";

    [Theory]
    [InlineData("""[{"name": "z", "type": "space"}, {"name": "c", "type": "channel"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]""",
        "multiscales[0].axes[1]: axis \"c\" of type \"channel\" comes after a space axis (z:space, c:channel, y:space, x:space); axes must be ordered time, then channel or custom, then space.")]
    [InlineData("""[{"name": "c", "type": "channel"}, {"name": "t", "type": "time"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]""",
        "multiscales[0].axes[1]: axis \"t\" of type \"time\" comes after a channel or custom axis")]
    [InlineData("""[{"name": "t", "type": "time"}, {"name": "u", "type": "time"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]""",
        "multiscales[0].axes[1]: is a second time axis (t:time, u:time, y:space, x:space); expected at most one.")]
    [InlineData("""[{"name": "c", "type": "channel"}, {"name": "angle"}, {"name": "y", "type": "space"}, {"name": "x", "type": "space"}]""",
        "multiscales[0].axes[1]: is a second channel or custom axis (c:channel, angle, y:space, x:space); expected at most one.")]
    [InlineData("""[{"name": 3, "type": "space"}, {"name": "x", "type": "space"}]""",
        "multiscales[0].axes[0].name: is the number 3; expected a string.")]
    [InlineData("""{"y": "space"}""", "multiscales[0].axes: is an object; expected a list.")]
    public void Axes_break_a_must_rule(string axes, string message)
    {
        var e = Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage(Image(axes), "a/.zattrs"));
        Assert.StartsWith("a/.zattrs: " + message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 1]}, {"type": "translation", "translation": [1, 2, 3, 4, 5]}]}]""",
        "multiscales[0].datasets[0].coordinateTransformations[1].translation: has 5 values; expected 4, one per axis.")]
    [InlineData("""[{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 1]}, {"type": "translation", "translation": [1, 2, 3, 4]}, {"type": "translation", "translation": [1, 2, 3, 4]}]}]""",
        "multiscales[0].datasets[0].coordinateTransformations: has 3 transformations; expected one scale, optionally followed by one translation.")]
    [InlineData("""[{"path": "0", "coordinateTransformations": [{"type": "scale", "path": "scale.bin"}]}]""",
        "multiscales[0].datasets[0].coordinateTransformations[0].path: gives the values in a separate array; only inline values are supported.")]
    [InlineData("""[{"path": "0", "coordinateTransformations": [{"type": "identity"}]}]""",
        "multiscales[0].datasets[0].coordinateTransformations[0].type: is \"identity\"; expected \"scale\" or \"translation\".")]
    [InlineData("""[{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 1e999]}]}]""",
        "multiscales[0].datasets[0].coordinateTransformations[0].scale[3]: is the number 1e999; expected a finite number.")]
    [InlineData("""[{"path": "", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 1]}]}]""",
        "multiscales[0].datasets[0].path: is empty; expected the array's path relative to the image group.")]
    public void Datasets_break_a_must_rule(string datasets, string message)
    {
        var e = Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage(Image(Czyx, datasets), "a/.zattrs"));
        Assert.Equal("a/.zattrs: " + message, e.Message);
    }

    [Theory]
    [InlineData(""", "omero": {"name": "x"}""", "omero.channels: is missing; the omero block needs a list of channels.")]
    [InlineData(""", "omero": {"channels": [{"color": "FF0000"}]}""", "omero.channels[0].window: is missing; expected an object with start, end, min and max.")]
    [InlineData(""", "omero": {"channels": [{"color": "FF0000", "window": {"start": 0, "end": 1, "min": 0}}]}""", "omero.channels[0].window.max: is missing; a window needs start, end, min and max.")]
    [InlineData(""", "omero": {"channels": [{"color": "FF0000", "window": {"start": 0, "end": 1, "min": 0, "max": 1}, "active": "yes"}]}""", "omero.channels[0].active: is the string \"yes\"; expected true or false.")]
    public void Omero_breaks_a_rule(string extra, string message)
    {
        var e = Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage(Image(Czyx, extra: extra), "a/.zattrs"));
        Assert.Equal("a/.zattrs: " + message, e.Message);
    }

    [Fact]
    public void Documents_that_are_not_json_objects_are_named()
    {
        Assert.Equal("x: $: expected a JSON object of attributes; found a list of 0.", Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage("[]", "x")).Message);
        Assert.StartsWith("x: $: is not valid JSON (line 1, byte 2)", Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage("{,}", "x")).Message, StringComparison.Ordinal);
        Assert.Equal("x: multiscales: is missing; an OME-NGFF image group needs a non-empty 'multiscales' list.", Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage("{}", "x")).Message);
        Assert.Equal("x: multiscales[0].version: is \"0.5\"; this reader supports OME-NGFF 0.4 (Zarr v2).", Assert.Throws<NgffMetadataException>(() => NgffReader.ReadImage("""{"multiscales": [{"version": "0.5"}]}""", "x")).Message);
    }

    [Fact]
    public void A_good_image_reads_completely_and_round_trips_through_the_writer()
    {
        const string Json = """
            {"multiscales": [{"version": "0.4", "name": "img", "type": "gaussian", "metadata": {"method": "skimage"},
              "axes": [{"name": "t", "type": "time", "unit": "second"}, {"name": "c", "type": "channel"}, {"name": "z", "type": "space", "unit": "micrometer"}, {"name": "y", "type": "space", "unit": "micrometer"}, {"name": "x", "type": "space", "unit": "micrometer"}],
              "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [2, 1, 0.5, 0.1, 0.1]}, {"type": "translation", "translation": [0, 0, 10, 20, 30]}]},
                           {"path": "1", "coordinateTransformations": [{"type": "scale", "scale": [2, 1, 0.5, 0.2, 0.2]}]}],
              "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1, 1, 1]}]}],
             "omero": {"name": "n", "channels": [{"color": "00FF00", "label": "GFP", "active": false, "window": {"start": 1, "end": 2, "min": 0, "max": 3}}], "rdefs": {"defaultT": 1, "defaultZ": 2, "model": "color"}}}
            """;
        var image = NgffReader.ReadImage(Json, "x");
        var m = image.Multiscales[0];
        Assert.Equal(("img", "gaussian", "skimage"), (m.Name, m.Type, m.Metadata!["method"]!.GetValue<string>()));
        Assert.Equal(2, m.IndexOfAxis("z"));
        Assert.Equal(-1, m.IndexOfAxis("q"));
        Assert.Equal([0, 0, 10, 20, 30], m.Datasets[0].Transform.Translation!);
        Assert.Null(m.Datasets[1].Transform.Translation);
        Assert.Equal(0.2, m.Datasets[1].Transform.ScaleOf(4, 5));
        Assert.Equal(new NgffOmeroChannel("00FF00", new NgffWindow(1, 2, 0, 3), "GFP", false, null, null, null), image.Omero!.Channels[0]);
        Assert.Equal((1, 2, "color"), (image.Omero.DefaultT, image.Omero.DefaultZ, image.Omero.Model));

        var written = new System.Text.Json.Nodes.JsonObject();
        NgffWriter.WriteImage(image, written);
        var again = NgffReader.ReadImage(written.ToJsonString(), "y");
        Assert.Equal(m.Datasets.Select(d => d.Transform.Scale.ToArray()), again.Multiscales[0].Datasets.Select(d => d.Transform.Scale.ToArray()));
        Assert.Equal(image.Omero.Channels, again.Omero!.Channels);
    }

    [Fact]
    public void A_short_scale_aligns_with_the_last_axes()
    {
        var t = new NgffTransform([0.5, 0.25], [7, 8]);
        Assert.Equal(1, t.ScaleOf(0, 3));
        Assert.Equal(0.5, t.ScaleOf(1, 3));
        Assert.Equal(0.25, t.ScaleOf(2, 3));
        Assert.Equal(0, t.TranslationOf(0, 3));
        Assert.Equal(8, t.TranslationOf(2, 3));
    }
}
