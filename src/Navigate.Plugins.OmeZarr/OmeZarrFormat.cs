using System.Text.Json;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// The <c>ome-zarr</c> format: OME-NGFF 0.4 on Zarr v2, written as navigate's <c>OMEZarrDataSource</c> does (or in
/// the bioformats2raw layout) and read from any OME-NGFF 0.4 image. Settings: see <see cref="OmeZarrOptions"/>.
/// </summary>
public sealed class OmeZarrFormat : IDataSourceFormat, IDatasetInspector
{
    private OmeZarrFormat()
    {
    }

    /// <summary>The format.</summary>
    public static OmeZarrFormat Instance { get; } = new();

    /// <inheritdoc />
    public string Name => OmeZarrConstants.FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["omezarr", "ome-ngff", "zarr"];

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions => OmeZarrConstants.FileExtensions;

    /// <inheritdoc />
    public IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options) =>
        OmeZarrDataSource.Create(path, metadata, options);

    /// <inheritdoc />
    public IDataSource Open(string path) => OmeZarrDataSource.Open(path);

    /// <summary>Describes any OME-NGFF 0.4 dataset (see <see cref="OmeZarrInspector"/>).</summary>
    public DatasetDescription Inspect(string path) => OmeZarrInspector.ToDescription(OmeZarrInspector.Inspect(path));

    /// <summary>
    /// True when <paramref name="path"/> is a folder whose root <c>.zattrs</c> (read only if under 1 MiB) has
    /// <c>multiscales</c> or <c>bioformats2raw.layout</c>.
    /// </summary>
    public bool CanOpen(string path)
    {
        if (string.IsNullOrEmpty(path) || !Directory.Exists(path))
        {
            return false;
        }

        var attributes = Path.Combine(path, ".zattrs");
        try
        {
            var info = new FileInfo(attributes);
            if (!info.Exists || info.Length > 1 << 20)
            {
                return false;
            }

            using var doc = JsonDocument.Parse(File.ReadAllBytes(attributes));
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && (doc.RootElement.TryGetProperty("multiscales", out _) || doc.RootElement.TryGetProperty(OmeZarrConstants.Bioformats2RawLayoutKey, out _));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false;
        }
    }
}
