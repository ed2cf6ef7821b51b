using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Storage;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// Describes an OME-NGFF 0.4 dataset without reading pixels: every image (navigate position, bioformats2raw series,
/// plate field), every level with its shape, chunks, dtype, codec and effective scale and translation, the axes, the
/// channels and the label images (<c>labels/*</c>) of each image group. Works on any OME-NGFF 0.4 image, not only ours. What <c>navigate inspect PATH [--json]</c> prints.
/// </summary>
public static class OmeZarrInspector
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Inspects the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="NgffMetadataException">The metadata breaks an OME-NGFF 0.4 rule.</exception>
    /// <exception cref="OmeZarrLayoutException">The dataset is not an OME-Zarr image, or its arrays do not match.</exception>
    public static OmeZarrInspection Inspect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var store = OmeZarrStore.OpenExisting(path);
        using var root = store.ReadJson(".zattrs")
            ?? throw new OmeZarrLayoutException($"{store.Path}: has no .zattrs; an OME-Zarr dataset keeps its OME-NGFF metadata in the root group's attributes.");
        var attributes = root.RootElement;
        var kind = "image";
        List<(string Group, NgffMultiscale Multiscale, NgffOmero? Omero)> images;
        if (attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("plate", out var plate))
        {
            kind = "plate";
            images = PlateImages(store, plate);
        }
        else
        {
            if (attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(OmeZarrConstants.Bioformats2RawLayoutKey, out _))
            {
                kind = "bioformats2raw";
            }

            images = [.. OmeZarrDatasetReader.FindImages(store, attributes).Select(i => (i.GroupPath, i.Multiscale, i.Omero))];
        }

        var result = new List<InspectedImage>(images.Count);
        var groupsWithLabels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            var (group, multiscale, omero) = images[i];

            // A group's labels belong to the group, not to one multiscale of it: navigate's layout keeps every
            // position in the root group, so they are listed once, with the group's first image.
            var labels = groupsWithLabels.Add(group) ? Labels(store, group) : [];
            result.Add(new InspectedImage(
                i,
                group,
                multiscale.Name,
                Axes(multiscale),
                Levels(store, group, multiscale),
                [.. (omero?.Channels ?? []).Select(c => new InspectedChannel(c.Label, c.Color, c.Window.Start, c.Window.End, c.Active))],
                multiscale.Transform?.Scale,
                multiscale.Transform?.Translation,
                labels));
        }

        InspectedProgress? progress = null;
        if (attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(OmeZarrConstants.NavigateAttributesKey, out var navigate) && navigate.ValueKind == JsonValueKind.Object)
        {
            progress = new InspectedProgress(
                navigate.TryGetProperty("writer", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null,
                navigate.TryGetProperty("frames_expected", out var e) && e.TryGetInt64(out var expected) ? expected : null,
                navigate.TryGetProperty("frames_written", out var f) && f.TryGetInt64(out var written) ? written : null,
                navigate.TryGetProperty("complete", out var c) && c.ValueKind == JsonValueKind.True);
        }

        return new OmeZarrInspection(store.Path, kind, result, progress, store.Exists(".zmetadata"));
    }

    /// <summary>The inspection in the host's format-neutral terms (<see cref="IDatasetInspector"/>).</summary>
    public static DatasetDescription ToDescription(OmeZarrInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var format = $"ome-zarr {OmeZarrConstants.NgffVersion} (zarr v2{(inspection.Kind == "image" ? string.Empty : ", " + inspection.Kind)})";
        return new DatasetDescription(
            inspection.Path,
            format,
            [.. inspection.Images.Select(i => new ImageDescription(
                i.Name ?? $"{OmeZarrConstants.NavigateArrayPrefix}{i.Index}",
                i.Group,
                Axes(i.Axes),
                Levels(i.Levels),
                [.. i.Channels.Select((c, n) => new ChannelInfo(c.Label ?? $"CH{n:00}", c.Color))])
            {
                Labels = [.. i.Labels.Select(l => new ImageDescription(l.Name, l.Group, Axes(l.Axes), Levels(l.Levels), []))],
            })]);

        static AxisDescription[] Axes(IReadOnlyList<InspectedAxis> axes) => [.. axes.Select(a => new AxisDescription(a.Name, a.Type ?? string.Empty, a.Unit))];
        static LevelDescription[] Levels(IReadOnlyList<InspectedLevel> levels) => [.. levels.Select(l => new LevelDescription(l.Path, l.Shape, [.. l.Chunks.Select(c => (long)c)], l.NumpyType, l.Codec, l.Scale, l.Translation))];
    }

    /// <summary>The inspection as indented JSON (camelCase names).</summary>
    public static string ToJson(OmeZarrInspection inspection) => JsonSerializer.Serialize(inspection, JsonOptions);

    /// <summary>The inspection as plain text, one block per image and one line per level.</summary>
    public static string ToText(OmeZarrInspection inspection)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"{inspection.Path}: OME-NGFF 0.4 {inspection.Kind}, {inspection.Images.Count} image(s){(inspection.Consolidated ? ", consolidated metadata" : string.Empty)}\n");
        if (inspection.Progress is { } p)
        {
            text.Append(c, $"  written by {p.Writer ?? "?"}: {p.FramesWritten?.ToString(c) ?? "?"} of {p.FramesExpected?.ToString(c) ?? "?"} frames{(p.Complete ? " (complete)" : " (incomplete)")}\n");
        }

        foreach (var image in inspection.Images)
        {
            text.Append(c, $"  image {image.Index} '{image.Name ?? "(unnamed)"}' in /{image.Group}  axes {AxesText(image.Axes)}\n");
            if (image.MultiscaleScale is not null || image.MultiscaleTranslation is not null)
            {
                // The level lines show the combined values; this says where the difference from the datasets' comes from.
                text.Append(c, $"    multiscale transform: scale {(image.MultiscaleScale is { } ms ? Join(ms) : "-")}  translation {(image.MultiscaleTranslation is { } mt ? Join(mt) : "-")} (included in the levels' scale and translation)\n");
            }

            AppendLevels(image.Levels, "    ");
            foreach (var channel in image.Channels)
            {
                text.Append(c, $"    channel '{channel.Label ?? "?"}' #{channel.Color} window {channel.Start}..{channel.End}\n");
            }

            foreach (var label in image.Labels)
            {
                text.Append(c, $"    label '{label.Name}' in /{label.Group}  axes {AxesText(label.Axes)}\n");
                AppendLevels(label.Levels, "      ");
            }
        }

        return text.ToString();

        void AppendLevels(IReadOnlyList<InspectedLevel> levels, string indent)
        {
            foreach (var level in levels)
            {
                text.Append(c, $"{indent}{level.Path,-12} shape {Join(level.Shape)}  chunks {Join(level.Chunks)}  {level.DataType}  {level.Codec}  scale {Join(level.Scale)}");
                if (level.Translation is { } t)
                {
                    text.Append(c, $"  translation {Join(t)}");
                }

                text.Append('\n');
            }
        }

        static string AxesText(IReadOnlyList<InspectedAxis> axes) => string.Join(" ", axes.Select(a => a.Unit is null ? a.Name : $"{a.Name}[{a.Unit}]"));

        static string Join<T>(IEnumerable<T> values) => "(" + string.Join(", ", values.Select(v => string.Format(CultureInfo.InvariantCulture, "{0}", v))) + ")";
    }

    private static List<InspectedAxis> Axes(NgffMultiscale multiscale) => [.. multiscale.Axes.Select(a => new InspectedAxis(a.Name, a.Type, a.Unit))];

    /// <summary>
    /// Every level of <paramref name="multiscale"/> with its effective scale and translation: the dataset's
    /// transformation followed by the multiscale's own, as OME-NGFF 0.4 defines them, so the numbers are the physical
    /// size and origin a viewer uses, not one half of them.
    /// </summary>
    private static List<InspectedLevel> Levels(OmeZarrStore store, string group, NgffMultiscale multiscale)
    {
        var levels = new List<InspectedLevel>(multiscale.Datasets.Count);
        foreach (var dataset in multiscale.Datasets)
        {
            var arrayPath = group.Length == 0 ? dataset.Path : $"{group}/{dataset.Path}";
            var array = store.OpenArray(arrayPath, map: null);
            var transform = dataset.Transform.Then(multiscale.Transform, multiscale.Axes.Count);
            levels.Add(new InspectedLevel(arrayPath, array.Shape, array.Chunks, array.DataTypeName, array.Zarr.DataType.NumpyName, array.CodecDescription, transform.Scale, transform.Translation));
        }

        return levels;
    }

    /// <summary>
    /// The label images of the image group <paramref name="group"/> (OME-NGFF 0.4 "labels"): the names listed in
    /// <c>labels/.zattrs</c>, each a multiscale image group of its own under <c>labels/NAME</c>.
    /// </summary>
    private static List<InspectedLabel> Labels(OmeZarrStore store, string group)
    {
        var labelsGroup = group.Length == 0 ? "labels" : $"{group}/labels";
        var key = $"{labelsGroup}/.zattrs";
        using var doc = store.ReadJson(key);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("labels", out var names))
        {
            return [];
        }

        if (names.ValueKind != JsonValueKind.Array || names.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
        {
            throw new NgffMetadataException($"{store.Path}/{key}", "labels", $"is {NgffReader.Describe(names)}; expected a list of label image names.");
        }

        var labels = new List<InspectedLabel>();
        foreach (var name in names.EnumerateArray().Select(n => n.GetString()!))
        {
            var labelGroup = $"{labelsGroup}/{name}";
            var labelKey = $"{labelGroup}/.zattrs";
            using var labelDoc = store.ReadJson(labelKey)
                ?? throw new OmeZarrLayoutException($"{store.Path}: {key} lists the label image '{name}', but {labelKey} does not exist.");
            var image = NgffReader.ReadImage(labelDoc.RootElement, $"{store.Path}/{labelKey}");
            var multiscale = image.Multiscales[0];
            labels.Add(new InspectedLabel(name, labelGroup, multiscale.Name, Axes(multiscale), Levels(store, labelGroup, multiscale)));
        }

        return labels;
    }

    private static List<(string, NgffMultiscale, NgffOmero?)> PlateImages(OmeZarrStore store, JsonElement plate)
    {
        var images = new List<(string, NgffMultiscale, NgffOmero?)>();
        if (plate.ValueKind != JsonValueKind.Object || !plate.TryGetProperty("wells", out var wells) || wells.ValueKind != JsonValueKind.Array)
        {
            throw new NgffMetadataException($"{store.Path}/.zattrs", "plate.wells", "is missing or not a list; expected the plate's wells.");
        }

        foreach (var well in wells.EnumerateArray())
        {
            if (!well.TryGetProperty("path", out var wellPath) || wellPath.ValueKind != JsonValueKind.String)
            {
                throw new NgffMetadataException($"{store.Path}/.zattrs", "plate.wells[].path", "is missing; expected a well path such as A/1.");
            }

            var wellKey = $"{wellPath.GetString()}/.zattrs";
            using var wellDoc = store.ReadJson(wellKey) ?? throw new OmeZarrLayoutException($"{store.Path}: well '{wellPath.GetString()}' has no .zattrs.");
            if (!wellDoc.RootElement.TryGetProperty("well", out var wellAttributes) || !wellAttributes.TryGetProperty("images", out var fields) || fields.ValueKind != JsonValueKind.Array)
            {
                throw new NgffMetadataException($"{store.Path}/{wellKey}", "well.images", "is missing; expected the well's fields of view.");
            }

            foreach (var field in fields.EnumerateArray())
            {
                var group = $"{wellPath.GetString()}/{field.GetProperty("path").GetString()}";
                using var doc = store.ReadJson($"{group}/.zattrs") ?? throw new OmeZarrLayoutException($"{store.Path}: field '{group}' has no .zattrs.");
                var image = NgffReader.ReadImage(doc.RootElement, $"{store.Path}/{group}/.zattrs");
                images.Add((group, image.Multiscales[0], image.Omero));
            }
        }

        return images;
    }
}

