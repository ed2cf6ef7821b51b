using System.Text.Json;
using Navigate.Data;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// The <c>ome-zarr</c> format: OME-NGFF 0.4 on Zarr v2, written as navigate's <c>OMEZarrDataSource</c> does (or in
/// the bioformats2raw layout) and read from any OME-NGFF 0.4 image. Settings: see <see cref="OmeZarrOptions"/>.
/// </summary>
public sealed class OmeZarrFormat : IDataSourceFormat, IDatasetInspector, IDatasetConverter
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
    /// True for a Zarr v2 source when <paramref name="options"/> change only the codec, level or chunks (settings
    /// <c>compression</c>, <c>clevel</c>, <c>chunks</c>, <c>threads</c>, <c>buffer_mb</c>): <see cref="Convert"/> then
    /// copies every level as stored. A new pyramid (<c>levels</c>), layout or Zarr version, or a v3 source, is a
    /// rewrite plane by plane through the data source, which the host does.
    /// </summary>
    public bool CanConvert(string source, DataSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (File.Exists(Path.Combine(source, "zarr.json")))
        {
            return false;
        }

        return options.Settings.Keys.All(IsCopySetting);
    }

    /// <summary>
    /// Rewrites any OME-NGFF 0.4 dataset on Zarr v2 with the codec, level and chunks of <paramref name="options"/>
    /// (settings <c>compression</c>, <c>clevel</c>, <c>chunks</c>, <c>threads</c>; defaults from plugins.json): every
    /// level as stored and every attribute, see <see cref="OmeZarrConverter"/>.
    /// </summary>
    /// <exception cref="OmeZarrOptionsException">
    /// A setting is bad, or is one a copy cannot honour (see <see cref="CanConvert"/>).
    /// </exception>
    public long Convert(string source, string target, DataSourceOptions options, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var key in options.Settings.Keys)
        {
            if (!IsCopySetting(key))
            {
                throw new OmeZarrOptionsException(key, $"ome-zarr setting '{key}' cannot change in a copy of every level as stored; write the dataset again plane by plane (navigate convert does) to change it.");
            }
        }

        var settings = new Dictionary<string, string>(_defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var parsed = OmeZarrOptions.Parse(settings);
        var relay = new ProgressRelay(progress);
        OmeZarrConverter.Convert(
            source,
            target,
            new OmeZarrConversionOptions
            {
                Compression = parsed.Compression,
                CompressionLevel = parsed.CompressionLevel,
                Chunks = parsed.Chunks,
                Threads = parsed.Threads,
                Overwrite = options.Overwrite,
            },
            relay,
            cancellationToken);
        return relay.Copied;
    }

    private static bool IsCopySetting(string key)
        => key.Trim().ToLowerInvariant() is "compression" or "clevel" or "chunks" or "threads" or "buffer_mb";

    /// <summary>
    /// True when <paramref name="path"/> is a folder whose root <c>.zattrs</c> (read only if under 1 MiB) has
    /// <c>multiscales</c> or <c>bioformats2raw.layout</c>, or whose Zarr v3 <c>zarr.json</c> has an OME-NGFF 0.5
    /// <c>ome</c> attribute with <c>multiscales</c>, <c>plate</c> or <c>bioformats2raw.layout</c>.
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
            if (!info.Exists)
            {
                // Zarr v3: the attributes are in zarr.json, NGFF 0.5 under "ome".
                info = new FileInfo(Path.Combine(path, "zarr.json"));
                if (!info.Exists || info.Length > 1 << 20)
                {
                    return false;
                }

                using var node = JsonDocument.Parse(File.ReadAllBytes(info.FullName));
                return node.RootElement.ValueKind == JsonValueKind.Object
                    && node.RootElement.TryGetProperty("attributes", out var v3) && v3.ValueKind == JsonValueKind.Object
                    && v3.TryGetProperty("ome", out var ome) && ome.ValueKind == JsonValueKind.Object
                    && (ome.TryGetProperty("multiscales", out _) || ome.TryGetProperty("plate", out _) || ome.TryGetProperty(OmeZarrConstants.Bioformats2RawLayoutKey, out _));
            }

            if (info.Length > 1 << 20)
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

    /// <summary>Forwards the converter's progress synchronously (Progress&lt;T&gt; would post it, out of order) and keeps the last count.</summary>
    private sealed class ProgressRelay(IProgress<(long Done, long Total)>? target) : IProgress<OmeZarrConversionProgress>
    {
        private long _copied;

        public long Copied => Interlocked.Read(ref _copied);

        public void Report(OmeZarrConversionProgress value)
        {
            InterlockedMax(ref _copied, value.BytesCopied);
            target?.Report((value.BytesCopied, value.BytesTotal));
        }

        private static void InterlockedMax(ref long location, long value)
        {
            var current = Interlocked.Read(ref location);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref location, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
