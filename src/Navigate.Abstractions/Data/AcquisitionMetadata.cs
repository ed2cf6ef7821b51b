using Navigate.Devices;

namespace Navigate.Data;

/// <summary>
/// What an acquisition is: how many frames along each axis, their physical size, channels, stage positions and
/// the order frames arrive in. The C# form of navigate's metadata (<c>set_metadata</c> and the experiment file).
/// </summary>
public sealed record AcquisitionMetadata
{
    /// <summary>Frame width in pixels (X).</summary>
    public int Width { get; init; } = 2048;

    /// <summary>Frame height in pixels (Y).</summary>
    public int Height { get; init; } = 2048;

    /// <summary>Channels (C).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Planes per stack (Z).</summary>
    public int ZSteps { get; init; } = 1;

    /// <summary>Timepoints (T).</summary>
    public int Timepoints { get; init; } = 1;

    /// <summary>Stage positions (P).</summary>
    public int Positions { get; init; } = 1;

    /// <summary>Voxel size in µm (navigate's dx, dy, dz).</summary>
    public VoxelSize VoxelSize { get; init; } = new(1, 1, 1);

    /// <summary>Time between timepoints in seconds (navigate's dt).</summary>
    public double TimeIntervalSeconds { get; init; } = 1;

    /// <summary>
    /// True (navigate's <c>per_stack</c>): a whole z stack of one channel, then the next channel. False
    /// (per slice): every channel at one z, then the next z.
    /// </summary>
    public bool PerStack { get; init; } = true;

    /// <summary>Multi-position acquisition (navigate's <c>is_dynamic</c>).</summary>
    public bool IsDynamic { get; init; }

    /// <summary>Pixel type of the frames.</summary>
    public PixelType PixelType { get; init; } = PixelType.UInt16;

    /// <summary>Significant bits per pixel.</summary>
    public int BitDepth { get; init; } = 16;

    /// <summary>The microscope configuration name.</summary>
    public string MicroscopeName { get; init; } = "Navigate";

    /// <summary>Per-channel information; may be shorter than <see cref="Channels"/>.</summary>
    public IReadOnlyList<ChannelInfo> ChannelInfos { get; init; } = [];

    /// <summary>Stage position of each acquisition position; may be shorter than <see cref="Positions"/>.</summary>
    public IReadOnlyList<StagePosition> StagePositions { get; init; } = [];

    /// <summary>Anything else worth keeping with the data (written into the dataset's attributes).</summary>
    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();

    /// <summary>Frames in the whole acquisition: C × Z × T × P.</summary>
    public long FrameCount => (long)Channels * ZSteps * Timepoints * Positions;

    /// <summary>Maps the running frame counter to its (c, z, t, p) index, exactly as navigate does.</summary>
    public FrameIndex IndexOf(long frame) => FrameOrder.IndexOf(frame, Channels, ZSteps, Timepoints, PerStack);

    /// <summary>
    /// Checks counts and sizes; throws <see cref="ArgumentException"/> naming the first bad field, what was expected and
    /// what was found.
    /// </summary>
    public void Validate()
    {
        Check(Width, nameof(Width));
        Check(Height, nameof(Height));
        Check(Channels, nameof(Channels));
        Check(ZSteps, nameof(ZSteps));
        Check(Timepoints, nameof(Timepoints));
        Check(Positions, nameof(Positions));
        if (!(VoxelSize.X > 0 && VoxelSize.Y > 0 && VoxelSize.Z > 0) || !double.IsFinite(VoxelSize.X + VoxelSize.Y + VoxelSize.Z))
        {
            throw new ArgumentException($"Acquisition metadata: VoxelSize is {VoxelSize}; expected finite sizes > 0 µm.");
        }

        if (BitDepth < 1 || BitDepth > PixelType.BytesPerPixel() * 8)
        {
            throw new ArgumentException($"Acquisition metadata: BitDepth is {BitDepth}; expected 1..{PixelType.BytesPerPixel() * 8} for {PixelType}.");
        }

        static void Check(int value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentException($"Acquisition metadata: {name} is {value}; expected at least 1.");
            }
        }
    }
}

/// <summary>One channel.</summary>
/// <param name="Name">Display name, e.g. <c>"CH00"</c> or <c>"GFP"</c>.</param>
/// <param name="Color">Display colour as RRGGBB hex, e.g. <c>"00FF00"</c>.</param>
/// <param name="Laser">Laser name or wavelength, e.g. <c>"488nm"</c>.</param>
/// <param name="Filter">Emission filter, e.g. <c>"Empty-Alignment"</c>.</param>
/// <param name="LaserPower">Laser power in percent, when known.</param>
/// <param name="ExposureSeconds">Camera exposure in seconds, when known.</param>
public sealed record ChannelInfo(
    string Name,
    string Color = "FFFFFF",
    string? Laser = null,
    string? Filter = null,
    double? LaserPower = null,
    double? ExposureSeconds = null);

/// <summary>Physical voxel size in µm.</summary>
/// <param name="X">Pixel size along x.</param>
/// <param name="Y">Pixel size along y.</param>
/// <param name="Z">Step between planes.</param>
public readonly record struct VoxelSize(double X, double Y, double Z);

/// <summary>Three sizes named by axis; used for shapes, resolutions and chunk subdivisions of pyramid levels.</summary>
/// <param name="X">Along x.</param>
/// <param name="Y">Along y.</param>
/// <param name="Z">Along z.</param>
public readonly record struct Size3(int X, int Y, int Z);

/// <summary>The full shape of a dataset (navigate's XYCZT order), plus positions.</summary>
/// <param name="X">Width.</param>
/// <param name="Y">Height.</param>
/// <param name="C">Channels.</param>
/// <param name="Z">Planes.</param>
/// <param name="T">Timepoints.</param>
public readonly record struct DataShape(int X, int Y, int C, int Z, int T);

/// <summary>Where one frame belongs.</summary>
/// <param name="C">Channel.</param>
/// <param name="Z">Plane.</param>
/// <param name="T">Timepoint.</param>
/// <param name="P">Position.</param>
public readonly record struct FrameIndex(int C, int Z, int T, int P);

/// <summary>navigate's mapping of the running frame counter to (c, z, t, p) (<c>DataSource._cztp_indices</c>).</summary>
public static class FrameOrder
{
    /// <summary>
    /// With a z stack (<paramref name="z"/> &gt; 1): per stack, z varies fastest, then c; per slice, c fastest, then z.
    /// Then t, then p. Without a z stack: c fastest, then t, then p.
    /// </summary>
    public static FrameIndex IndexOf(long frame, int c, int z, int t, bool perStack)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        long ci, zi, ti, pi;
        if (z > 1)
        {
            if (perStack)
            {
                ci = frame / z % c;
                zi = frame % z;
            }
            else
            {
                ci = frame % c;
                zi = frame / c % z;
            }

            ti = frame / ((long)c * z) % t;
            pi = frame / ((long)c * z * t);
        }
        else
        {
            ci = frame % c;
            ti = frame / c % t;
            zi = frame / ((long)c * t) % z;
            pi = frame / ((long)c * t * z);
        }

        return new FrameIndex((int)ci, (int)zi, (int)ti, checked((int)pi));
    }
}