/// <summary>What <see cref="OmeZarrInspector"/> found.</summary>
/// <param name="Path">The dataset.</param>
/// <param name="Kind"><c>image</c>, <c>bioformats2raw</c> or <c>plate</c>.</param>
/// <param name="Images">Every image (position) in order.</param>
/// <param name="Progress">navigate's record of frames written, when the dataset has one.</param>
/// <param name="Consolidated">True when the dataset has consolidated metadata (<c>.zmetadata</c>).</param>
public sealed record OmeZarrInspection(string Path, string Kind, IReadOnlyList<InspectedImage> Images, InspectedProgress? Progress, bool Consolidated);

/// <summary>One image (navigate: one position).</summary>
/// <param name="Index">Its position index.</param>
/// <param name="Group">The group holding its multiscale, relative to the root (empty for the root).</param>
/// <param name="Name">The multiscale's name.</param>
/// <param name="Axes">Its axes.</param>
/// <param name="Levels">Its pyramid levels, full resolution first.</param>
/// <param name="Channels">Its omero channels (may be empty).</param>
/// <param name="MultiscaleScale">The multiscale's own scale (applied after each level's, and already in each level's <see cref="InspectedLevel.Scale"/>), or null.</param>
/// <param name="MultiscaleTranslation">The multiscale's own translation (already in each level's <see cref="InspectedLevel.Translation"/>), or null.</param>
/// <param name="Labels">The label images of its group (<c>labels/*</c>); empty when it has none.</param>
public sealed record InspectedImage(
    int Index,
    string Group,
    string? Name,
    IReadOnlyList<InspectedAxis> Axes,
    IReadOnlyList<InspectedLevel> Levels,
    IReadOnlyList<InspectedChannel> Channels,
    IReadOnlyList<double>? MultiscaleScale,
    IReadOnlyList<double>? MultiscaleTranslation,
    IReadOnlyList<InspectedLabel> Labels);

