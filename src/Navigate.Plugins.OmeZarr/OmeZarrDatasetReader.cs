using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Storage;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// Finds the images of an OME-NGFF 0.4 dataset and maps them to navigate's positions: a bioformats2raw collection
/// (one image group per position, in <c>OME/.zattrs</c> <c>series</c> order or numbered 0, 1, ...), or a group with
/// <c>multiscales</c> (navigate's layout: one multiscale per position; any other image: its multiscales). Axes are
/// matched by type: the time axis is t, the channel (or custom) axis is c, the last two space axes are y and x and a
/// third one is z; missing axes have size 1.
/// </summary>
internal static class OmeZarrDatasetReader
{
    public sealed record Result(
        IReadOnlyList<OmeZarrDataSource.ReadPosition> Positions,
        AcquisitionMetadata Metadata,
        OmeZarrOptions Options,
        long FramesWritten);

    /// <summary>An image group and its metadata, in position order.</summary>
    public sealed record ImageGroup(string GroupPath, NgffMultiscale Multiscale, NgffOmero? Omero);

    public static Result Read(OmeZarrStore store)
    {
        var rootKey = ".zattrs";
        using var root = store.ReadJson(rootKey)
            ?? throw new OmeZarrLayoutException($"{store.Path}: has no {rootKey}; an OME-Zarr dataset keeps its OME-NGFF metadata in the root group's attributes.");
        var attributes = root.RootElement;
        var images = FindImages(store, attributes);
        var layout = attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(OmeZarrConstants.Bioformats2RawLayoutKey, out _)
            ? OmeZarrLayout.Bioformats2Raw
            : attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty("plate", out _) ? OmeZarrLayout.Hcs : OmeZarrLayout.Navigate;

        var positions = new List<OmeZarrDataSource.ReadPosition>(images.Count);
        foreach (var image in images)
        {
            positions.Add(ReadPosition(store, image, positions.Count == 0 ? null : positions[0].Levels[0].Array));
        }

        JsonElement navigate = default;
        var hasNavigate = attributes.ValueKind == JsonValueKind.Object && attributes.TryGetProperty(OmeZarrConstants.NavigateAttributesKey, out navigate) && navigate.ValueKind == JsonValueKind.Object;
        AcquisitionMetadata metadata;
        long framesWritten;
        var level0 = positions[0].Levels[0];
        if (hasNavigate && navigate.TryGetProperty("metadata", out var recorded))
        {
            metadata = AcquisitionJson.FromJson(recorded, $"{store.Path}/{rootKey}");
            framesWritten = navigate.TryGetProperty("frames_written", out var fw) && fw.TryGetInt64(out var n) ? n : metadata.FrameCount;
            if (metadata.Positions != positions.Count || metadata.Width != level0.Shape.X || metadata.Height != level0.Shape.Y || metadata.ZSteps != level0.Shape.Z)
            {
                throw new OmeZarrLayoutException($"{store.Path}: the recorded acquisition ({metadata.Positions} positions of {metadata.Width}×{metadata.Height}×{metadata.ZSteps}) does not match the arrays ({positions.Count} positions of {level0.Shape.X}×{level0.Shape.Y}×{level0.Shape.Z}).");
            }
        }
        else
        {
            metadata = Synthesize(store, images, positions);
            framesWritten = metadata.FrameCount;
        }

        var chunk = level0.Chunk;
        var inner = level0.Array.InnerChunks;
        var options = new OmeZarrOptions
        {
            Layout = layout,
            Levels = positions[0].Levels.Count,
            Chunks = inner is { Count: >= 3 } ? new ChunkShape(inner[^3], inner[^2], inner[^1]) : new ChunkShape(chunk.Z, chunk.Y, chunk.X),
            Shard = inner is { Count: >= 3 } ? new ChunkShape(chunk.Z, chunk.Y, chunk.X) : null,
            Compression = level0.Array.Compression,
            ZarrVersion = store.ZarrFormat,
        };
        return new Result(positions, metadata, options, framesWritten);
    }

