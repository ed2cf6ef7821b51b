using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Ngff;

/// <summary>The OME-NGFF 0.4 metadata of one image group: its <c>multiscales</c> and, when present, <c>omero</c>.</summary>
/// <param name="Multiscales">One or more multiscale images; navigate's layout keeps one per position here.</param>
/// <param name="Omero">Display settings (transitional <c>omero</c> block), or null.</param>
public sealed record NgffImage(IReadOnlyList<NgffMultiscale> Multiscales, NgffOmero? Omero = null);

/// <summary>One multiscale image: its axes and its pyramid levels, largest first.</summary>
/// <param name="Axes">2–5 axes: time, then channel or custom, then 2–3 space axes.</param>
/// <param name="Datasets">The pyramid levels, full resolution first.</param>
/// <param name="Name">The image's name, or null.</param>
/// <param name="Version">The version stated (<c>"0.4"</c>), or null when absent.</param>
/// <param name="Transform">Transformations applied after each level's own, or null.</param>
/// <param name="Type">How the levels were made (e.g. <c>"mean"</c>), or null.</param>
/// <param name="Metadata">Free-form information about the downscaling, or null.</param>
public sealed record NgffMultiscale(
    IReadOnlyList<NgffAxis> Axes,
    IReadOnlyList<NgffDataset> Datasets,
    string? Name = null,
    string? Version = OmeZarrConstants.NgffVersion,
    NgffTransform? Transform = null,
    string? Type = null,
    JsonObject? Metadata = null)
{
    /// <summary>The index of the axis named <paramref name="name"/>, or -1.</summary>
    public int IndexOfAxis(string name)
    {
        for (var i = 0; i < Axes.Count; i++)
        {
            if (Axes[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>An axis of a multiscale image.</summary>
/// <param name="Name">Unique name, e.g. <c>"z"</c>.</param>
/// <param name="Type"><c>"space"</c>, <c>"time"</c>, <c>"channel"</c>, a custom type, or null.</param>
/// <param name="Unit">A UDUNITS-2 unit such as <c>"micrometer"</c> or <c>"second"</c>, or null.</param>
public sealed record NgffAxis(string Name, string? Type = null, string? Unit = null)
{
    /// <summary>The space axis type.</summary>
    public const string Space = "space";

    /// <summary>The time axis type.</summary>
    public const string Time = "time";

    /// <summary>The channel axis type.</summary>
    public const string Channel = "channel";
}

/// <summary>One pyramid level.</summary>
/// <param name="Path">The array's path relative to the image group.</param>
/// <param name="Transform">Its scale (physical size of one pixel per axis) and optional translation.</param>
public sealed record NgffDataset(string Path, NgffTransform Transform);

/// <summary>
/// The coordinate transformations OME-NGFF 0.4 allows: exactly one scale, then at most one translation, each with one
/// value per axis.
/// </summary>
/// <param name="Scale">Physical size per pixel along each axis.</param>
/// <param name="Translation">Physical offset of the first pixel along each axis, or null.</param>
public sealed record NgffTransform(IReadOnlyList<double> Scale, IReadOnlyList<double>? Translation = null)
{
    /// <summary>
    /// The scale of axis <paramref name="axis"/> of <paramref name="axisCount"/>; a list shorter than the axes is aligned
    /// with the last axes and the leading ones scale by 1.
    /// </summary>
    public double ScaleOf(int axis, int axisCount) => ValueOf(Scale, axis, axisCount, 1);

    /// <summary>The translation of axis <paramref name="axis"/> of <paramref name="axisCount"/>, 0 when none.</summary>
    public double TranslationOf(int axis, int axisCount) => Translation is null ? 0 : ValueOf(Translation, axis, axisCount, 0);

    /// <summary>
    /// This transformation followed by <paramref name="after"/> (a multiscale's own, which OME-NGFF 0.4 applies after
    /// each dataset's): scale <c>s·S</c>, translation <c>S·t + T</c>, one value per axis; null translation when neither
    /// has one. <paramref name="after"/> null returns this transformation unchanged.
    /// </summary>
    public NgffTransform Then(NgffTransform? after, int axisCount)
    {
        if (after is null)
        {
            return this;
        }

        var scale = new double[axisCount];
        var translation = Translation is null && after.Translation is null ? null : new double[axisCount];
        for (var i = 0; i < axisCount; i++)
        {
            var outer = after.ScaleOf(i, axisCount);
            scale[i] = ScaleOf(i, axisCount) * outer;
            if (translation is not null)
            {
                translation[i] = (TranslationOf(i, axisCount) * outer) + after.TranslationOf(i, axisCount);
            }
        }

        return new NgffTransform(scale, translation);
    }

    private static double ValueOf(IReadOnlyList<double> values, int axis, int axisCount, double missing)
    {
        var i = axis - (axisCount - values.Count);
        return i >= 0 && i < values.Count ? values[i] : missing;
    }
}

/// <summary>The transitional <c>omero</c> block: how to display each channel.</summary>
/// <param name="Channels">One entry per channel, in channel order.</param>
/// <param name="Name">Image name, or null.</param>
/// <param name="DefaultT">Timepoint shown first, or null.</param>
/// <param name="DefaultZ">Plane shown first, or null.</param>
/// <param name="Model"><c>"color"</c> or <c>"greyscale"</c>, or null.</param>
public sealed record NgffOmero(IReadOnlyList<NgffOmeroChannel> Channels, string? Name = null, int? DefaultT = null, int? DefaultZ = null, string? Model = null);

/// <summary>Display settings of one channel.</summary>
/// <param name="Color">RRGGBB hex colour.</param>
/// <param name="Window">Display range and the data range.</param>
/// <param name="Label">Channel name, or null.</param>
/// <param name="Active">Shown by default.</param>
/// <param name="Family">Intensity mapping, e.g. <c>"linear"</c>, or null.</param>
/// <param name="Coefficient">Mapping coefficient, or null.</param>
/// <param name="Inverted">Inverted display, or null.</param>
public sealed record NgffOmeroChannel(
    string Color,
    NgffWindow Window,
    string? Label = null,
    bool? Active = true,
    string? Family = "linear",
    double? Coefficient = 1,
    bool? Inverted = false);

/// <summary>A channel's display window.</summary>
/// <param name="Start">Lowest displayed value.</param>
/// <param name="End">Highest displayed value.</param>
/// <param name="Min">Lowest value the data can hold.</param>
/// <param name="Max">Highest value the data can hold.</param>
public sealed record NgffWindow(double Start, double End, double Min, double Max);
