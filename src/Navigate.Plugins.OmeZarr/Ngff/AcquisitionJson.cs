using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Devices;

namespace Navigate.Plugins.OmeZarr.Ngff;

/// <summary>
/// <see cref="AcquisitionMetadata"/> as JSON, kept under the <c>navigate</c> key of the root attributes so a dataset
/// carries the acquisition it holds (counts, voxel size, order, channels, stage positions, extras).
/// </summary>
public static class AcquisitionJson
{
    /// <summary>The metadata as a JSON object.</summary>
    public static JsonObject ToJson(AcquisitionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var channels = new JsonArray();
        foreach (var c in metadata.ChannelInfos)
        {
            var json = new JsonObject { ["name"] = c.Name, ["color"] = c.Color };
            AddIfNotNull(json, "laser", c.Laser);
            AddIfNotNull(json, "filter", c.Filter);
            AddIfNotNull(json, "laser_power", c.LaserPower);
            AddIfNotNull(json, "exposure_s", c.ExposureSeconds);
            channels.Add(json);
        }

        var positions = new JsonArray();
        foreach (var p in metadata.StagePositions)
        {
            positions.Add(ToJson(p));
        }

        var extras = new JsonObject();
        foreach (var (key, value) in metadata.Extras.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            extras[key] = value;
        }

        return new JsonObject
        {
            ["width"] = metadata.Width,
            ["height"] = metadata.Height,
            ["channels"] = metadata.Channels,
            ["z_steps"] = metadata.ZSteps,
            ["timepoints"] = metadata.Timepoints,
            ["positions"] = metadata.Positions,
            ["voxel_size_um"] = new JsonObject { ["x"] = metadata.VoxelSize.X, ["y"] = metadata.VoxelSize.Y, ["z"] = metadata.VoxelSize.Z },
            ["time_interval_s"] = metadata.TimeIntervalSeconds,
            ["per_stack"] = metadata.PerStack,
            ["is_dynamic"] = metadata.IsDynamic,
            ["pixel_type"] = metadata.PixelType.NumpyName(),
            ["bit_depth"] = metadata.BitDepth,
            ["microscope_name"] = metadata.MicroscopeName,
            ["channel_info"] = channels,
            ["stage_positions"] = positions,
            ["extras"] = extras,
        };
    }

    /// <summary>A stage position as <c>{"x": .., "y": .., ...}</c> with only the axes it has.</summary>
    public static JsonObject ToJson(StagePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var json = new JsonObject();
        AddIfNotNull(json, "x", position.X);
        AddIfNotNull(json, "y", position.Y);
        AddIfNotNull(json, "z", position.Z);
        AddIfNotNull(json, "theta", position.Theta);
        AddIfNotNull(json, "f", position.F);
        return json;
    }

