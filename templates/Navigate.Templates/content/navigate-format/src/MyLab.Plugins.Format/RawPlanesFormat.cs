using Navigate.Data;

namespace MyLab.Plugins.Format;

/// <summary>
/// The <c>raw-planes</c> format: a folder (named <c>*.raw-planes</c> by convention) holding <c>metadata.json</c> and one
/// file per stage position, <c>p{position}.raw</c>, with every plane of that position uncompressed, little-endian,
/// row-major, in the order (t, c, z): the plane of timepoint t, channel c and plane z starts at byte
/// <c>((t × C + c) × Z + z) × height × width × bytes-per-pixel</c>. Planes never written (dropped frames, an acquisition
/// stopped early) read as zeros.
/// </summary>
/// <remarks>
/// Simple on purpose: replace <see cref="RawPlanesDataSource"/>'s file handling with your format's, and keep the frame
/// counter logic, the overwrite rule and the reading API, which are what the host relies on.
/// </remarks>
public sealed class RawPlanesFormat : IDataSourceFormat
{
    /// <summary>The format's name.</summary>
    public const string FormatName = "raw-planes";

    private static readonly string[] Extensions = ["." + FormatName];

    /// <inheritdoc />
    public string Name => FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases => [];

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions => Extensions;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The metadata is invalid, or <paramref name="options"/> has a setting this format does not know.</exception>
    public IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(options);
        metadata.Validate();
        foreach (var key in options.Settings.Keys)
        {
            // Say so rather than ignore it: a user who asked for compression must not get uncompressed data silently.
            throw new ArgumentException($"Format '{FormatName}' has no setting '{key}'; it takes none (planes are stored raw).", nameof(options));
        }

        return RawPlanesDataSource.Create(path, metadata, options.Overwrite);
    }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">There is no dataset at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The dataset is damaged (the message names the file and what is wrong).</exception>
    public IDataSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RawPlanesDataSource.Open(path);
    }

    /// <inheritdoc />
    public bool CanOpen(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RawPlanesManifest.IsDataset(path);
    }
}
