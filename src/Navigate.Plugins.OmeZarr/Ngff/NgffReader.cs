using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Ngff;

/// <summary>
/// Reads OME-NGFF 0.4 image metadata from a group's attributes and checks it against the specification's MUST rules:
/// axis count, types and order; one scale transformation first per dataset and at most one translation, each as long
/// as the axes; non-empty datasets; the version; the <c>omero</c> channel fields. A document that breaks a rule is
/// rejected with an <see cref="NgffMetadataException"/> naming the JSON path, what was expected and what was found.
/// Where the specification's own validation suite is more lenient than its text (a scale shorter than the axes), the
/// suite wins.
/// SHOULD rules (unit names, a name per image) are not enforced: real files break them and stay readable.
/// </summary>
public static class NgffReader
{
    /// <summary>True when <paramref name="attributes"/> has a <c>multiscales</c> key (without checking it).</summary>
    public static bool HasMultiscales(JsonElement attributes) =>
        attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("multiscales", out _);

    /// <summary>Reads and checks the image metadata in <paramref name="attributes"/> (a group's <c>.zattrs</c>).</summary>
    /// <param name="attributes">The attributes document.</param>
    /// <param name="document">Where the document came from, for messages (e.g. <c>/data/a.ome.zarr/.zattrs</c>).</param>
    /// <exception cref="NgffMetadataException">The metadata breaks an OME-NGFF 0.4 rule.</exception>
    public static NgffImage ReadImage(JsonElement attributes, string document)
    {
        var reader = new Context(document);
        if (attributes.ValueKind != JsonValueKind.Object)
        {
            throw reader.Error("$", $"expected a JSON object of attributes; found {Describe(attributes)}.");
        }

        if (!attributes.TryGetProperty("multiscales", out var multiscales))
        {
            throw reader.Error("multiscales", "is missing; an OME-NGFF image group needs a non-empty 'multiscales' list.");
        }

        var list = reader.Array(multiscales, "multiscales");
        if (list.Count == 0)
        {
            throw reader.Error("multiscales", "is an empty list; expected at least one multiscale image.");
        }

        var result = new List<NgffMultiscale>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            result.Add(ReadMultiscale(reader, list[i], $"multiscales[{i}]"));
        }

        NgffOmero? omero = null;
        if (attributes.TryGetProperty("omero", out var omeroElement))
        {
            omero = ReadOmero(reader, omeroElement, "omero");
        }

