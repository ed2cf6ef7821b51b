using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Ngff;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>Where each thing goes in the two layouts, and the attribute documents they hold.</summary>
internal static class DatasetDocuments
{
    /// <summary>The array of (position, level): <c>p{p}_{k}</c> (navigate) or <c>{p}/{k}</c> (bioformats2raw).</summary>
    public static string ArrayPath(OmeZarrLayout layout, int position, int level) => layout == OmeZarrLayout.Navigate
        ? $"{OmeZarrConstants.NavigateArrayPrefix}{position}_{level}"
        : $"{position}/{level}";

    /// <summary>The group holding position <paramref name="position"/>'s multiscale: the root (navigate) or <c>{p}</c>.</summary>
    public static string ImageGroup(OmeZarrLayout layout, int position) => layout == OmeZarrLayout.Navigate ? string.Empty : $"{position}";

    /// <summary>A level's path relative to its image group (the multiscale's dataset path).</summary>
    public static string DatasetPath(OmeZarrLayout layout, int position, int level) => layout == OmeZarrLayout.Navigate
        ? ArrayPath(layout, position, level)
        : $"{level}";

    /// <summary>The multiscale's name: navigate's <c>p{position}</c>.</summary>
    public static string ImageName(int position) => $"{OmeZarrConstants.NavigateArrayPrefix}{position}";

    /// <summary>
    /// The <c>navigate</c> block of the root attributes: the acquisition as recorded (after an early close, its counts
    /// are what the dataset holds), how many frames were planned and how many are stored, and how it was written.
    /// </summary>
    public static JsonObject NavigateBlock(AcquisitionMetadata recorded, long framesExpected, long framesWritten, bool complete, OmeZarrOptions options, IReadOnlyList<Size3> resolutions)
    {
        var levels = new JsonArray();
        foreach (var r in resolutions)
        {
            levels.Add(new JsonArray(r.X, r.Y, r.Z));
        }

        return new JsonObject
        {
            ["writer"] = $"{OmeZarrConstants.PluginName} {typeof(DatasetDocuments).Assembly.GetName().Version?.ToString(3)}",
            ["layout"] = options.Layout == OmeZarrLayout.Navigate ? "navigate" : "bioformats2raw",
            ["frames_expected"] = framesExpected,
            ["frames_written"] = framesWritten,
            ["complete"] = complete,
            ["resolutions_xyz"] = levels,
            ["metadata"] = AcquisitionJson.ToJson(recorded),
        };
    }

    /// <summary>
    /// The root attributes. Navigate layout: every started position's multiscale, the omero block and the navigate
    /// block. bioformats2raw: the layout marker and the navigate block.
    /// </summary>
    public static JsonObject RootAttributes(OmeZarrLayout layout, IReadOnlyList<NgffMultiscale> multiscales, NgffOmero omero, JsonObject navigateBlock)
    {
        var root = new JsonObject();
        if (layout == OmeZarrLayout.Bioformats2Raw)
        {
            root[OmeZarrConstants.Bioformats2RawLayoutKey] = OmeZarrConstants.Bioformats2RawLayoutVersion;
        }
        else if (multiscales.Count > 0)
        {
            NgffWriter.WriteImage(new NgffImage(multiscales, omero), root);
        }

        root[OmeZarrConstants.NavigateAttributesKey] = navigateBlock;
        return root;
    }

    /// <summary>The attributes of one bioformats2raw image group.</summary>
    public static JsonObject ImageAttributes(NgffMultiscale multiscale, NgffOmero omero)
    {
        var json = new JsonObject();
        NgffWriter.WriteImage(new NgffImage([multiscale], omero), json);
        return json;
    }

    /// <summary>The <c>OME</c> group's attributes: the image groups in order.</summary>
    public static JsonObject SeriesAttributes(int positions)
    {
        var series = new JsonArray();
        for (var p = 0; p < positions; p++)
        {
            series.Add($"{p}");
        }

        return new JsonObject { ["series"] = series };
    }

    /// <summary>An array's attributes: xarray's dimension names.</summary>
    public static JsonObject ArrayAttributes()
    {
        var names = new JsonArray();
        foreach (var name in OmeZarrConstants.AxisNames)
        {
            names.Add(name);
        }

        return new JsonObject { [OmeZarrConstants.ArrayDimensionsKey] = names };
    }
}
