using Navigate.Data;

namespace Navigate.Host.Data;

/// <summary>Describes a dataset: in the format's own words when it is an <see cref="IDatasetInspector"/>, else from its <see cref="IDataSource"/>.</summary>
public sealed class DatasetDescriber(FormatCatalog formats)
{
    /// <summary>Describes the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No format recognises the path.</exception>
    public DatasetDescription Describe(string path, string? formatName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"inspect: {Path.GetFullPath(path)} does not exist.", path);
        }

        var format = formatName is null
            ? formats.FindForPath(path) ?? throw new KeyNotFoundException($"No data format recognises {path}. Formats: {string.Join(", ", formats.Formats.Select(f => f.Name))}.")
            : formats.Get(formatName);
        if (format is IDatasetInspector inspector)
        {
            return inspector.Inspect(path);
        }

        using var source = format.Open(path);
        AxisDescription[] axes = [new("t", "time", "second"), new("c", "channel", null), new("z", "space", "micrometer"), new("y", "space", "micrometer"), new("x", "space", "micrometer")];
        var shape = source.Shape;
        var dtype = source.Metadata.PixelType.ToString().ToLowerInvariant();
        var images = Enumerable.Range(0, source.Positions).Select(p => new ImageDescription(
            $"p{p}",
            string.Empty,
            axes,
            [.. source.Shapes.Select((s, level) => new LevelDescription(
                level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [shape.T, shape.C, s.Z, s.Y, s.X],
                [1, 1, source.Subdivisions[level].Z, source.Subdivisions[level].Y, source.Subdivisions[level].X],
                dtype,
                "unknown",
                [source.Dt, 1, source.VoxelSize.Z * source.Resolutions[level].Z, source.VoxelSize.Y * source.Resolutions[level].Y, source.VoxelSize.X * source.Resolutions[level].X],
                null))],
            source.Metadata.ChannelInfos)).ToArray();
        return new DatasetDescription(Path.GetFullPath(path), format.Name, images);
    }
}