    /// <summary>The image groups of the dataset in position order.</summary>
    public static IReadOnlyList<ImageGroup> FindImages(OmeZarrStore store, JsonElement rootAttributes)
    {
        var rootKey = $"{store.Path}/.zattrs";
        if (rootAttributes.ValueKind != JsonValueKind.Object)
        {
            throw new NgffMetadataException(rootKey, "$", $"is {NgffReader.Describe(rootAttributes)}; expected a JSON object of attributes.");
        }

        if (rootAttributes.TryGetProperty(OmeZarrConstants.Bioformats2RawLayoutKey, out var layoutVersion))
        {
            if (!layoutVersion.TryGetInt32(out var version) || version != OmeZarrConstants.Bioformats2RawLayoutVersion)
            {
                throw new NgffMetadataException(rootKey, OmeZarrConstants.Bioformats2RawLayoutKey, $"is {NgffReader.Describe(layoutVersion)}; expected 3.");
            }

            if (rootAttributes.TryGetProperty("plate", out _))
            {
                throw new OmeZarrLayoutException($"{store.Path}: is a bioformats2raw plate (HCS); plates are not read as positions.");
            }

            var groups = SeriesGroups(store);
            var result = new List<ImageGroup>(groups.Count);
            foreach (var group in groups)
            {
                var key = $"{group}/.zattrs";
                using var doc = store.ReadJson(key)
                    ?? throw new OmeZarrLayoutException($"{store.Path}: image group '{group}' of the bioformats2raw series has no .zattrs.");
                var image = NgffReader.ReadImage(doc.RootElement, $"{store.Path}/{key}");
                result.Add(new ImageGroup(group, image.Multiscales[0], image.Omero));
            }

            if (result.Count == 0)
            {
                throw new OmeZarrLayoutException($"{store.Path}: is a bioformats2raw collection without images (no OME/.zattrs series and no group 0).");
            }

            return result;
        }

        if (rootAttributes.TryGetProperty("plate", out var plate) && !NgffReader.HasMultiscales(rootAttributes))
        {
            return PlateImages(store, plate, rootKey);
        }

        if (!NgffReader.HasMultiscales(rootAttributes))
        {
            throw new OmeZarrLayoutException($"{store.Path}: the root attributes have neither 'multiscales' nor 'bioformats2raw.layout'; not an OME-NGFF 0.4 image.");
        }

        var root = NgffReader.ReadImage(rootAttributes, rootKey);
        return [.. root.Multiscales.Select(m => new ImageGroup(string.Empty, m, root.Omero))];
    }

    /// <summary>An HCS plate's fields, well by well in the plate's order (navigate writes one well, A/1, one field per position).</summary>
    private static List<ImageGroup> PlateImages(OmeZarrStore store, JsonElement plate, string rootKey)
    {
        if (plate.ValueKind != JsonValueKind.Object || !plate.TryGetProperty("wells", out var wells) || wells.ValueKind != JsonValueKind.Array)
        {
            throw new NgffMetadataException(rootKey, "plate.wells", "is missing or not a list; expected the plate's wells.");
        }

        var result = new List<ImageGroup>();
        foreach (var well in wells.EnumerateArray())
        {
            if (well.ValueKind != JsonValueKind.Object || !well.TryGetProperty("path", out var wellPath) || wellPath.ValueKind != JsonValueKind.String)
            {
                throw new NgffMetadataException(rootKey, "plate.wells[].path", "is missing; expected a well path such as A/1.");
            }

            var wellKey = $"{wellPath.GetString()}/.zattrs";
            using var wellDoc = store.ReadJson(wellKey) ?? throw new OmeZarrLayoutException($"{store.Path}: well '{wellPath.GetString()}' has no attributes.");
            if (!wellDoc.RootElement.TryGetProperty("well", out var wellElement) || !wellElement.TryGetProperty("images", out var images) || images.ValueKind != JsonValueKind.Array)
            {
                throw new NgffMetadataException($"{store.Path}/{wellKey}", "well.images", "is missing or not a list; expected the well's fields.");
            }

            foreach (var field in images.EnumerateArray())
            {
                if (!field.TryGetProperty("path", out var fieldPath) || fieldPath.ValueKind != JsonValueKind.String)
                {
                    throw new NgffMetadataException($"{store.Path}/{wellKey}", "well.images[].path", "is missing; expected a field path such as 0.");
                }

                var group = $"{wellPath.GetString()}/{fieldPath.GetString()}";
                using var doc = store.ReadJson($"{group}/.zattrs") ?? throw new OmeZarrLayoutException($"{store.Path}: field '{group}' has no attributes.");
                var image = NgffReader.ReadImage(doc.RootElement, $"{store.Path}/{group}/.zattrs");
                result.Add(new ImageGroup(group, image.Multiscales[0], image.Omero));
            }
        }

        if (result.Count == 0)
        {
            throw new OmeZarrLayoutException($"{store.Path}: is a plate without fields.");
        }

        return result;
    }

