using Navigate.Data;

namespace Navigate.Host.Data;

/// <summary>
/// Rewrites a dataset. Within one format that is an <see cref="IDatasetConverter"/>, the format does it itself (every
/// level as stored, every attribute, also from other programs). Otherwise plane by plane through the formats'
/// <see cref="IDataSource"/> API: any readable format into any writable one (OME-Zarr to OME-TIFF ...); every position,
/// channel, plane and timepoint is copied at full resolution in acquisition order, and the target builds its own pyramid
/// and writes the source's acquisition metadata.
/// </summary>
public sealed class DatasetConverter(FormatCatalog formats)
{
    /// <summary>Converts <paramref name="source"/> into <paramref name="target"/>.</summary>
    /// <param name="source">The dataset to read.</param>
    /// <param name="target">Where the new dataset goes.</param>
    /// <param name="targetFormat">The target's format name; null for the source's format.</param>
    /// <param name="options">The target's options.</param>
    /// <param name="progress">Receives (done, in all), in the unit of the result.</param>
    /// <param name="cancellationToken">Stops between planes; the target is closed with what was copied.</param>
    /// <returns>What was copied: planes, or bytes of pixels when the format converted its own dataset.</returns>
    public ConversionResult Convert(string source, string target, string? targetFormat, DataSourceOptions options, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var sourceFormat = formats.FindForPath(source)
            ?? throw new KeyNotFoundException($"No data format recognises {source}. Formats: {string.Join(", ", formats.Formats.Select(f => f.Name))}.");
        if (Path.GetFullPath(source).TrimEnd('/') == Path.GetFullPath(target).TrimEnd('/'))
        {
            throw new ArgumentException($"convert: source and target are the same path ({source}); write to a new path.");
        }

        var format = targetFormat is null ? sourceFormat : formats.Get(targetFormat);
        if (ReferenceEquals(format, sourceFormat) && format is IDatasetConverter own && own.CanConvert(source, options))
        {
            return new ConversionResult(own.Convert(source, target, options, progress, cancellationToken), ConversionUnit.Bytes);
        }

        using var reader = sourceFormat.Open(source);
        var metadata = reader.Metadata with { Positions = reader.Positions };
        using var writer = format.Create(target, metadata, options);
        var total = metadata.FrameCount;
        var position = -1;
        long done = 0;
        for (long f = 0; f < total; f++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var index = metadata.IndexOf(f);
            var view = index.P < metadata.StagePositions.Count ? metadata.StagePositions[index.P] : null;
            if (index.P != position)
            {
                position = index.P;
                writer.NewPosition(position, view);
            }

            var plane = reader.GetData(index.T, index.P, index.C, index.Z, resolution: 1);
            writer.Write(plane.Bytes, view);
            done++;
            progress?.Report((done, total));
        }

        writer.Close();
        return new ConversionResult(done, ConversionUnit.Planes);
    }
}

/// <summary>What a conversion copied.</summary>
/// <param name="Amount">How much, in <paramref name="Unit"/>.</param>
/// <param name="Unit">Planes (copied plane by plane) or bytes of pixels (the format converted its own dataset).</param>
public sealed record ConversionResult(long Amount, ConversionUnit Unit);

/// <summary>The unit of <see cref="ConversionResult.Amount"/>.</summary>
public enum ConversionUnit
{
    /// <summary>Full-resolution planes copied through <see cref="IDataSource"/>.</summary>
    Planes,

    /// <summary>Uncompressed bytes of every level, copied by the format's <see cref="IDatasetConverter"/>.</summary>
    Bytes,
}
