using Navigate.Data;
using Navigate.Devices;

namespace Navigate.Plugins.OmeTiff.Metadata;

/// <summary>
/// What one file of a dataset holds: one channel at one timepoint and position, a z stack of <see cref="Planes"/>
/// pages, and the acquisition it belongs to. Both descriptions (OME-XML and the plain-TIFF JSON) are written from and
/// read into this record.
/// </summary>
internal sealed record StackInfo
{
    /// <summary>File name without folder (as OME's TiffData UUID FileName).</summary>
    public required string FileName { get; init; }

    /// <summary>The file's identity (OME root UUID).</summary>
    public Guid Uuid { get; init; }

    /// <summary>Pixels per row.</summary>
    public required int Width { get; init; }

    /// <summary>Rows.</summary>
    public required int Height { get; init; }

    /// <summary>Pixel type.</summary>
    public required PixelType PixelType { get; init; }

    /// <summary>Significant bits per pixel.</summary>
    public int SignificantBits { get; init; }

    /// <summary>Planes (pages) in the file.</summary>
    public required int Planes { get; init; }

    /// <summary>Voxel size in µm.</summary>
    public VoxelSize VoxelSize { get; init; } = new(1, 1, 1);

    /// <summary>Time between timepoints in seconds.</summary>
    public double TimeIncrementSeconds { get; init; } = 1;

    /// <summary>The channel index in the acquisition.</summary>
    public int Channel { get; init; }

    /// <summary>The timepoint index.</summary>
    public int Timepoint { get; init; }

    /// <summary>The position index.</summary>
    public int Position { get; init; }

    /// <summary>Channel description.</summary>
    public ChannelInfo? ChannelInfo { get; init; }

    /// <summary>Stage position of the acquisition position, when known.</summary>
    public StagePosition? PositionStage { get; init; }

    /// <summary>Stage position of each plane, null where unknown; empty when none are known.</summary>
    public IReadOnlyList<StagePosition?> PlanePositions { get; init; } = [];

    /// <summary>When the file was started (UTC).</summary>
    public DateTime? AcquisitionDate { get; init; }

    /// <summary>The acquisition's shape and settings, when the file records them (files we wrote do).</summary>
    public AcquisitionFacts? Acquisition { get; init; }
}

/// <summary>Acquisition-wide facts each file repeats, so any single file tells what it is part of.</summary>
internal sealed record AcquisitionFacts(
    int Channels,
    int ZSteps,
    int Timepoints,
    int Positions,
    bool PerStack,
    bool IsDynamic,
    string MicroscopeName,
    IReadOnlyDictionary<string, string> Extras);