/// <summary>A label image (segmentation) of an image group: OME-NGFF 0.4 <c>labels/NAME</c>.</summary>
/// <param name="Name">The name listed in <c>labels/.zattrs</c>.</param>
/// <param name="Group">Its group, relative to the root (e.g. <c>0/labels/cells</c>).</param>
/// <param name="MultiscaleName">Its multiscale's name, or null.</param>
/// <param name="Axes">Its axes.</param>
/// <param name="Levels">Its pyramid levels, full resolution first (effective scales, as for images).</param>
public sealed record InspectedLabel(string Name, string Group, string? MultiscaleName, IReadOnlyList<InspectedAxis> Axes, IReadOnlyList<InspectedLevel> Levels);

/// <summary>An axis.</summary>
/// <param name="Name">Name.</param>
/// <param name="Type">Type, if given.</param>
/// <param name="Unit">Unit, if given.</param>
public sealed record InspectedAxis(string Name, string? Type, string? Unit);

/// <summary>One pyramid level.</summary>
/// <param name="Path">The array's path from the root.</param>
/// <param name="Shape">Array shape.</param>
/// <param name="Chunks">Chunk shape.</param>
/// <param name="DataType">Zarr dtype, e.g. <c>&lt;u2</c>.</param>
/// <param name="NumpyType">The numpy name of the dtype, e.g. <c>uint16</c>.</param>
/// <param name="Codec">The compressor, e.g. <c>blosc(lz4, clevel 5, shuffle 1)</c>, or <c>none</c>.</param>
/// <param name="Scale">Physical size per pixel along each axis: the level's scale times the multiscale's, if it has one.</param>
/// <param name="Translation">Physical offset of the first pixel (the level's translation, then the multiscale's scale and translation), if either has one.</param>
public sealed record InspectedLevel(string Path, IReadOnlyList<long> Shape, IReadOnlyList<int> Chunks, string DataType, string NumpyType, string Codec, IReadOnlyList<double> Scale, IReadOnlyList<double>? Translation);

/// <summary>One channel's display settings.</summary>
/// <param name="Label">Name.</param>
/// <param name="Color">RRGGBB.</param>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end.</param>
/// <param name="Active">Shown by default.</param>
public sealed record InspectedChannel(string? Label, string Color, double Start, double End, bool? Active);

/// <summary>navigate's record of how much of the acquisition the dataset holds.</summary>
/// <param name="Writer">Who wrote it.</param>
/// <param name="FramesExpected">Frames planned.</param>
/// <param name="FramesWritten">Frames stored.</param>
/// <param name="Complete">True when every planned frame was stored and the dataset was closed.</param>
public sealed record InspectedProgress(string? Writer, long? FramesExpected, long? FramesWritten, bool Complete);
