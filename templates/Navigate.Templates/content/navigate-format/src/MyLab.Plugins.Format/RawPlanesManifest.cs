using System.Text.Json;
using System.Text.Json.Serialization;
using Navigate.Data;
using Navigate.Devices;

namespace MyLab.Plugins.Format;

/// <summary>
/// A dataset's <c>metadata.json</c>: the acquisition it records and how much of it the dataset holds. Written when the
/// dataset is created (so a crashed acquisition is still recognisable) and again when it is closed.
/// </summary>
internal sealed record RawPlanesManifest
{
    public const string FileName = "metadata.json";

    /// <summary>Raise it when the layout changes; readers refuse versions they do not know.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string Format { get; init; }

    public required int FormatVersion { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Channels { get; init; }

    public required int ZSteps { get; init; }

    public required int Timepoints { get; init; }

    public required int Positions { get; init; }

    public required PixelType PixelType { get; init; }

    public required int BitDepth { get; init; }

    public required VoxelSize VoxelSizeUm { get; init; }

    public double TimeIntervalSeconds { get; init; } = 1;

    public bool PerStack { get; init; } = true;

    public bool IsDynamic { get; init; }

    public string Microscope { get; init; } = string.Empty;

    public IReadOnlyList<ChannelInfo> ChannelInfos { get; init; } = [];

    /// <summary>The stage position of each acquisition position; null where it is not known.</summary>
    public IReadOnlyList<StagePosition?> StagePositions { get; init; } = [];

    public IReadOnlyDictionary<string, string> Extras { get; init; } = new Dictionary<string, string>();

    /// <summary>Frames written with pixels.</summary>
    public long FramesWritten { get; init; }

    /// <summary>Frame numbers (in acquisition order) the camera dropped; their planes hold zeros.</summary>
    public IReadOnlyList<long> DroppedFrames { get; init; } = [];

    /// <summary>True when every frame of the acquisition was written or recorded as dropped.</summary>
    public bool Complete { get; init; }

    public static RawPlanesManifest From(AcquisitionMetadata metadata) => new()
    {
        Format = RawPlanesFormat.FormatName,
        FormatVersion = CurrentVersion,
        Width = metadata.Width,
        Height = metadata.Height,
        Channels = metadata.Channels,
        ZSteps = metadata.ZSteps,
        Timepoints = metadata.Timepoints,
        Positions = metadata.Positions,
        PixelType = metadata.PixelType,
        BitDepth = metadata.BitDepth,
        VoxelSizeUm = metadata.VoxelSize,
        TimeIntervalSeconds = metadata.TimeIntervalSeconds,
        PerStack = metadata.PerStack,
        IsDynamic = metadata.IsDynamic,
        Microscope = metadata.MicroscopeName,
        ChannelInfos = metadata.ChannelInfos,
        StagePositions = [.. Enumerable.Range(0, metadata.Positions).Select(p => p < metadata.StagePositions.Count ? metadata.StagePositions[p] : null)],
        Extras = metadata.Extras,
    };

    public AcquisitionMetadata ToMetadata() => new()
    {
        Width = Width,
        Height = Height,
        Channels = Channels,
        ZSteps = ZSteps,
        Timepoints = Timepoints,
        Positions = Positions,
        PixelType = PixelType,
        BitDepth = BitDepth,
        VoxelSize = VoxelSizeUm,
        TimeIntervalSeconds = TimeIntervalSeconds,
        PerStack = PerStack,
        IsDynamic = IsDynamic,
        MicroscopeName = Microscope,
        ChannelInfos = ChannelInfos,
        StagePositions = StagePositions.All(p => p is not null) ? [.. StagePositions.Select(p => p!)] : [],
        Extras = Extras,
    };

    /// <summary>Writes <c>metadata.json</c> into <paramref name="folder"/>, replacing it whole (never half written).</summary>
    public void Write(string folder)
    {
        var file = Path.Combine(folder, FileName);
        var temporary = file + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Reads and checks the <c>metadata.json</c> of the dataset at <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no dataset at <paramref name="folder"/>.</exception>
    /// <exception cref="InvalidDataException">The file is missing, unreadable or inconsistent (the message says which and why).</exception>
    public static RawPlanesManifest Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new FileNotFoundException($"No {RawPlanesFormat.FormatName} dataset at {folder}: the folder does not exist.", folder);
        }

        var file = Path.Combine(folder, FileName);
        if (!File.Exists(file))
        {
            throw new InvalidDataException($"{folder} is not a {RawPlanesFormat.FormatName} dataset: it has no {FileName}.");
        }

        RawPlanesManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RawPlanesManifest>(File.ReadAllBytes(file), Json)
                ?? throw new InvalidDataException($"{file}: holds null; expected the dataset's metadata object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not valid {RawPlanesFormat.FormatName} metadata: {e.Message}", e);
        }

        if (manifest.Format != RawPlanesFormat.FormatName)
        {
            throw new InvalidDataException($"{file}: format is '{manifest.Format}'; expected '{RawPlanesFormat.FormatName}'.");
        }

        if (manifest.FormatVersion is < 1 or > CurrentVersion)
        {
            throw new InvalidDataException($"{file}: formatVersion is {manifest.FormatVersion}; this plugin reads version 1 to {CurrentVersion}.");
        }

        var metadata = manifest.ToMetadata();
        try
        {
            metadata.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }

        if (manifest.StagePositions.Count is not 0 && manifest.StagePositions.Count != manifest.Positions)
        {
            throw new InvalidDataException($"{file}: stagePositions has {manifest.StagePositions.Count} entries; expected {manifest.Positions} (one per position) or none.");
        }

        if (manifest.FramesWritten < 0 || manifest.FramesWritten + manifest.DroppedFrames.Count > metadata.FrameCount)
        {
            throw new InvalidDataException($"{file}: framesWritten {manifest.FramesWritten} and {manifest.DroppedFrames.Count} dropped frames do not fit an acquisition of {metadata.FrameCount} frames.");
        }

        return manifest;
    }

    /// <summary>True when <paramref name="path"/> is a folder whose <c>metadata.json</c> names this format. Reads only that file.</summary>
    public static bool IsDataset(string path)
    {
        var file = Path.Combine(path, FileName);
        if (!Directory.Exists(path) || !File.Exists(file))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("format", out var format)
                && format.ValueKind == JsonValueKind.String
                && format.GetString() == RawPlanesFormat.FormatName;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