    /// <summary>Reads metadata written by <see cref="ToJson(AcquisitionMetadata)"/>.</summary>
    /// <exception cref="NgffMetadataException">A key is missing or has the wrong type.</exception>
    public static AcquisitionMetadata FromJson(JsonElement json, string document, string path = OmeZarrConstants.NavigateAttributesKey + ".metadata")
    {
        var r = new Reader(document, path);
        r.Object(json, path);
        var voxel = r.Get(json, "voxel_size_um");
        var channels = new List<ChannelInfo>();
        if (json.TryGetProperty("channel_info", out var channelList))
        {
            var i = 0;
            foreach (var c in r.List(channelList, "channel_info"))
            {
                var at = $"channel_info[{i++}]";
                channels.Add(new ChannelInfo(
                    r.String(r.Get(c, "name", at), at + ".name"),
                    c.TryGetProperty("color", out var color) ? r.String(color, at + ".color") : "FFFFFF",
                    r.OptionalString(c, "laser", at),
                    r.OptionalString(c, "filter", at),
                    r.OptionalNumber(c, "laser_power", at),
                    r.OptionalNumber(c, "exposure_s", at)));
            }
        }

        var positions = new List<StagePosition>();
        if (json.TryGetProperty("stage_positions", out var positionList))
        {
            var i = 0;
            foreach (var p in r.List(positionList, "stage_positions"))
            {
                positions.Add(ReadStagePosition(r, p, $"stage_positions[{i++}]"));
            }
        }

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json.TryGetProperty("extras", out var extrasElement))
        {
            r.Object(extrasElement, "extras");
            foreach (var property in extrasElement.EnumerateObject())
            {
                extras[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        var pixelTypeName = r.String(r.Get(json, "pixel_type"), "pixel_type");
        var pixelType = Enum.GetValues<PixelType>().FirstOrDefault(t => t.NumpyName() == pixelTypeName, (PixelType)(-1));
        if ((int)pixelType < 0)
        {
            throw r.Error("pixel_type", $"is \"{pixelTypeName}\"; expected one of {string.Join(", ", Enum.GetValues<PixelType>().Select(t => t.NumpyName()))}.");
        }

        return new AcquisitionMetadata
        {
            Width = r.Int(json, "width"),
            Height = r.Int(json, "height"),
            Channels = r.Int(json, "channels"),
            ZSteps = r.Int(json, "z_steps"),
            Timepoints = r.Int(json, "timepoints"),
            Positions = r.Int(json, "positions"),
            VoxelSize = new VoxelSize(r.Number(r.Get(voxel, "x", "voxel_size_um"), "voxel_size_um.x"), r.Number(r.Get(voxel, "y", "voxel_size_um"), "voxel_size_um.y"), r.Number(r.Get(voxel, "z", "voxel_size_um"), "voxel_size_um.z")),
            TimeIntervalSeconds = r.Number(r.Get(json, "time_interval_s"), "time_interval_s"),
            PerStack = r.Boolean(r.Get(json, "per_stack"), "per_stack"),
            IsDynamic = json.TryGetProperty("is_dynamic", out var dynamic) && r.Boolean(dynamic, "is_dynamic"),
            PixelType = pixelType,
            BitDepth = r.Int(json, "bit_depth"),
            MicroscopeName = r.OptionalString(json, "microscope_name", string.Empty) ?? "Navigate",
            ChannelInfos = channels,
            StagePositions = positions,
            Extras = extras,
        };
    }

    /// <summary>Reads a stage position written by <see cref="ToJson(StagePosition)"/>.</summary>
    internal static StagePosition ReadStagePosition(JsonElement json, string document, string path) =>
        ReadStagePosition(new Reader(document, string.Empty), json, path);

    private static StagePosition ReadStagePosition(Reader r, JsonElement p, string at)
    {
        r.Object(p, at);
        return new StagePosition(r.OptionalNumber(p, "x", at), r.OptionalNumber(p, "y", at), r.OptionalNumber(p, "z", at), r.OptionalNumber(p, "theta", at), r.OptionalNumber(p, "f", at));
    }

    private static void AddIfNotNull(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }

    private static void AddIfNotNull(JsonObject json, string key, double? value)
    {
        if (value is { } v)
        {
            json[key] = v;
        }
    }

    private readonly struct Reader(string document, string root)
    {
        public NgffMetadataException Error(string path, string message) =>
            new(document, root.Length == 0 ? path : path.Length == 0 ? root : $"{root}.{path}", message);

        public void Object(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                throw Error(path == root ? string.Empty : path, $"is {NgffReader.Describe(e)}; expected an object.");
            }
        }

        public JsonElement Get(JsonElement e, string key, string at = "") =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) ? v : throw Error(at.Length == 0 ? key : $"{at}.{key}", "is missing.");

        public JsonElement.ArrayEnumerator List(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw Error(path, $"is {NgffReader.Describe(e)}; expected a list.");

        public string String(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(path, $"is {NgffReader.Describe(e)}; expected a string.");

        public string? OptionalString(JsonElement e, string key, string at) =>
            e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? String(v, at.Length == 0 ? key : $"{at}.{key}") : null;

        public double Number(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Error(path, $"is {NgffReader.Describe(e)}; expected a finite number.");

        public double? OptionalNumber(JsonElement e, string key, string at) =>
            e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? Number(v, at.Length == 0 ? key : $"{at}.{key}") : null;

        public int Int(JsonElement e, string key) =>
            Get(e, key) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i)
                ? i
                : throw Error(key, $"is {NgffReader.Describe(Get(e, key))}; expected a whole number.");

        public bool Boolean(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"is {NgffReader.Describe(e)}; expected true or false."),
        };
    }

    /// <summary>Formats a number for messages.</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
