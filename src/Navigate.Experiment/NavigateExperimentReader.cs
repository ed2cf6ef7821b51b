using System.Globalization;
using Navigate.Data;
using Navigate.Devices;
using YamlDotNet.RepresentationModel;

namespace Navigate.Experiment;

/// <summary>
/// Turns navigate's <c>experiment.yml</c> (and, for the pixel size, its <c>configuration.yaml</c>) into
/// <see cref="AcquisitionMetadata"/>, as navigate's <c>Metadata.set_shape_from_configuration_experiment</c> does:
/// <list type="bullet">
/// <item>Z = <c>MicroscopeState.number_z_steps</c> when <c>image_mode</c> is <c>z-stack</c> or <c>customized</c>, else 1;
/// T = <c>timepoints</c>; C = the channels with <c>is_selected: True</c>.</item>
/// <item>Positions = the entries of <c>MultiPositions</c> when <c>is_multiposition</c>, else 1 (at the stage position
/// in <c>StageParameters</c>); <c>customized</c> mode counts as multi-position (is_dynamic).</item>
/// <item>Per stack when <c>stack_cycling_mode</c> is <c>per_stack</c> and <c>image_mode</c> is not <c>single</c>.</item>
/// <item>dz = |<c>step_size</c>|, dt = <c>timepoint_interval</c>, dx = dy =
/// <c>microscopes.&lt;name&gt;.zoom.pixel_size.&lt;zoom&gt;</c> of the configuration (1 µm without one, as navigate's
/// default).</item>
/// <item>Width and height = <c>CameraParameters.&lt;microscope&gt;.img_x_pixels / img_y_pixels</c> (older files:
/// the same keys directly under <c>CameraParameters</c>, or <c>x_pixels / y_pixels</c> divided by the binning).</item>
/// </list>
/// </summary>
public static class NavigateExperimentReader
{
    /// <summary>Reads <paramref name="experimentPath"/> and, when given, <paramref name="configurationPath"/>.</summary>
    /// <param name="experimentPath">navigate's experiment.yml.</param>
    /// <param name="configurationPath">navigate's configuration.yaml, for the pixel size; null for 1 µm.</param>
    /// <param name="microscopeName">The microscope to use; null for <c>MicroscopeState.microscope_name</c>.</param>
    /// <exception cref="NavigateExperimentException">A key is missing or a value is bad (the message names both).</exception>
    public static AcquisitionMetadata Read(string experimentPath, string? configurationPath = null, string? microscopeName = null)
    {
        ArgumentNullException.ThrowIfNull(experimentPath);
        var experiment = File.ReadAllText(experimentPath);
        var configuration = configurationPath is null ? null : File.ReadAllText(configurationPath);
        return Parse(experiment, configuration, microscopeName, experimentPath, configurationPath ?? "configuration.yaml");
    }

    /// <summary>Parses the text of an experiment.yml and, optionally, of a configuration.yaml.</summary>
    /// <exception cref="NavigateExperimentException">A key is missing or a value is bad (the message names both).</exception>
    public static AcquisitionMetadata Parse(
        string experimentYaml,
        string? configurationYaml = null,
        string? microscopeName = null,
        string experimentName = "experiment.yml",
        string configurationName = "configuration.yaml")
    {
        ArgumentNullException.ThrowIfNull(experimentYaml);
        var doc = YamlDocument.Parse(experimentYaml, experimentName);
        var state = doc.RequiredMapping(doc.Root, "MicroscopeState", string.Empty);
        const string S = "MicroscopeState";
        var microscope = microscopeName ?? doc.RequiredText(state, "microscope_name", S);
        var imageMode = doc.RequiredText(state, "image_mode", S);
        var zSteps = imageMode is "z-stack" or "customized" ? doc.RequiredCount(state, "number_z_steps", S, 1) : 1;
        var timepoints = doc.RequiredCount(state, "timepoints", S, 1);
        var interval = YamlDocument.Find(state, "timepoint_interval") is { } intervalNode ? doc.Number(intervalNode, S + ".timepoint_interval") : 1;
        var step = Math.Abs(doc.RequiredNumber(state, "step_size", S));
        var isMultiposition = doc.OptionalBoolean(state, "is_multiposition", S, false);
        var cycling = YamlDocument.Find(state, "stack_cycling_mode") is { } cyclingNode ? doc.Text(cyclingNode, S + ".stack_cycling_mode") : "per_stack";
        var channels = ReadChannels(doc, doc.RequiredMapping(state, "channels", S), S + ".channels");
        var (width, height) = ReadCameraSize(doc, microscope);
        var positions = isMultiposition ? ReadMultiPositions(doc) : [ReadStagePosition(doc)];
        var zoom = YamlDocument.Find(state, "zoom") is { } zoomNode ? doc.Text(zoomNode, S + ".zoom") : null;

        var extras = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["image_mode"] = imageMode,
            ["stack_cycling_mode"] = cycling,
        };
        if (zoom is not null)
        {
            extras["zoom"] = zoom;
        }

