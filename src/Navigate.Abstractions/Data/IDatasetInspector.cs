namespace Navigate.Data;

/// <summary>
/// A format that can describe a dataset on disk in detail (every image, position and level with shape, chunks, data
/// type, codec, axes, scale and channels), including datasets other programs wrote. <c>navigate inspect</c> uses it.
/// </summary>
public interface IDatasetInspector
{
    /// <summary>Describes the dataset at <paramref name="path"/> without reading pixel data.</summary>
    DatasetDescription Inspect(string path);
}

/// <summary>A dataset and its images.</summary>
/// <param name="Path">The dataset's path.</param>
/// <param name="Format">The format's name, with its version where it has one (e.g. <c>"ome-zarr 0.4 (zarr v2)"</c>).</param>
/// <param name="Images">The images (positions) it holds.</param>
public sealed record DatasetDescription(string Path, string Format, IReadOnlyList<ImageDescription> Images);

/// <summary>One image (one position): its axes, pyramid levels and channels.</summary>
/// <param name="Name">The image's name.</param>
/// <param name="Path">Where it is inside the dataset (empty for the root).</param>
/// <param name="Axes">Axes, slowest first.</param>
/// <param name="Levels">Pyramid levels, full resolution first.</param>
/// <param name="Channels">Channels, when the dataset names them.</param>
public sealed record ImageDescription(string Name, string Path, IReadOnlyList<AxisDescription> Axes, IReadOnlyList<LevelDescription> Levels, IReadOnlyList<ChannelInfo> Channels)
{
    /// <summary>
    /// Label images (segmentations) that belong to this image, e.g. OME-NGFF's <c>labels/*</c>; empty when none. An
    /// init property rather than a constructor parameter so formats built against the earlier contract still load.
    /// </summary>
    public IReadOnlyList<ImageDescription> Labels { get; init; } = [];
}

/// <summary>One axis.</summary>
/// <param name="Name">Name, e.g. <c>"z"</c>.</param>
/// <param name="Type">Type, e.g. <c>"space"</c>, <c>"time"</c>, <c>"channel"</c>; empty when unknown.</param>
/// <param name="Unit">Unit, e.g. <c>"micrometer"</c>, or null.</param>
public sealed record AxisDescription(string Name, string Type, string? Unit);

/// <summary>One pyramid level.</summary>
/// <param name="Path">Where the level's array is inside the dataset.</param>
/// <param name="Shape">Shape along the image's axes.</param>
/// <param name="Chunks">Chunk (or tile/strip) shape along the same axes.</param>
/// <param name="DataType">Data type, numpy style (<c>"uint16"</c>).</param>
/// <param name="Codec">Compression, e.g. <c>"blosc lz4 clevel=5 shuffle=1"</c> or <c>"none"</c>.</param>
/// <param name="Scale">Physical size of one sample along each axis (every transformation that applies to the level combined).</param>
/// <param name="Translation">Physical offset along each axis (combined likewise), or null.</param>
public sealed record LevelDescription(string Path, IReadOnlyList<long> Shape, IReadOnlyList<long> Chunks, string DataType, string Codec, IReadOnlyList<double> Scale, IReadOnlyList<double>? Translation);
