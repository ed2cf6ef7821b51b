using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Ngff;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>Where each thing goes in the three layouts, and the attribute documents they hold.</summary>
internal static class DatasetDocuments
{
    /// <summary>The row group of the HCS layout's one well.</summary>
    public const string WellRow = "A";

    /// <summary>The column of the HCS layout's one well.</summary>
    public const string WellColumn = "1";

    /// <summary>The HCS layout's one well (<c>A/1</c>).</summary>
    public const string WellPath = WellRow + "/" + WellColumn;

    /// <summary>The NGFF keys that OME-NGFF 0.5 moves under the <c>ome</c> attribute.</summary>
    private static readonly string[] NgffKeys = ["multiscales", "omero", "plate", "well", "series", OmeZarrConstants.Bioformats2RawLayoutKey, "labels", "image-label"];

    /// <summary>The array of (position, level): <c>p{p}_{k}</c> (navigate), <c>{p}/{k}</c> (bioformats2raw) or <c>A/1/{p}/{k}</c> (HCS).</summary>
    public static string ArrayPath(OmeZarrLayout layout, int position, int level) => layout switch
    {
        OmeZarrLayout.Navigate => $"{OmeZarrConstants.NavigateArrayPrefix}{position}_{level}",
        OmeZarrLayout.Hcs => $"{WellPath}/{position}/{level}",
        _ => $"{position}/{level}",
    };

    /// <summary>The group holding position <paramref name="position"/>'s multiscale: the root (navigate), <c>{p}</c> or <c>A/1/{p}</c>.</summary>
    public static string ImageGroup(OmeZarrLayout layout, int position) => layout switch
    {
        OmeZarrLayout.Navigate => string.Empty,
        OmeZarrLayout.Hcs => $"{WellPath}/{position}",
        _ => $"{position}",
    };

    /// <summary>
    /// The plate of the HCS layout: one row A, one column 1, one well A/1 with <paramref name="fields"/> fields (NGFF
    /// 0.4 puts the version in the plate; 0.5 in <c>ome</c>, see <see cref="ForZarrVersion"/>).
    /// </summary>
    public static JsonObject PlateAttributes(string name, int fields) => new()
    {
        ["plate"] = new JsonObject
        {
            ["version"] = OmeZarrConstants.NgffVersion,
            ["name"] = name,
            ["rows"] = new JsonArray(new JsonObject { ["name"] = WellRow }),
            ["columns"] = new JsonArray(new JsonObject { ["name"] = WellColumn }),
            ["wells"] = new JsonArray(new JsonObject { ["path"] = WellPath, ["rowIndex"] = 0, ["columnIndex"] = 0 }),
            ["field_count"] = Math.Max(fields, 1),
        },
    };

    /// <summary>The well's attributes: its fields <c>0</c> .. <c>fields-1</c> (at least one).</summary>
    public static JsonObject WellAttributes(int fields)
    {
        var images = new JsonArray();
        for (var p = 0; p < Math.Max(fields, 1); p++)
        {
            images.Add(new JsonObject { ["path"] = $"{p}" });
        }

        return new JsonObject { ["well"] = new JsonObject { ["version"] = OmeZarrConstants.NgffVersion, ["images"] = images } };
    }

    /// <summary>
    /// NGFF 0.4 attributes as they are (Zarr v2), or in the OME-NGFF 0.5 form (Zarr v3): the NGFF keys move under
    /// <c>ome</c> with <c>"version": "0.5"</c> and lose their own versions; other keys (navigate's block) stay.
    /// </summary>
    public static JsonObject ForZarrVersion(JsonObject attributes, int zarrVersion)
    {
        if (zarrVersion != 3)
        {
            return attributes;
        }

        var ome = new JsonObject { ["version"] = OmeZarrConstants.NgffV3Version };
        var result = new JsonObject();
        foreach (var (key, value) in attributes.ToList())
        {
            attributes.Remove(key);
            if (!NgffKeys.Contains(key))
            {
                result[key] = value;
                continue;
            }

            switch (value)
            {
                case JsonArray list when key == "multiscales":
                    foreach (var entry in list.OfType<JsonObject>())
                    {
                        entry.Remove("version");
                    }

                    break;
                case JsonObject o:
                    o.Remove("version");
                    break;
            }

            ome[key] = value;
        }

        var ordered = new JsonObject { ["ome"] = ome };
        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }

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
            ["layout"] = OmeZarrOptions.LayoutName(options.Layout),
            ["zarr_version"] = options.ZarrVersion,
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
    public static JsonObject RootAttributes(OmeZarrLayout layout, IReadOnlyList<NgffMultiscale> multiscales, NgffOmero omero, JsonObject navigateBlock, string name = "", int fields = 1)
    {
        var root = new JsonObject();
        if (layout == OmeZarrLayout.Bioformats2Raw)
        {
            root[OmeZarrConstants.Bioformats2RawLayoutKey] = OmeZarrConstants.Bioformats2RawLayoutVersion;
        }
        else if (layout == OmeZarrLayout.Hcs)
        {
            root = PlateAttributes(name, fields);
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

    /// <summary>An array's attributes: xarray's dimension names for Zarr v2 (v3 has <c>dimension_names</c> in <c>zarr.json</c>).</summary>
    public static JsonObject ArrayAttributes(int zarrVersion = 2)
    {
        if (zarrVersion == 3)
        {
            return [];
        }

        var names = new JsonArray();
        foreach (var name in OmeZarrConstants.AxisNames)
        {
            names.Add(name);
        }

        return new JsonObject { [OmeZarrConstants.ArrayDimensionsKey] = names };
    }
}
