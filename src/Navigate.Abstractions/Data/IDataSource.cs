using Navigate.Devices;

namespace Navigate.Data;

/// <summary>Whether a data source was opened to write or to read.</summary>
public enum DataSourceMode
{
    /// <summary>Opened for reading (navigate's <c>"r"</c>).</summary>
    Read,

    /// <summary>Opened for writing (navigate's <c>"w"</c>).</summary>
    Write,
}

/// <summary>
/// A dataset on disk: navigate's data-source API (<c>DataSource</c> / <c>PyramidalDataSource</c>). Written one 2D
/// frame at a time in acquisition order, read back by slice or by stack. Pyramid levels are numbered from 0
/// (full resolution); formats without a pyramid have one level.
/// </summary>
public interface IDataSource : IDisposable, IAsyncDisposable
{
    /// <summary>The dataset's path.</summary>
    string FileName { get; }

    /// <summary>Read or write.</summary>
    DataSourceMode Mode { get; }

    /// <summary>The acquisition this dataset holds (when reading: as recorded in the dataset).</summary>
    AcquisitionMetadata Metadata { get; }

    /// <summary>Shape in navigate's XYCZT order.</summary>
    DataShape Shape { get; }

    /// <summary>Number of positions.</summary>
    int Positions { get; }

    /// <summary>The shape of each pyramid level.</summary>
    IReadOnlyList<Size3> Shapes { get; }

    /// <summary>The downsampling factor of each pyramid level (navigate: 1,1,1 / 2,2,1 / 4,4,1 / 8,8,1).</summary>
    IReadOnlyList<Size3> Resolutions { get; }

    /// <summary>The chunk (block) size of each pyramid level.</summary>
    IReadOnlyList<Size3> Subdivisions { get; }

    /// <summary>Voxel size of level 0 in µm.</summary>
    VoxelSize VoxelSize { get; }

    /// <summary>Uncompressed bytes of all levels of all positions, channels and timepoints.</summary>
    long Nbytes { get; }

    /// <summary>Bits per pixel.</summary>
    int Bits { get; }

    /// <summary>Time between timepoints in seconds.</summary>
    double Dt { get; }

    /// <summary>Frames written so far (write mode) or held (read mode).</summary>
    long FramesWritten { get; }

    /// <summary>
    /// Starts position <paramref name="position"/> at stage position <paramref name="view"/>. <see cref="Write"/> calls it
    /// on its own when the frame counter enters a new position; call it first to record the stage position.
    /// </summary>
    void NewPosition(int position, StagePosition? view);

    /// <summary>Writes the next frame in acquisition order and returns where it went.</summary>
    /// <param name="frame">A 2D frame of the dataset's width, height and pixel type (row-major, little-endian).</param>
    /// <param name="stagePosition">The stage position the frame was taken at, when known.</param>
    /// <exception cref="ArgumentException">The frame's size does not match the dataset.</exception>
    /// <exception cref="InvalidOperationException">The dataset is read-only, closed or already complete.</exception>
    FrameIndex Write(ReadOnlySpan<byte> frame, StagePosition? stagePosition = null);

    /// <summary>
    /// A 3D block (z, y, x) of one channel, timepoint and position at pyramid level <paramref name="subdiv"/>.
    /// Ranges are in that level's pixels.
    /// </summary>
    ImageData GetSlice(Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0);

    /// <summary>
    /// One plane (<paramref name="z"/> ≥ 0) or the whole stack (<paramref name="z"/> = -1) at downsampling factor
    /// <paramref name="resolution"/> (1, 2, 4, 8 ...), shape (z, y, x).
    /// </summary>
    ImageData GetData(int timepoint = 0, int position = 0, int channel = 0, int z = -1, int resolution = 1);

    /// <summary>
    /// Finishes the dataset: flushes what is buffered and writes final metadata. A dataset closed before it is full
    /// records how many frames it holds. Idempotent.
    /// </summary>
    void Close();
}

/// <summary>An image block read from a data source: row-major pixels with its shape (z, y, x).</summary>
public sealed class ImageData
{
    /// <summary>Wraps <paramref name="bytes"/> of the given shape and type.</summary>
    public ImageData(Size3 shape, PixelType pixelType, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var expected = (long)shape.X * shape.Y * shape.Z * pixelType.BytesPerPixel();
        if (bytes.LongLength != expected)
        {
            throw new ArgumentException($"Image data of shape (z={shape.Z}, y={shape.Y}, x={shape.X}) {pixelType} needs {expected} bytes; got {bytes.LongLength}.", nameof(bytes));
        }

        Shape = shape;
        PixelType = pixelType;
        Bytes = bytes;
    }

    /// <summary>Shape; the layout in memory is (z, y, x), x fastest.</summary>
    public Size3 Shape { get; }

    /// <summary>Pixel type.</summary>
    public PixelType PixelType { get; }

    /// <summary>Raw little-endian pixel bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The pixels as <typeparamref name="T"/>.</summary>
    public ReadOnlySpan<T> Pixels<T>()
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(Bytes);

    /// <summary>The pixel at (z, y, x) as a double, whatever the pixel type.</summary>
    public double this[int z, int y, int x]
    {
        get
        {
            var i = ((long)z * Shape.Y + y) * Shape.X + x;
            return PixelType switch
            {
                PixelType.UInt8 => Bytes[i],
                PixelType.UInt16 => Pixels<ushort>()[(int)i],
                PixelType.Int16 => Pixels<short>()[(int)i],
                PixelType.UInt32 => Pixels<uint>()[(int)i],
                PixelType.Float32 => Pixels<float>()[(int)i],
                PixelType.Float64 => Pixels<double>()[(int)i],
                _ => throw new InvalidOperationException($"Unknown pixel type {PixelType}."),
            };
        }
    }
}
