using System.Text.Json;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// The <c>ome-zarr</c> format: OME-NGFF 0.4 on Zarr v2, written as navigate's <c>OMEZarrDataSource</c> does (or in
/// the bioformats2raw layout) and read from any OME-NGFF 0.4 image. Settings: see <see cref="OmeZarrOptions"/>.
/// </summary>
public sealed class OmeZarrFormat : IDataSourceFormat, IDatasetInspector
{
    private readonly Dictionary<string, string> _defaults;

    /// <summary>
    /// The format with default settings for every dataset it creates (from the plugin's plugins.json entry); settings
    /// given to <see cref="Create"/> override them.
    /// </summary>
    /// <exception cref="OmeZarrOptionsException">A default setting is unknown or bad.</exception>
    public OmeZarrFormat(IReadOnlyDictionary<string, string> defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        OmeZarrOptions.Parse(defaults);
        _defaults = new Dictionary<string, string>(defaults, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The format with the built-in defaults (<see cref="OmeZarrOptions"/>).</summary>
    public static OmeZarrFormat Instance { get; } = new(new Dictionary<string, string>());

    /// <summary>The default settings of this format instance.</summary>
    public IReadOnlyDictionary<string, string> Defaults => _defaults;

    /// <inheritdoc />
    public string Name => OmeZarrConstants.FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["omezarr", "ome-ngff", "zarr"];

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions => OmeZarrConstants.FileExtensions;

    /// <inheritdoc />
    public IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_defaults.Count == 0)
        {
            return OmeZarrDataSource.Create(path, metadata, options);
        }

        var settings = new Dictionary<string, string>(_defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        return OmeZarrDataSource.Create(path, metadata, options with { Settings = settings });
    }

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
