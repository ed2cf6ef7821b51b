using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Navigate.Plugins.OmeTiff.Metadata;

/// <summary>
/// The ImageDescription of a plain (non-OME) TIFF stack, as navigate writes it through tifffile: a JSON object
/// <c>{"shape": [z, y, x], "spacing": dz, "unit": "um", "axes": "ZYX", "channel": c, "timepoint": t, ...}</c> that
/// tifffile reads as a "shaped" series. The x/y pixel size is in the resolution tags (1e4/dx pixels per centimetre).
/// Reading also accepts ImageJ's <c>key=value</c> descriptions (<c>spacing=</c>, <c>unit=</c>).
/// </summary>
/// <remarks>
/// Not an ImageJ description on purpose: ImageJ reads an "ImageJ=" stack as one contiguous block after the first
/// page, and a streamed file has a directory between every two pages.
/// </remarks>
internal static class PlainDescription
{
    /// <summary>The JSON description of <paramref name="stack"/>.</summary>
    public static string Build(StackInfo stack)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("shape");
            w.WriteNumberValue(stack.Planes);
            w.WriteNumberValue(stack.Height);
            w.WriteNumberValue(stack.Width);
            w.WriteEndArray();
            w.WriteNumber("spacing", stack.VoxelSize.Z);
            w.WriteString("unit", "um");
            w.WriteString("axes", "ZYX");
            w.WriteNumber("channel", stack.Channel);
            w.WriteNumber("timepoint", stack.Timepoint);
            w.WriteNumber("position", stack.Position);
            w.WriteNumber("time_interval", stack.TimeIncrementSeconds);
            if (stack.Acquisition is { } a)
            {
                w.WriteNumber("channels", a.Channels);
                w.WriteNumber("z_steps", a.ZSteps);
                w.WriteNumber("timepoints", a.Timepoints);
                w.WriteNumber("positions", a.Positions);
                w.WriteBoolean("per_stack", a.PerStack);
                w.WriteBoolean("is_dynamic", a.IsDynamic);
                w.WriteString("microscope", a.MicroscopeName);
                if (a.Extras.Count > 0)
                {
                    w.WriteStartObject("notes");
                    foreach (var (key, value) in a.Extras.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        w.WriteString(key, value);
                    }

                    w.WriteEndObject();
                }
            }

            w.WriteEndObject();
        }

        // Utf8JsonWriter escapes non-ASCII, so the bytes are ASCII.
        return Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>What a plain description says; null fields were not in it.</summary>
    public static PlainFacts Parse(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return new PlainFacts();
        }

        var text = description.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                return root.ValueKind != JsonValueKind.Object ? new PlainFacts() : new PlainFacts
                {
                    Spacing = Number(root, "spacing"),
                    Unit = root.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null,
                    Channel = (int?)Number(root, "channel"),
                    Timepoint = (int?)Number(root, "timepoint"),
                    Position = (int?)Number(root, "position"),
                    TimeInterval = Number(root, "time_interval"),
                    Acquisition = Number(root, "channels") is { } c && Number(root, "z_steps") is { } z && Number(root, "timepoints") is { } t && Number(root, "positions") is { } p
                        ? new AcquisitionFacts((int)c, (int)z, (int)t, (int)p, !root.TryGetProperty("per_stack", out var ps) || ps.ValueKind != JsonValueKind.False,
                            root.TryGetProperty("is_dynamic", out var d) && d.ValueKind == JsonValueKind.True,
                            root.TryGetProperty("microscope", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "Navigate",
                            root.TryGetProperty("notes", out var notes) && notes.ValueKind == JsonValueKind.Object
                                ? notes.EnumerateObject().ToDictionary(n => n.Name, n => n.Value.ToString(), StringComparer.Ordinal)
                                : new Dictionary<string, string>())
                        : null,
                };
            }
            catch (JsonException)
            {
                return new PlainFacts();
            }
        }

        if (text.StartsWith("ImageJ=", StringComparison.Ordinal))
        {
            var values = text.Split('\n')
                .Select(line => line.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .GroupBy(kv => kv[0].Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
            return new PlainFacts
            {
                Spacing = values.TryGetValue("spacing", out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var spacing) ? spacing : null,
                Unit = values.GetValueOrDefault("unit"),
                TimeInterval = values.TryGetValue("finterval", out var f) && double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var fi) ? fi : null,
            };
        }

        return new PlainFacts();

        static double? Number(JsonElement root, string name)
            => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? d : null;
    }

    /// <summary>Micrometres per <paramref name="unit"/> for the units ImageJ and navigate write; null when unknown.</summary>
    public static double? MicrometresPer(string? unit) => unit switch
    {
        null or "" => null,
        "um" or "micron" or "microns" or "\u00B5m" or "\u03BCm" => 1,
        "nm" => 1e-3,
        "mm" => 1e3,
        "cm" => 1e4,
        "m" => 1e6,
        _ => null,
    };
}

/// <summary>What a plain-TIFF description says.</summary>
internal sealed record PlainFacts
{
    /// <summary>Z spacing in <see cref="Unit"/>.</summary>
    public double? Spacing { get; init; }

    /// <summary>Length unit.</summary>
    public string? Unit { get; init; }

    /// <summary>Channel index.</summary>
    public int? Channel { get; init; }

    /// <summary>Timepoint index.</summary>
    public int? Timepoint { get; init; }

    /// <summary>Position index.</summary>
    public int? Position { get; init; }

    /// <summary>Seconds between timepoints.</summary>
    public double? TimeInterval { get; init; }

    /// <summary>Acquisition shape, when recorded.</summary>
    public AcquisitionFacts? Acquisition { get; init; }
}
