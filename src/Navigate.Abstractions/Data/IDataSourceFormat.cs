namespace Navigate.Data;

/// <summary>
/// A file format the host can write acquisitions in and read them back from, e.g. <c>"ome-zarr"</c>. Plugins register
/// one per format; the host picks a format by <see cref="Name"/> (or <see cref="Aliases"/>) or by file extension.
/// </summary>
public interface IDataSourceFormat
{
    /// <summary>The format's name, lower case (<c>"ome-zarr"</c>, <c>"ome-tiff"</c>).</summary>
    string Name { get; }

    /// <summary>Other names the format answers to (<c>"tiff"</c>); may be empty.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>File or folder name endings, with the dot (<c>".ome.zarr"</c>, <c>".zarr"</c>).</summary>
    IReadOnlyList<string> FileExtensions { get; }

    /// <summary>Creates a dataset at <paramref name="path"/> to be written.</summary>
    /// <exception cref="IOException">
    /// <paramref name="path"/> already holds data and <see cref="DataSourceOptions.Overwrite"/> is false: nothing is
    /// destroyed by accident.
    /// </exception>
    IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options);

    /// <summary>Opens an existing dataset for reading.</summary>
    IDataSource Open(string path);

    /// <summary>True when <paramref name="path"/> looks like a dataset of this format (cheap: reads at most a header).</summary>
    bool CanOpen(string path);
}

/// <summary>Options for creating a dataset.</summary>
public sealed record DataSourceOptions
{
    /// <summary>Replace existing data at the path. Off by default.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Format-specific settings by name (e.g. <c>compression</c>, <c>clevel</c>, <c>chunks</c>, <c>levels</c>,
    /// <c>layout</c>); a format rejects names it does not know with an error naming them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A setting, or null.</summary>
    public string? Get(string name) => Settings.TryGetValue(name, out var v) ? v : null;
}
