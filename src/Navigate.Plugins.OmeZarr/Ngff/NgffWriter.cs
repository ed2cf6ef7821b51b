using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Ngff;

/// <summary>Writes OME-NGFF 0.4 image metadata as JSON nodes, to be merged into a group's attributes.</summary>
public static class NgffWriter
{
    /// <summary>
    /// Sets <c>multiscales</c> (and <c>omero</c> when present) of <paramref name="image"/> on <paramref name="attributes"/>,
    /// keeping every other key.
    /// </summary>
    public static void WriteImage(NgffImage image, JsonObject attributes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(attributes);
        var multiscales = new JsonArray();
        foreach (var multiscale in image.Multiscales)
        {
            multiscales.Add(ToJson(multiscale));
        }

        attributes["multiscales"] = multiscales;
        if (image.Omero is { } omero)
        {
            attributes["omero"] = ToJson(omero);
        }
        else
        {
            attributes.Remove("omero");
        }
    }

    /// <summary>One multiscale entry.</summary>
    public static JsonObject ToJson(NgffMultiscale multiscale)
    {
        ArgumentNullException.ThrowIfNull(multiscale);
        var json = new JsonObject();
        if (multiscale.Version is { } version)
        {
            json["version"] = version;
        }

        if (multiscale.Name is { } name)
        {
            json["name"] = name;
        }

        var axes = new JsonArray();
        foreach (var axis in multiscale.Axes)
        {
            var axisJson = new JsonObject { ["name"] = axis.Name };
            if (axis.Type is { } type)
            {
                axisJson["type"] = type;
            }

            if (axis.Unit is { } unit)
            {
                axisJson["unit"] = unit;
            }

            axes.Add(axisJson);
        }

        json["axes"] = axes;
        var datasets = new JsonArray();
        foreach (var dataset in multiscale.Datasets)
        {
            datasets.Add(new JsonObject
            {
                ["path"] = dataset.Path,
                ["coordinateTransformations"] = ToJson(dataset.Transform),
            });
        }

        json["datasets"] = datasets;
        if (multiscale.Transform is { } transform)
        {
            json["coordinateTransformations"] = ToJson(transform);
        }

        if (multiscale.Type is { } downscaleType)
        {
            json["type"] = downscaleType;
        }

        if (multiscale.Metadata is { } metadata)
        {
            json["metadata"] = metadata.DeepClone();
        }

        return json;
    }

    /// <summary>A scale and optional translation as a <c>coordinateTransformations</c> list.</summary>
    public static JsonArray ToJson(NgffTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        var list = new JsonArray { new JsonObject { ["type"] = "scale", ["scale"] = Numbers(transform.Scale) } };
        if (transform.Translation is { } translation)
        {
            list.Add(new JsonObject { ["type"] = "translation", ["translation"] = Numbers(translation) });
        }

        return list;
    }

    /// <summary>The <c>omero</c> block.</summary>
    public static JsonObject ToJson(NgffOmero omero)
    {
        ArgumentNullException.ThrowIfNull(omero);
        var channels = new JsonArray();
        foreach (var channel in omero.Channels)
        {
            var json = new JsonObject();
            if (channel.Active is { } active)
            {
                json["active"] = active;
            }

            if (channel.Coefficient is { } coefficient)
            {
                json["coefficient"] = coefficient;
            }

            json["color"] = channel.Color;
            if (channel.Family is { } family)
            {
                json["family"] = family;
            }

            if (channel.Inverted is { } inverted)
            {
                json["inverted"] = inverted;
            }

            if (channel.Label is { } label)
            {
                json["label"] = label;
            }

            json["window"] = new JsonObject
            {
                ["start"] = channel.Window.Start,
                ["end"] = channel.Window.End,
                ["min"] = channel.Window.Min,
                ["max"] = channel.Window.Max,
            };
            channels.Add(json);
        }

        var result = new JsonObject();
        if (omero.Name is { } name)
        {
            result["name"] = name;
        }

        result["channels"] = channels;
        if (omero.DefaultT is not null || omero.DefaultZ is not null || omero.Model is not null)
        {
            var rdefs = new JsonObject();
            if (omero.DefaultT is { } t)
            {
                rdefs["defaultT"] = t;
            }

            if (omero.DefaultZ is { } z)
            {
                rdefs["defaultZ"] = z;
            }

            if (omero.Model is { } model)
            {
                rdefs["model"] = model;
            }

            result["rdefs"] = rdefs;
        }

        return result;
    }

    private static JsonArray Numbers(IReadOnlyList<double> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }
}
