using Navigate.Data;

namespace Navigate.Host.Data;

/// <summary>The data-source formats that plugins registered.</summary>
public sealed class FormatCatalog(IEnumerable<IDataSourceFormat> formats)
{
    /// <summary>The format used when none is named.</summary>
    public const string DefaultFormat = "ome-zarr";

    /// <summary>Every format, in plugin order.</summary>
    public IReadOnlyList<IDataSourceFormat> Formats { get; } = [.. formats];

    /// <summary>The format called <paramref name="name"/> or one of its aliases (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such format; the message lists the formats there are.</exception>
    public IDataSourceFormat Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                || f.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No data format named '{name}'. Formats: {Names()}. See `navigate plugins` for plugins that did not load.");
    }

    /// <summary>
    /// The format for <paramref name="path"/>: first one that recognises existing data there (<see cref="IDataSourceFormat.CanOpen"/>),
    /// else the one with the longest matching file extension; null when none fits.
    /// </summary>
    public IDataSourceFormat? FindForPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path) || Directory.Exists(path))
        {
            foreach (var format in Formats)
            {
                if (format.CanOpen(path))
                {
                    return format;
                }
            }
        }

        var trimmed = path.TrimEnd('/', '\\');
        return Formats
            .SelectMany(f => f.FileExtensions.Select(e => (Format: f, Extension: e)))
            .Where(x => trimmed.EndsWith(x.Extension, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(x => x.Extension.Length)
            .Select(x => x.Format)
            .FirstOrDefault();
    }

    private string Names()
    {
        var text = string.Join(", ", Formats.Select(f => f.Name));
        return text.Length == 0 ? "(none)" : text;
    }
}