        if (YamlDocument.Find(doc.Root, "Saving") is YamlMappingNode saving)
        {
            foreach (var key in new[] { "user", "tissue", "celltype", "label", "solvent", "date", "prefix" })
            {
                if (YamlDocument.Find(saving, key) is YamlScalarNode { Value: { Length: > 0 } value })
                {
                    extras["saving." + key] = value;
                }
            }
        }

        var pixelSize = 1.0;
        if (configurationYaml is not null)
        {
            var config = YamlDocument.Parse(configurationYaml, configurationName);
            var scope = config.RequiredMapping(config.RequiredMapping(config.Root, "microscopes", string.Empty), microscope, "microscopes");
            var scopePath = "microscopes." + microscope;
            if (zoom is not null && YamlDocument.Find(scope, "zoom") is YamlMappingNode zoomMapping && YamlDocument.Find(zoomMapping, "pixel_size") is YamlMappingNode sizes
                && YamlDocument.Find(sizes, zoom) is { } sizeNode)
            {
                pixelSize = config.Number(sizeNode, $"{scopePath}.zoom.pixel_size.{zoom}");
            }

            if (YamlDocument.Find(scope, "stage") is YamlMappingNode stage && YamlDocument.Find(stage, "coupled_axes") is YamlMappingNode coupled)
            {
                extras["coupled_axes"] = string.Join(",", coupled.Children.Select(kv => $"{config.Text(kv.Key, scopePath + ".stage.coupled_axes")}={config.Text(kv.Value, scopePath + ".stage.coupled_axes")}"));
            }
        }

        if (!(pixelSize > 0))
        {
            throw new NavigateExperimentException($"{configurationName}: microscopes.{microscope}.zoom.pixel_size.{zoom} is {pixelSize.ToString(CultureInfo.InvariantCulture)}; expected a pixel size above 0 µm.");
        }

        if (!(step > 0))
        {
            // navigate writes step_size 0 for single planes; a zero voxel depth is not a size.
            step = 1;
        }

