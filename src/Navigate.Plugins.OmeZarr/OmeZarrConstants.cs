namespace Navigate.Plugins.OmeZarr;

/// <summary>Names and fixed values of the OME-Zarr format as this plugin writes and reads it.</summary>
public static class OmeZarrConstants
{
    /// <summary>The format's name in the host's format catalog.</summary>
    public const string FormatName = "ome-zarr";

    /// <summary>The plugin's name as it reports itself to the host.</summary>
    public const string PluginName = "Navigate.Plugins.OmeZarr";

    /// <summary>The OME-NGFF version written and read.</summary>
    public const string NgffVersion = "0.4";

    /// <summary>The OME-NGFF version written on Zarr v3 (under the <c>ome</c> attribute).</summary>
    public const string NgffV3Version = "0.5";

    /// <summary>File-name endings of OME-Zarr datasets, most specific first.</summary>
    public static IReadOnlyList<string> FileExtensions { get; } = [".ome.zarr", ".zarr"];

    /// <summary>Array name prefix of navigate's layout: arrays are <c>p{position}_{level}</c>.</summary>
    public const string NavigateArrayPrefix = "p";

    /// <summary>The attribute key under which navigate's acquisition metadata is kept in the root <c>.zattrs</c>.</summary>
    public const string NavigateAttributesKey = "navigate";

    /// <summary>The root attribute that marks a bioformats2raw collection.</summary>
    public const string Bioformats2RawLayoutKey = "bioformats2raw.layout";

    /// <summary>The only bioformats2raw layout version there is.</summary>
    public const int Bioformats2RawLayoutVersion = 3;

    /// <summary>The bioformats2raw group that holds the OME-XML and the <c>series</c> list.</summary>
    public const string OmeGroupName = "OME";

    /// <summary>The OME-XML file inside the <see cref="OmeGroupName"/> group.</summary>
    public const string OmeXmlFileName = "METADATA.ome.xml";

    /// <summary>xarray's attribute naming the dimensions of an array (axis names, not sizes).</summary>
    public const string ArrayDimensionsKey = "_ARRAY_DIMENSIONS";

    /// <summary>Axis names of every array this plugin writes, slowest first.</summary>
    public static IReadOnlyList<string> AxisNames { get; } = ["t", "c", "z", "y", "x"];

    /// <summary>Default number of pyramid levels (navigate: 1, 2, 4, 8).</summary>
    public const int DefaultLevels = 4;

    /// <summary>Most pyramid levels accepted (a factor of 2^15 in x and y).</summary>
    public const int MaxLevels = 16;

    /// <summary>
    /// Seconds between rewrites of the frames-written count in the root attributes while streaming. The count is
    /// also rewritten when a position completes and at close.
    /// </summary>
    public const double ProgressIntervalSeconds = 2;
}
