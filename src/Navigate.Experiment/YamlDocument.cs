using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Navigate.Experiment;

/// <summary>
/// A navigate YAML file (experiment.yml or configuration.yaml) read with YamlDotNet's representation model, with typed
/// look-ups whose errors name the file, the key path, what was expected and what was found.
/// </summary>
internal sealed class YamlDocument
{
    private YamlDocument(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public YamlMappingNode Root { get; }

    public static YamlDocument Parse(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new NavigateExperimentException($"{name}: is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some malformed input (an unclosed flow list at the end) this way.
            throw new NavigateExperimentException($"{name}: is not valid YAML (unreadable near the end): {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new NavigateExperimentException($"{name}: expected a YAML mapping at the top (keys such as MicroscopeState); found {(stream.Documents.Count == 0 ? "an empty file" : Describe(stream.Documents[0].RootNode))}.");
        }

        return new YamlDocument(name, root);
    }

    public NavigateExperimentException Error(string path, string message) => new($"{Name}: {path} {message}");

    public static YamlNode? Find(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public YamlNode Required(YamlMappingNode mapping, string key, string path) =>
        Find(mapping, key) ?? throw Error(Join(path, key), "is missing.");

    public YamlMappingNode Mapping(YamlNode node, string path) =>
        node as YamlMappingNode ?? throw Error(path, $"is {Describe(node)}; expected a mapping of keys to values.");

    public YamlMappingNode RequiredMapping(YamlMappingNode mapping, string key, string path) =>
        Mapping(Required(mapping, key, path), Join(path, key));

    public string Text(YamlNode node, string path) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw Error(path, $"is {Describe(node)}; expected a single value.");

    public string RequiredText(YamlMappingNode mapping, string key, string path) => Text(Required(mapping, key, path), Join(path, key));

    public double Number(YamlNode node, string path)
    {
        var text = Text(node, path);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(path, $"is '{text}'; expected a number.");
        }

        return value;
    }

    public double RequiredNumber(YamlMappingNode mapping, string key, string path) => Number(Required(mapping, key, path), Join(path, key));

    /// <summary>A count written as an integer or as a float with no fraction (navigate writes <c>number_z_steps: 500.0</c>).</summary>
    public int Count(YamlNode node, string path, int minimum)
    {
        var value = Number(node, path);
        if (value != Math.Floor(value) || value < minimum || value > int.MaxValue)
        {
            throw Error(path, $"is '{Text(node, path)}'; expected a whole number of at least {minimum}.");
        }

        return (int)value;
    }

    public int RequiredCount(YamlMappingNode mapping, string key, string path, int minimum) =>
        Count(Required(mapping, key, path), Join(path, key), minimum);

    /// <summary>A boolean as Python's YAML writes them (<c>True</c>/<c>False</c>) or YAML 1.1 spells them.</summary>
    public bool Boolean(YamlNode node, string path)
    {
        var text = Text(node, path);
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Error(path, $"is '{text}'; expected True or False."),
        };
    }

    public bool OptionalBoolean(YamlMappingNode mapping, string key, string path, bool fallback)
    {
        var node = Find(mapping, key);
        return node is null || node is YamlScalarNode { Value: null or "" } ? fallback : Boolean(node, Join(path, key));
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } => "empty",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode sequence => $"a list of {sequence.Children.Count}",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };
}