        return new NgffImage(result, omero);
    }

    /// <summary>Parses <paramref name="json"/> and reads the image metadata in it.</summary>
    /// <exception cref="NgffMetadataException">The text is not JSON or the metadata breaks an OME-NGFF 0.4 rule.</exception>
    public static NgffImage ReadImage(string json, string document)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new NgffMetadataException(document, "$", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (parsed)
        {
            return ReadImage(parsed.RootElement, document);
        }
    }

    private static NgffMultiscale ReadMultiscale(Context reader, JsonElement element, string path)
    {
        reader.Object(element, path);
        string? version = null;
        if (element.TryGetProperty("version", out var versionElement))
        {
            version = reader.String(versionElement, path + ".version");
            if (version != OmeZarrConstants.NgffVersion)
            {
                throw reader.Error(path + ".version", $"is \"{version}\"; this reader supports OME-NGFF {OmeZarrConstants.NgffVersion} (Zarr v2).");
            }
        }

        var axes = ReadAxes(reader, element, path);
        if (!element.TryGetProperty("datasets", out var datasetsElement))
        {
            throw reader.Error(path + ".datasets", "is missing; expected a non-empty list of pyramid levels.");
        }

        var datasetList = reader.Array(datasetsElement, path + ".datasets");
        if (datasetList.Count == 0)
        {
            throw reader.Error(path + ".datasets", "is an empty list; expected at least one pyramid level.");
        }

        var datasets = new List<NgffDataset>(datasetList.Count);
        for (var i = 0; i < datasetList.Count; i++)
        {
            var datasetPath = $"{path}.datasets[{i}]";
            var dataset = datasetList[i];
            reader.Object(dataset, datasetPath);
            if (!dataset.TryGetProperty("path", out var pathElement))
            {
                throw reader.Error(datasetPath + ".path", "is missing; expected the array's path relative to the image group.");
            }

            var arrayPath = reader.String(pathElement, datasetPath + ".path");
            if (arrayPath.Length == 0)
            {
                throw reader.Error(datasetPath + ".path", "is empty; expected the array's path relative to the image group.");
            }

            if (!dataset.TryGetProperty("coordinateTransformations", out var transforms))
            {
                throw reader.Error(datasetPath + ".coordinateTransformations", "is missing; every dataset needs a scale transformation.");
            }

            datasets.Add(new NgffDataset(arrayPath, ReadTransform(reader, transforms, datasetPath + ".coordinateTransformations", axes.Count)));
        }

        NgffTransform? transform = null;
        if (element.TryGetProperty("coordinateTransformations", out var multiscaleTransforms))
        {
            transform = ReadTransform(reader, multiscaleTransforms, path + ".coordinateTransformations", axes.Count);
        }

        var name = element.TryGetProperty("name", out var nameElement) ? reader.String(nameElement, path + ".name") : null;
        var type = element.TryGetProperty("type", out var typeElement) ? reader.String(typeElement, path + ".type") : null;
        JsonObject? metadata = null;
        if (element.TryGetProperty("metadata", out var metadataElement))
        {
            reader.Object(metadataElement, path + ".metadata");
            metadata = JsonNode.Parse(metadataElement.GetRawText())!.AsObject();
        }

        return new NgffMultiscale(axes, datasets, name, version, transform, type, metadata);
    }

    private static List<NgffAxis> ReadAxes(Context reader, JsonElement multiscale, string path)
    {
        path += ".axes";
        if (!multiscale.TryGetProperty("axes", out var axesElement))
        {
            throw reader.Error(path, "is missing; OME-NGFF 0.4 needs 2 to 5 axes.");
        }

        var list = reader.Array(axesElement, path);
        if (list.Count < 2 || list.Count > 5)
        {
            throw reader.Error(path, $"has {list.Count} axes; expected 2 to 5.");
        }

        var axes = new List<NgffAxis>(list.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var axisPath = $"{path}[{i}]";
            reader.Object(list[i], axisPath);
            if (!list[i].TryGetProperty("name", out var nameElement))
            {
                throw reader.Error(axisPath + ".name", "is missing; every axis needs a name.");
            }

            var name = reader.String(nameElement, axisPath + ".name");
            if (!names.Add(name))
            {
                throw reader.Error(axisPath + ".name", $"is \"{name}\", the name of an earlier axis; axis names must be unique.");
            }

            var type = list[i].TryGetProperty("type", out var typeElement) ? reader.String(typeElement, axisPath + ".type") : null;
            var unit = list[i].TryGetProperty("unit", out var unitElement) && unitElement.ValueKind != JsonValueKind.Null
                ? reader.String(unitElement, axisPath + ".unit")
                : null;
            axes.Add(new NgffAxis(name, type, unit));
        }

        var spaceCount = axes.Count(a => a.Type == NgffAxis.Space);
        if (spaceCount is < 2 or > 3)
        {
            throw reader.Error(path, $"has {spaceCount} axes of type \"space\" ({Names(axes)}); expected 2 or 3.");
        }

        // time first (at most one), then at most one channel or custom/untyped axis, then the space axes.
        var rank = 0;
        var seenTime = false;
        var seenOther = false;
        for (var i = 0; i < axes.Count; i++)
        {
            var axis = axes[i];
            var axisRank = axis.Type switch
            {
                NgffAxis.Time => 0,
                NgffAxis.Space => 2,
                _ => 1,
            };
            if (axisRank < rank)
            {
                throw reader.Error($"{path}[{i}]", $"axis \"{axis.Name}\" of type {Quote(axis.Type)} comes after {(rank == 2 ? "a space axis" : "a channel or custom axis")} ({Names(axes)}); axes must be ordered time, then channel or custom, then space.");
            }

            rank = axisRank;
            if (axisRank == 0)
            {
                if (seenTime)
                {
                    throw reader.Error($"{path}[{i}]", $"is a second time axis ({Names(axes)}); expected at most one.");
                }

                seenTime = true;
            }
            else if (axisRank == 1)
            {
                if (seenOther)
                {
                    throw reader.Error($"{path}[{i}]", $"is a second channel or custom axis ({Names(axes)}); expected at most one.");
                }

                seenOther = true;
            }
        }

        return axes;
    }

    private static NgffTransform ReadTransform(Context reader, JsonElement element, string path, int axisCount)
    {
        var list = reader.Array(element, path);
        if (list.Count == 0)
        {
            throw reader.Error(path, "is an empty list; expected one scale transformation, optionally followed by one translation.");
        }

        if (list.Count > 2)
        {
            throw reader.Error(path, $"has {list.Count} transformations; expected one scale, optionally followed by one translation.");
        }

        double[]? scale = null;
        double[]? translation = null;
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            reader.Object(list[i], itemPath);
            if (!list[i].TryGetProperty("type", out var typeElement))
            {
                throw reader.Error(itemPath + ".type", "is missing; expected \"scale\" or \"translation\".");
            }

            var type = reader.String(typeElement, itemPath + ".type");
            if (list[i].TryGetProperty("path", out _))
            {
                throw reader.Error(itemPath + ".path", "gives the values in a separate array; only inline values are supported.");
            }

            switch (type)
            {
                case "scale" when scale is not null:
                    throw reader.Error(itemPath, "is a second scale transformation; expected exactly one.");
                case "scale":
                    scale = ReadVector(reader, list[i], "scale", itemPath, axisCount);
                    break;
                case "translation" when scale is null:
                    throw reader.Error(itemPath, "is a translation before any scale; the first transformation must be a scale.");
                case "translation" when translation is not null:
                    throw reader.Error(itemPath, "is a second translation; expected at most one.");
                case "translation":
                    translation = ReadVector(reader, list[i], "translation", itemPath, axisCount);
                    break;
                default:
                    throw reader.Error(itemPath + ".type", $"is \"{type}\"; expected \"scale\" or \"translation\".");
            }
        }

        return new NgffTransform(scale!, translation);
    }

    private static double[] ReadVector(Context reader, JsonElement transform, string key, string path, int axisCount)
    {
        if (!transform.TryGetProperty(key, out var valuesElement))
        {
            throw reader.Error($"{path}.{key}", $"is missing; a {key} transformation needs a list of {axisCount} numbers, one per axis.");
        }

        var values = reader.Array(valuesElement, $"{path}.{key}");
        // The specification says one value per axis, but its own suite accepts a shorter list (valid/mismatch_axes_units:
        // three axes, two scale values); so do we, and NgffTransform.ValueFor aligns such a list with the last axes.
        if (values.Count < 2 || values.Count > axisCount)
        {
            throw reader.Error($"{path}.{key}", $"has {values.Count} values; expected {axisCount}, one per axis.");
        }

        var result = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = reader.Number(values[i], $"{path}.{key}[{i}]");
        }

        return result;
    }

    private static NgffOmero ReadOmero(Context reader, JsonElement element, string path)
    {
        reader.Object(element, path);
        if (!element.TryGetProperty("channels", out var channelsElement))
        {
            throw reader.Error(path + ".channels", "is missing; the omero block needs a list of channels.");
        }

        var list = reader.Array(channelsElement, path + ".channels");
        var channels = new List<NgffOmeroChannel>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var channelPath = $"{path}.channels[{i}]";
            var channel = list[i];
            reader.Object(channel, channelPath);
            if (!channel.TryGetProperty("color", out var colorElement))
            {
                throw reader.Error(channelPath + ".color", "is missing; expected an RRGGBB hex colour.");
            }

            var color = reader.String(colorElement, channelPath + ".color");
            if (!channel.TryGetProperty("window", out var windowElement))
            {
                throw reader.Error(channelPath + ".window", "is missing; expected an object with start, end, min and max.");
            }

            reader.Object(windowElement, channelPath + ".window");
            var window = new NgffWindow(
                WindowValue(reader, windowElement, "start", channelPath),
                WindowValue(reader, windowElement, "end", channelPath),
                WindowValue(reader, windowElement, "min", channelPath),
                WindowValue(reader, windowElement, "max", channelPath));
            channels.Add(new NgffOmeroChannel(
                color,
                window,
                channel.TryGetProperty("label", out var label) ? reader.String(label, channelPath + ".label") : null,
                channel.TryGetProperty("active", out var active) ? reader.Boolean(active, channelPath + ".active") : null,
                channel.TryGetProperty("family", out var family) ? reader.String(family, channelPath + ".family") : null,
                channel.TryGetProperty("coefficient", out var coefficient) ? reader.Number(coefficient, channelPath + ".coefficient") : null,
                channel.TryGetProperty("inverted", out var inverted) ? reader.Boolean(inverted, channelPath + ".inverted") : null));
        }

        string? name = element.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
        int? defaultT = null, defaultZ = null;
        string? model = null;
        if (element.TryGetProperty("rdefs", out var rdefs) && rdefs.ValueKind == JsonValueKind.Object)
        {
            defaultT = rdefs.TryGetProperty("defaultT", out var t) && t.TryGetInt32(out var tv) ? tv : null;
            defaultZ = rdefs.TryGetProperty("defaultZ", out var z) && z.TryGetInt32(out var zv) ? zv : null;
            model = rdefs.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }

        return new NgffOmero(channels, name, defaultT, defaultZ, model);
    }

    private static double WindowValue(Context reader, JsonElement window, string key, string channelPath)
    {
        if (!window.TryGetProperty(key, out var value))
        {
            throw reader.Error($"{channelPath}.window.{key}", "is missing; a window needs start, end, min and max.");
        }

        return reader.Number(value, $"{channelPath}.window.{key}");
    }

    private static string Names(List<NgffAxis> axes) =>
        string.Join(", ", axes.Select(a => a.Type is null ? a.Name : $"{a.Name}:{a.Type}"));

    private static string Quote(string? text) => text is null ? "(none)" : $"\"{text}\"";

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => $"a list of {element.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private readonly struct Context(string document)
    {
        public NgffMetadataException Error(string path, string message) => new(document, path, message);

        public void Object(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, $"is {Describe(element)}; expected an object.");
            }
        }

        public List<JsonElement> Array(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Error(path, $"is {Describe(element)}; expected a list.");
            }

            return [.. element.EnumerateArray()];
        }

        public string String(JsonElement element, string path) => element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw Error(path, $"is {Describe(element)}; expected a string.");

        public double Number(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                throw Error(path, $"is {Describe(element)}; expected a finite number.");
            }

            return value;
        }

        public bool Boolean(JsonElement element, string path) => element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"is {Describe(element)}; expected true or false."),
        };
    }
}