    private static List<string> SeriesGroups(OmeZarrStore store)
    {
        var seriesKey = $"{OmeZarrConstants.OmeGroupName}/.zattrs";
        using (var ome = store.ReadJson(seriesKey))
        {
            if (ome is not null && ome.RootElement.ValueKind == JsonValueKind.Object && ome.RootElement.TryGetProperty("series", out var series))
            {
                if (series.ValueKind != JsonValueKind.Array || series.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
                {
                    throw new NgffMetadataException($"{store.Path}/{seriesKey}", "series", $"is {NgffReader.Describe(series)}; expected a list of image group paths.");
                }

                return [.. series.EnumerateArray().Select(s => s.GetString()!)];
            }
        }

        var groups = new List<string>();
        for (var i = 0; store.Exists($"{i}/.zattrs") || store.Exists($"{i}/zarr.json"); i++)
        {
            groups.Add($"{i}");
        }

        return groups;
    }

    /// <summary>Opens every level of <paramref name="image"/>.</summary>
    /// <param name="store">The dataset.</param>
    /// <param name="image">The image group and its multiscale.</param>
    /// <param name="first">Level 0 of the first image, whose data type every level of this one must have; null for the first image itself.</param>
    private static OmeZarrDataSource.ReadPosition ReadPosition(OmeZarrStore store, ImageGroup image, OmeZarrArray? first)
    {
        var multiscale = image.Multiscale;
        var map = AxisMap.Of(multiscale.Axes);
        var levels = new List<OmeZarrDataSource.ReadLevel>(multiscale.Datasets.Count);
        var n = multiscale.Axes.Count;
        // The multiscale's own transformation applies after each dataset's (OME-NGFF 0.4), so level 0's physical
        // pixel size and origin are the combination; the per-level factors are ratios, which it does not change.
        var scale0 = multiscale.Datasets[0].Transform.Then(multiscale.Transform, n);
        foreach (var dataset in multiscale.Datasets)
        {
            var path = image.GroupPath.Length == 0 ? dataset.Path : $"{image.GroupPath}/{dataset.Path}";
            var array = store.OpenArray(path, map);
            if (array.Rank != n)
            {
                throw new OmeZarrLayoutException($"{store.Path}: array '{path}' has {array.Rank} dimensions but its multiscale has {n} axes ({string.Join(", ", multiscale.Axes.Select(a => a.Name))}).");
            }

            // Planes are read into buffers sized from the acquisition's one pixel type; a level of another dtype
            // would otherwise fail much later with a buffer-size error that does not name the array.
            first ??= array;
            if (array.Zarr.DataType.Kind != first.Zarr.DataType.Kind || array.Zarr.DataType.ItemSize != first.Zarr.DataType.ItemSize)
            {
                throw new OmeZarrLayoutException($"{store.Path}: array '{path}' holds {array.DataTypeName} ({array.Zarr.DataType.NumpyName}); expected {first.DataTypeName} ({first.Zarr.DataType.NumpyName}), the data type of level 0 '{first.Path}': every level of every image must have one data type.");
            }

            var shape = new Size3(array.SizeOf(AxisMap.X), array.SizeOf(AxisMap.Y), array.SizeOf(AxisMap.Z));
            var chunk = new Size3(array.ChunkOf(AxisMap.X), array.ChunkOf(AxisMap.Y), array.ChunkOf(AxisMap.Z));
            var scale = dataset.Transform.Then(multiscale.Transform, n);
            var resolution = new Size3(
                Factor(scale, scale0, map[AxisMap.X], n),
                Factor(scale, scale0, map[AxisMap.Y], n),
                Factor(scale, scale0, map[AxisMap.Z], n));
            levels.Add(new OmeZarrDataSource.ReadLevel(array, shape, resolution, chunk));
        }

        double? Offset(int axis) => map[axis] < 0 ? null : scale0.TranslationOf(map[axis], n);
        var view = scale0.Translation is null
            ? null
            : new StagePosition(Offset(AxisMap.X), Offset(AxisMap.Y), Offset(AxisMap.Z));
        return new OmeZarrDataSource.ReadPosition(levels, view);
    }

    private static int Factor(NgffTransform level, NgffTransform level0, int axis, int axisCount)
    {
        if (axis < 0)
        {
            return 1;
        }

        var s0 = level0.ScaleOf(axis, axisCount);
        return s0 > 0 ? Math.Max(1, (int)Math.Round(level.ScaleOf(axis, axisCount) / s0)) : 1;
    }

    private static AcquisitionMetadata Synthesize(OmeZarrStore store, IReadOnlyList<ImageGroup> images, List<OmeZarrDataSource.ReadPosition> positions)
    {
        var first = images[0].Multiscale;
        var map = AxisMap.Of(first.Axes);
        var level0 = positions[0].Levels[0];
        var array = level0.Array;
        var pixelType = array.PixelType ?? throw new OmeZarrLayoutException(
            $"{store.Path}: array '{array.Path}' holds {array.DataTypeName}; the data source reads uint8, uint16, int16, uint32, float32 and float64.");
        var n = first.Axes.Count;
        // Level 0's scale combined with the multiscale's own (applied after it): the physical voxel size and Dt.
        var scale = first.Datasets[0].Transform.Then(first.Transform, n);
        double ScaleOr1(int axis) => map[axis] < 0 ? 1 : scale.ScaleOf(map[axis], n) is var s && s > 0 ? s : 1;
        var omero = images[0].Omero;
        var channels = array.SizeOf(AxisMap.C);
        var infos = new List<ChannelInfo>();
        for (var c = 0; omero is not null && c < Math.Min(channels, omero.Channels.Count); c++)
        {
            infos.Add(new ChannelInfo(omero.Channels[c].Label ?? $"CH{c:00}", omero.Channels[c].Color));
        }

        return new AcquisitionMetadata
        {
            Width = level0.Shape.X,
            Height = level0.Shape.Y,
            ZSteps = level0.Shape.Z,
            Channels = channels,
            Timepoints = array.SizeOf(AxisMap.T),
            Positions = positions.Count,
            VoxelSize = new VoxelSize(ScaleOr1(AxisMap.X), ScaleOr1(AxisMap.Y), ScaleOr1(AxisMap.Z)),
            TimeIntervalSeconds = ScaleOr1(AxisMap.T),
            PixelType = pixelType,
            BitDepth = pixelType.BytesPerPixel() * 8,
            MicroscopeName = first.Name ?? string.Empty,
            ChannelInfos = infos,
            StagePositions = [.. positions.Select(p => p.View ?? new StagePosition())],
            IsDynamic = positions.Count > 1,
        };
    }
}

/// <summary>Which array dimension holds t, c, z, y and x (-1 when the image has no such axis).</summary>
internal sealed class AxisMap
{
    public const int T = 0, C = 1, Z = 2, Y = 3, X = 4;

    private readonly int[] _dimensions;

    private AxisMap(int[] dimensions) => _dimensions = dimensions;

    /// <summary>t, c, z, y, x = dimensions 0..4 (our own arrays).</summary>
    public static AxisMap Standard { get; } = new([0, 1, 2, 3, 4]);

    public int this[int axis] => _dimensions[axis];

    public static AxisMap Of(IReadOnlyList<NgffAxis> axes)
    {
        int[] map = [-1, -1, -1, -1, -1];
        var space = new List<int>();
        for (var i = 0; i < axes.Count; i++)
        {
            switch (axes[i].Type)
            {
                case NgffAxis.Time:
                    map[T] = i;
                    break;
                case NgffAxis.Space:
                    space.Add(i);
                    break;
                default:
                    // The channel axis, or a custom one: the only non-space, non-time axis 0.4 allows.
                    map[C] = i;
                    break;
            }
        }

        map[X] = space[^1];
        map[Y] = space[^2];
        if (space.Count == 3)
        {
            map[Z] = space[0];
        }

        return new AxisMap(map);
    }
}
