using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Navigate.Data;
using Navigate.Devices;

namespace Navigate.Plugins.OmeZarr.Ngff;

/// <summary>
/// The OME-NGFF metadata of an acquisition: one multiscale per position with axes (t, c, z, y, x), per-level scale and
/// translation, the <c>omero</c> display block from the channels, and the minimal OME-XML of a bioformats2raw
/// collection.
/// </summary>
public static class AcquisitionNgff
{
    /// <summary>The five axes every array has: t (second), c, z, y, x (micrometer).</summary>
    public static IReadOnlyList<NgffAxis> Axes { get; } =
    [
        new("t", NgffAxis.Time, "second"),
        new("c", NgffAxis.Channel),
        new("z", NgffAxis.Space, "micrometer"),
        new("y", NgffAxis.Space, "micrometer"),
        new("x", NgffAxis.Space, "micrometer"),
    ];

    /// <summary>
    /// The multiscale of one position. Level k's scale is the voxel size times its factor; its translation is the stage
    /// position plus half the block the level averages less half a level-0 pixel, so every level's pixel centres sit
    /// on the centres of the blocks they average and viewers overlay the levels exactly.
    /// </summary>
    /// <param name="metadata">The acquisition.</param>
    /// <param name="name">The image's name (navigate: <c>p{position}</c>).</param>
    /// <param name="paths">Each level's array path relative to the group holding this multiscale.</param>
    /// <param name="resolutions">Each level's (x, y, z) factor.</param>
    /// <param name="view">The stage position (µm) of this position, or null for the origin.</param>
    public static NgffMultiscale Multiscale(AcquisitionMetadata metadata, string name, IReadOnlyList<string> paths, IReadOnlyList<Size3> resolutions, StagePosition? view)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(resolutions);
        var voxel = metadata.VoxelSize;
        // A zero interval (navigate writes 0 for "as fast as possible") is no scale; viewers divide by it.
        var dt = metadata.TimeIntervalSeconds > 0 ? metadata.TimeIntervalSeconds : 1;
        var datasets = new List<NgffDataset>(paths.Count);
        for (var k = 0; k < paths.Count; k++)
        {
            var r = resolutions[k];
            datasets.Add(new NgffDataset(paths[k], new NgffTransform(
                [dt, 1, voxel.Z * r.Z, voxel.Y * r.Y, voxel.X * r.X],
                [
                    0,
                    0,
                    (view?.Z ?? 0) + (r.Z - 1) * voxel.Z / 2,
                    (view?.Y ?? 0) + (r.Y - 1) * voxel.Y / 2,
                    (view?.X ?? 0) + (r.X - 1) * voxel.X / 2,
                ])));
        }

        return new NgffMultiscale(
            Axes,
            datasets,
            name,
            OmeZarrConstants.NgffVersion,
            Type: "mean",
            Metadata: new JsonObject
            {
                ["method"] = "Navigate.Plugins.OmeZarr.Pyramid.PlanePyramid",
                ["version"] = typeof(AcquisitionNgff).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
                ["description"] = "each level halves x and y with the rounded mean of 2x2 blocks; z is kept",
            });
    }

    /// <summary>The <c>omero</c> block: a label, colour and display window (the bit depth's range) per channel.</summary>
    public static NgffOmero Omero(AcquisitionMetadata metadata, string name)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var (min, max) = Range(metadata.PixelType, metadata.BitDepth);
        var channels = new List<NgffOmeroChannel>(metadata.Channels);
        for (var c = 0; c < metadata.Channels; c++)
        {
            var info = c < metadata.ChannelInfos.Count ? metadata.ChannelInfos[c] : null;
            channels.Add(new NgffOmeroChannel(
                IsHexColor(info?.Color) ? info!.Color.ToUpperInvariant() : "FFFFFF",
                new NgffWindow(min, max, min, max),
                info?.Name ?? $"CH{c:00}"));
        }

        return new NgffOmero(channels, name, DefaultT: 0, DefaultZ: metadata.ZSteps / 2, Model: "color");
    }

    /// <summary>The range a pixel of <paramref name="type"/> with <paramref name="bitDepth"/> significant bits can hold.</summary>
    public static (double Min, double Max) Range(PixelType type, int bitDepth) => type switch
    {
        PixelType.Int16 => (-(1 << Math.Min(bitDepth, 16) - 1), (1 << Math.Min(bitDepth, 16) - 1) - 1),
        PixelType.Float32 or PixelType.Float64 => (0, 1),
        _ => (0, Math.Pow(2, Math.Clamp(bitDepth, 1, 32)) - 1),
    };

    /// <summary>
    /// The OME-XML of a bioformats2raw collection: one Image per position with its Pixels (sizes, type, physical sizes,
    /// channels) and <c>MetadataOnly</c>, as the layout requires.
    /// </summary>
    public static string OmeXml(AcquisitionMetadata metadata, int positions)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        XNamespace ns = "http://www.openmicroscopy.org/Schemas/OME/2016-06";
        var root = new XElement(ns + "OME", new XAttribute("Creator", $"{OmeZarrConstants.PluginName} {typeof(AcquisitionNgff).Assembly.GetName().Version?.ToString(3)}"));
        var type = metadata.PixelType switch
        {
            PixelType.Float32 => "float",
            PixelType.Float64 => "double",
            var t => t.NumpyName(),
        };
        for (var p = 0; p < positions; p++)
        {
            var pixels = new XElement(
                ns + "Pixels",
                new XAttribute("ID", $"Pixels:{p}"),
                new XAttribute("DimensionOrder", "XYZCT"),
                new XAttribute("Type", type),
                new XAttribute("SignificantBits", metadata.BitDepth),
                new XAttribute("SizeX", metadata.Width),
                new XAttribute("SizeY", metadata.Height),
                new XAttribute("SizeZ", metadata.ZSteps),
                new XAttribute("SizeC", metadata.Channels),
                new XAttribute("SizeT", metadata.Timepoints),
                new XAttribute("PhysicalSizeX", Text(metadata.VoxelSize.X)),
                new XAttribute("PhysicalSizeXUnit", "µm"),
                new XAttribute("PhysicalSizeY", Text(metadata.VoxelSize.Y)),
                new XAttribute("PhysicalSizeYUnit", "µm"),
                new XAttribute("PhysicalSizeZ", Text(metadata.VoxelSize.Z)),
                new XAttribute("PhysicalSizeZUnit", "µm"));
            if (metadata.TimeIntervalSeconds > 0)
            {
                pixels.Add(new XAttribute("TimeIncrement", Text(metadata.TimeIntervalSeconds)), new XAttribute("TimeIncrementUnit", "s"));
            }

            for (var c = 0; c < metadata.Channels; c++)
            {
                var info = c < metadata.ChannelInfos.Count ? metadata.ChannelInfos[c] : null;
                pixels.Add(new XElement(ns + "Channel", new XAttribute("ID", $"Channel:{p}:{c}"), new XAttribute("Name", info?.Name ?? $"CH{c:00}"), new XAttribute("SamplesPerPixel", 1)));
            }

            pixels.Add(new XElement(ns + "MetadataOnly"));
            root.Add(new XElement(ns + "Image", new XAttribute("ID", $"Image:{p}"), new XAttribute("Name", $"{OmeZarrConstants.NavigateArrayPrefix}{p}"), pixels));
        }

        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Declaration + "\n" + root.ToString();
    }

    private static bool IsHexColor(string? color) => color is { Length: 6 } && color.All(char.IsAsciiHexDigit);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
