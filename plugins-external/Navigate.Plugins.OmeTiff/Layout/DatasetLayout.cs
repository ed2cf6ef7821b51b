using System.Globalization;
using System.Text.RegularExpressions;

namespace Navigate.Plugins.OmeTiff.Layout;

/// <summary>
/// navigate's TIFF dataset layout: in a root folder (or, multi-position, in <c>Position{p}/</c> below it) one file per
/// channel and timepoint, <c>CH{c:00}_{t:000000}{suffix}</c>, each a z stack. The suffix (<c>.ome.tiff</c>,
/// <c>.ome.tif</c>, <c>.tiff</c>, <c>.tif</c>) says whether the files are OME-TIFF.
/// </summary>
/// <remarks>
/// navigate writes <c>"CH0" + c</c> and reads <c>CH{c:02d}</c>; both give <c>CH00</c>..<c>CH09</c>. For ten or more
/// channels this writes <c>CH10</c> (what navigate's reader looks for), not navigate's <c>CH010</c>.
/// </remarks>
internal sealed partial record DatasetLayout(string Root, string Suffix, bool MultiPosition)
{
    /// <summary>The endings this format answers to, longest first.</summary>
    public static IReadOnlyList<string> Suffixes { get; } = [".ome.tiff", ".ome.tif", ".tiff", ".tif"];

    /// <summary>OME-TIFF (the suffix starts with <c>.ome.</c>).</summary>
    public bool IsOme => Suffix.StartsWith(".ome.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder holding position <paramref name="position"/>'s stacks.</summary>
    public string PositionFolder(int position)
        => MultiPosition ? Path.Combine(Root, "Position" + position.ToString(CultureInfo.InvariantCulture)) : Root;

    /// <summary>The file name of a stack.</summary>
    public string StackName(int channel, int timepoint)
        => string.Create(CultureInfo.InvariantCulture, $"CH{channel:00}_{timepoint:000000}{Suffix}");

    /// <summary>The path of a stack.</summary>
    public string StackPath(int channel, int timepoint, int position)
        => Path.Combine(PositionFolder(position), StackName(channel, timepoint));

    /// <summary>The TIFF suffix <paramref name="fileName"/> ends with, or null.</summary>
    public static string? SuffixOf(string fileName)
        => Suffixes.FirstOrDefault(s => fileName.EndsWith(s, StringComparison.OrdinalIgnoreCase)) is { } s ? fileName[^s.Length..] : null;

    /// <summary>Parses a stack file name (<c>CH00_000000.ome.tiff</c>).</summary>
    public static bool TryParseStackName(string fileName, out int channel, out int timepoint, out string suffix)
    {
        var m = StackNamePattern().Match(fileName);
        channel = timepoint = 0;
        suffix = string.Empty;
        if (!m.Success)
        {
            return false;
        }

        channel = int.Parse(m.Groups["c"].ValueSpan, CultureInfo.InvariantCulture);
        timepoint = int.Parse(m.Groups["t"].ValueSpan, CultureInfo.InvariantCulture);
        suffix = m.Groups["s"].Value;
        return true;
    }

    /// <summary>
    /// The dataset <paramref name="path"/> belongs to: a stack file (in the root or in a <c>Position{p}</c> folder) or
    /// the root folder itself. Null when there is no stack there.
    /// </summary>
    public static DatasetLayout? Find(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            var name = Path.GetFileName(full);
            if (SuffixOf(name) is not { } suffix)
            {
                return null;
            }

            var folder = Path.GetDirectoryName(full)!;
            var parent = Path.GetDirectoryName(folder);
            var multi = PositionFolderPattern().IsMatch(Path.GetFileName(folder))
                && parent is not null && Directory.Exists(Path.Combine(parent, "Position0"));
            return new DatasetLayout(multi ? parent! : folder, suffix, multi);
        }

        if (!Directory.Exists(full))
        {
            return null;
        }

        var root = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (FirstStackIn(root) is { } rootSuffix)
        {
            return new DatasetLayout(root, rootSuffix, MultiPosition: false);
        }

        return FirstStackIn(Path.Combine(root, "Position0")) is { } positionSuffix ? new DatasetLayout(root, positionSuffix, MultiPosition: true) : null;
    }

    /// <summary>Every stack file of any suffix in the root and its <c>Position{p}</c> folders (for overwrite checks).</summary>
    public static IEnumerable<string> StackFilesUnder(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        var folders = new[] { root }.Concat(Directory.EnumerateDirectories(root).Where(d => PositionFolderPattern().IsMatch(Path.GetFileName(d))));
        return folders.SelectMany(Directory.EnumerateFiles).Where(f => TryParseStackName(Path.GetFileName(f), out _, out _, out _)).Order(StringComparer.Ordinal);
    }

    /// <summary>Positions present: <c>Position0</c>, <c>Position1</c>, ... without gaps; 1 when not multi-position.</summary>
    public int CountPositions()
    {
        if (!MultiPosition)
        {
            return 1;
        }

        var count = 0;
        while (Directory.Exists(PositionFolder(count)))
        {
            count++;
        }

        return count;
    }

    /// <summary>(channels, timepoints) spanned by the stack files of <paramref name="position"/>: highest index + 1.</summary>
    public (int Channels, int Timepoints) CountStacks(int position)
    {
        int channels = 0, timepoints = 0;
        var folder = PositionFolder(position);
        if (!Directory.Exists(folder))
        {
            return (0, 0);
        }

        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (TryParseStackName(Path.GetFileName(file), out var c, out var t, out var suffix) && string.Equals(suffix, Suffix, StringComparison.OrdinalIgnoreCase))
            {
                channels = Math.Max(channels, c + 1);
                timepoints = Math.Max(timepoints, t + 1);
            }
        }

        return (channels, timepoints);
    }

    private static string? FirstStackIn(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }

        // Prefer the first stack (CH00_000000) when several suffixes are present.
        string? found = null;
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (TryParseStackName(Path.GetFileName(file), out var c, out var t, out var suffix))
            {
                if (c == 0 && t == 0)
                {
                    return suffix;
                }

                found ??= suffix;
            }
        }

        return found;
    }

    [GeneratedRegex(@"^CH(?<c>\d+)_(?<t>\d{6,})(?<s>(\.ome)?\.tiff?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StackNamePattern();

    [GeneratedRegex(@"^Position\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex PositionFolderPattern();
}
