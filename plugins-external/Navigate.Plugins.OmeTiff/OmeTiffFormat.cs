using Navigate.Data;
using Navigate.Plugins.OmeTiff.Layout;

namespace Navigate.Plugins.OmeTiff;

/// <summary>
/// navigate's TIFF data format, <c>"ome-tiff"</c> (alias <c>"tiff"</c>): one z stack file per channel, timepoint and
/// position, OME-TIFF when the path ends in <c>.ome.tiff</c>/<c>.ome.tif</c>, plain TIFF for <c>.tiff</c>/<c>.tif</c>.
/// </summary>
public sealed class OmeTiffFormat : IDataSourceFormat
{
    /// <summary>Creates the format with default options.</summary>
    public OmeTiffFormat()
        : this(new OmeTiffOptions())
    {
    }

    /// <summary>Creates the format; <paramref name="defaults"/> apply where a dataset's options say nothing.</summary>
    public OmeTiffFormat(OmeTiffOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        Defaults = defaults;
    }

    /// <summary>Options used where <see cref="DataSourceOptions.Settings"/> says nothing.</summary>
    public OmeTiffOptions Defaults { get; }

    /// <inheritdoc />
    public string Name => "ome-tiff";

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["tiff"];

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions => DatasetLayout.Suffixes;

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="path"/> is a file name in the dataset folder, e.g. <c>/data/run1/CH00_000000.ome.tiff</c>: its
    /// folder becomes the dataset and its ending picks OME-TIFF or plain TIFF; the stack files are named
    /// <c>CH{c:00}_{t:000000}</c> with that ending. Setting: <c>bigtiff</c> (auto, true, false).
    /// </remarks>
    public IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options)
        => OmeTiffDataSource.Create(path, metadata, options, Defaults);

    /// <inheritdoc />
    /// <exception cref="TiffFormatException">The dataset's first stack is missing or damaged.</exception>
    public IDataSource Open(string path) => OmeTiffDataSource.Open(path);

    /// <inheritdoc />
    public bool CanOpen(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (Directory.Exists(path))
            {
                return DatasetLayout.Find(path) is not null;
            }

            if (!File.Exists(path) || DatasetLayout.SuffixOf(Path.GetFileName(path)) is null)
            {
                return false;
            }

            Span<byte> head = stackalloc byte[4];
            using var handle = File.OpenHandle(path);
            return RandomAccess.Read(handle, head, 0) == 4
                && ((head[0] == 'I' && head[1] == 'I' && head[2] is 42 or 43 && head[3] == 0)
                    || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] is 42 or 43));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
