namespace Navigate.Data;

/// <summary>
/// A format that rewrites its own datasets itself, keeping what a plane-by-plane copy through <see cref="IDataSource"/>
/// would lose: every pyramid level as stored, every position, and attributes other programs wrote. <c>navigate
/// convert</c> uses it when source and target are in this format; otherwise it copies plane by plane.
/// </summary>
public interface IDatasetConverter
{
    /// <summary>
    /// True when <see cref="Convert"/> can honour <paramref name="options"/> for <paramref name="source"/>; false sends
    /// the host to the plane-by-plane copy (e.g. a change of pyramid levels or of format version the format does by
    /// rewriting planes).
    /// </summary>
    /// <param name="source">The dataset to read.</param>
    /// <param name="options">The target's settings.</param>
    bool CanConvert(string source, DataSourceOptions options);

    /// <summary>Rewrites the dataset at <paramref name="source"/> into a new dataset at <paramref name="target"/>.</summary>
    /// <param name="source">The dataset to read (written by any program that writes this format).</param>
    /// <param name="target">Where the new dataset goes; existing data there is kept unless <see cref="DataSourceOptions.Overwrite"/>.</param>
    /// <param name="options">The target's settings (codec, chunks ...), as for <see cref="IDataSourceFormat.Create"/>.</param>
    /// <param name="progress">Receives (bytes of pixels copied, bytes of pixels in all).</param>
    /// <param name="cancellationToken">Stops the copy; the target is left readable with what was copied.</param>
    /// <returns>Bytes of pixels copied (uncompressed).</returns>
    long Convert(string source, string target, DataSourceOptions options, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default);
}
