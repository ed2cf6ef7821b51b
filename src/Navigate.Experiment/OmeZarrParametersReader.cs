using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Navigate.Experiment;

/// <summary>
/// Reads newer navigate's <c>experiment.OMEZarrParameters</c> into ome-zarr settings (see the ome-zarr plugin's settings):
/// <c>chunk_shape</c> and <c>shard_shape</c> (T, C, Z, Y, X; T and C must be 1) become <c>chunks</c> and
/// <c>shard</c>, <c>down_sample.enabled</c> / <c>down_sample.scale_factors</c> (1, 2, 4, ...: each level halves Y and
/// X) become <c>levels</c>, and <c>zarr_version</c> is 3, as navigate writes.
/// </summary>
public static class OmeZarrParametersReader
{
    private const string Section = "OMEZarrParameters";

    /// <summary>The settings from <paramref name="experimentPath"/>; empty when it has no <c>OMEZarrParameters</c>.</summary>
    /// <exception cref="NavigateExperimentException">A value is bad (the message names the key).</exception>
    public static IReadOnlyDictionary<string, string> Read(string experimentPath)
    {
        ArgumentNullException.ThrowIfNull(experimentPath);
        return Parse(File.ReadAllText(experimentPath), experimentPath);
    }

    /// <summary>The settings from the text of an experiment.yml; empty when it has no <c>OMEZarrParameters</c>.</summary>
    /// <exception cref="NavigateExperimentException">A value is bad (the message names the key).</exception>
    public static IReadOnlyDictionary<string, string> Parse(string experimentYaml, string experimentName = "experiment.yml")
    {
        ArgumentNullException.ThrowIfNull(experimentYaml);
        var doc = YamlDocument.Parse(experimentYaml, experimentName);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (YamlDocument.Find(doc.Root, Section) is not { } sectionNode)
        {
            return settings;
        }

        var section = doc.Mapping(sectionNode, Section);
        settings["zarr_version"] = "3";
        if (YamlDocument.Find(section, "chunk_shape") is { } chunk)
        {
            settings["chunks"] = Zyx(doc, chunk, $"{Section}.chunk_shape");
        }

        if (YamlDocument.Find(section, "shard_shape") is { } shard)
        {
            settings["shard"] = Zyx(doc, shard, $"{Section}.shard_shape");
        }

        if (YamlDocument.Find(section, "down_sample") is { } downSampleNode)
        {
            var downSample = doc.Mapping(downSampleNode, $"{Section}.down_sample");
            var enabled = doc.OptionalBoolean(downSample, "enabled", $"{Section}.down_sample", true);
            var levels = 1;
            if (enabled && YamlDocument.Find(downSample, "scale_factors") is { } factors)
            {
                var path = $"{Section}.down_sample.scale_factors";
                var values = Integers(doc, factors, path);
                for (var k = 0; k < values.Count; k++)
                {
                    if (values[k] != 1 << k)
                    {
                        throw doc.Error(path, $"is [{string.Join(", ", values)}]; expected powers of two from 1 (1, 2, 4, ...): each level halves Y and X.");
                    }
                }

                levels = values.Count;
            }

            settings["levels"] = levels.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static string Zyx(YamlDocument doc, YamlNode node, string path)
    {
        var values = Integers(doc, node, path);
        if (values.Count != 5 || values[0] != 1 || values[1] != 1 || values.Any(v => v < 1))
        {
            throw doc.Error(path, $"is [{string.Join(", ", values)}]; expected five sizes T, C, Z, Y, X with T = C = 1, such as [1, 1, 8, 256, 256].");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{values[2]},{values[3]},{values[4]}");
    }

    /// <summary>A YAML list of integers, or a Python tuple written as text (<c>"(1, 1, 8, 256, 256)"</c>).</summary>
    private static List<int> Integers(YamlDocument doc, YamlNode node, string path)
    {
        IEnumerable<string> items = node switch
        {
            YamlSequenceNode sequence => sequence.Children.Select((c, i) => doc.Text(c, $"{path}[{i}]")),
            YamlScalarNode { Value: { } text } => text.Trim().Trim('(', ')', '[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            _ => throw doc.Error(path, $"is {YamlDocument.Describe(node)}; expected a list of whole numbers."),
        };
        var values = new List<int>();
        foreach (var item in items)
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value != Math.Floor(value) || value < 0 || value > int.MaxValue)
            {
                throw doc.Error(path, $"has '{item}'; expected whole numbers.");
            }

            values.Add((int)value);
        }

        return values;
    }
}