        var metadata = new AcquisitionMetadata
        {
            Width = width,
            Height = height,
            Channels = channels.Count,
            ZSteps = zSteps,
            Timepoints = timepoints,
            Positions = positions.Count,
            VoxelSize = new VoxelSize(pixelSize, pixelSize, step),
            TimeIntervalSeconds = interval,
            PerStack = cycling == "per_stack" && imageMode != "single",
            IsDynamic = isMultiposition || imageMode == "customized",
            PixelType = PixelType.UInt16,
            BitDepth = 16,
            MicroscopeName = microscope,
            ChannelInfos = channels,
            StagePositions = positions,
            Extras = extras,
        };
        return metadata;
    }

    private static List<ChannelInfo> ReadChannels(YamlDocument doc, YamlMappingNode channels, string path)
    {
        var result = new List<ChannelInfo>();
        foreach (var (keyNode, valueNode) in channels.Children)
        {
            var key = doc.Text(keyNode, path);
            var channelPath = $"{path}.{key}";
            var channel = doc.Mapping(valueNode, channelPath);
            if (!doc.OptionalBoolean(channel, "is_selected", channelPath, false))
            {
                continue;
            }

            var laser = YamlDocument.Find(channel, "laser") is YamlScalarNode { Value: { Length: > 0 } l } ? l : null;
            var filter = YamlDocument.Find(channel, "filter") is YamlScalarNode { Value: { Length: > 0 } f } ? f : null;
            double? power = YamlDocument.Find(channel, "laser_power") is { } powerNode ? doc.Number(powerNode, channelPath + ".laser_power") : null;
            // navigate keeps exposures in milliseconds.
            double? exposure = YamlDocument.Find(channel, "camera_exposure_time") is { } exposureNode ? doc.Number(exposureNode, channelPath + ".camera_exposure_time") / 1000 : null;
            result.Add(new ChannelInfo($"CH{result.Count:00}", ColorOf(laser), laser, filter, power, exposure));
        }

        if (result.Count == 0)
        {
            throw doc.Error(path, "has no channel with is_selected: True; expected at least one selected channel.");
        }

        return result;
    }

    /// <summary>A display colour for a laser line: blue below 470 nm, green below 530, red below 600, magenta above.</summary>
    internal static string ColorOf(string? laser)
    {
        var digits = new string((laser ?? string.Empty).TakeWhile(char.IsAsciiDigit).ToArray());
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var nm))
        {
            return "FFFFFF";
        }

        return nm switch
        {
            < 470 => "0000FF",
            < 530 => "00FF00",
            < 600 => "FF0000",
            _ => "FF00FF",
        };
    }

    private static (int Width, int Height) ReadCameraSize(YamlDocument doc, string microscope)
    {
        var camera = doc.RequiredMapping(doc.Root, "CameraParameters", string.Empty);
        var path = "CameraParameters";
        if (YamlDocument.Find(camera, microscope) is YamlMappingNode perMicroscope)
        {
            camera = perMicroscope;
            path += "." + microscope;
        }

        if (YamlDocument.Find(camera, "img_x_pixels") is { } x && YamlDocument.Find(camera, "img_y_pixels") is { } y)
        {
            return (doc.Count(x, path + ".img_x_pixels", 1), doc.Count(y, path + ".img_y_pixels", 1));
        }

        if (YamlDocument.Find(camera, "x_pixels") is { } sensorX && YamlDocument.Find(camera, "y_pixels") is { } sensorY)
        {
            var binning = YamlDocument.Find(camera, "binning") is { } binningNode ? doc.Text(binningNode, path + ".binning") : "1x1";
            var parts = binning.Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var bx) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var by) || bx < 1 || by < 1)
            {
                throw doc.Error(path + ".binning", $"is '{binning}'; expected NxM such as 1x1 or 2x2.");
            }

            return (doc.Count(sensorX, path + ".x_pixels", 1) / bx, doc.Count(sensorY, path + ".y_pixels", 1) / by);
        }

        throw doc.Error(path, $"has no img_x_pixels/img_y_pixels (nor x_pixels/y_pixels) for microscope '{microscope}'.");
    }

    private static List<StagePosition> ReadMultiPositions(YamlDocument doc)
    {
        var node = doc.Required(doc.Root, "MultiPositions", string.Empty);
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw doc.Error("MultiPositions", $"is {YamlDocument.Describe(node)}; expected a non-empty list of positions (is_multiposition is True).");
        }

        var result = new List<StagePosition>(list.Children.Count);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"MultiPositions[{i}]";
            result.Add(list.Children[i] switch
            {
                // navigate 0.x: [x, y, z, theta, f]
                YamlSequenceNode values when values.Children.Count >= 5 => new StagePosition(
                    doc.Number(values.Children[0], path + "[0]"),
                    doc.Number(values.Children[1], path + "[1]"),
                    doc.Number(values.Children[2], path + "[2]"),
                    doc.Number(values.Children[3], path + "[3]"),
                    doc.Number(values.Children[4], path + "[4]")),
                YamlMappingNode mapping => ReadAxes(doc, mapping, path),
                var other => throw doc.Error(path, $"is {YamlDocument.Describe(other)}; expected [x, y, z, theta, f] or a mapping with keys X, Y, Z, THETA, F."),
            });
        }

        return result;
    }

    private static StagePosition ReadStagePosition(YamlDocument doc) =>
        YamlDocument.Find(doc.Root, "StageParameters") is YamlMappingNode stage ? ReadAxes(doc, stage, "StageParameters") : new StagePosition();

    private static StagePosition ReadAxes(YamlDocument doc, YamlMappingNode mapping, string path)
    {
        double? Axis(string name)
        {
            foreach (var (key, value) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } k } && string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                {
                    return doc.Number(value, $"{path}.{k}");
                }
            }

            return null;
        }

        return new StagePosition(Axis("x"), Axis("y"), Axis("z"), Axis("theta"), Axis("f"));
    }
}
