using System.Reflection;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Layout;
using Navigate.Plugins.OmeTiff.Metadata;
using Navigate.Plugins.OmeTiff.TiffIO;

namespace Navigate.Plugins.OmeTiff;

/// <summary>
/// A navigate TIFF or OME-TIFF dataset: one z stack file per channel, timepoint (and position), written one frame at
/// a time in acquisition order and read back by stack or slice. See docs/ome-tiff.md.
/// </summary>
/// <remarks>
/// Writing: frame <c>f</c> goes to channel/plane/timepoint/position <see cref="AcquisitionMetadata.IndexOf"/>(f). The
/// files of one timepoint (all channels) are open together; each is created at its first page and finished when the
/// frame counter wraps to the next timepoint or position, when the final description (with every plane's stage
/// position) replaces the first one. Not thread-safe: one writer thread.
/// </remarks>
public sealed partial class OmeTiffDataSource : IDataSource
{
    private readonly DatasetLayout _layout;
    private readonly PageFormat _format;
    private readonly Dictionary<int, StagePosition?> _positionViews = [];
    private StackSlot?[]? _set;
    private int _setTimepoint;
    private int _setPosition = -1;
    private long _frames;
    private FrameIndex _highest = new(-1, -1, -1, -1);
    private bool _closed;

    private OmeTiffDataSource(string fileName, DataSourceMode mode, DatasetLayout layout, AcquisitionMetadata metadata, bool bigTiff)
    {
        FileName = fileName;
        Mode = mode;
        _layout = layout;
        Metadata = metadata;
        BigTiff = bigTiff;
        _format = new PageFormat(metadata.Width, metadata.Height, metadata.PixelType, metadata.VoxelSize.X, metadata.VoxelSize.Y);
    }

    /// <summary>The plugin's version, from its assembly.</summary>
    public static string PluginVersion { get; } = typeof(OmeTiffDataSource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The OME <c>Creator</c> and TIFF Software this plugin writes.</summary>
    public static string Creator { get; } = $"Navigate.Plugins.OmeTiff {PluginVersion}";

    /// <inheritdoc />
    public string FileName { get; }

    /// <inheritdoc />
    public DataSourceMode Mode { get; }

    /// <inheritdoc />
    public AcquisitionMetadata Metadata { get; }

    /// <summary>The dataset's root folder.</summary>
    public string RootFolder => _layout.Root;

    /// <summary>True for OME-TIFF files, false for plain TIFF.</summary>
    public bool IsOme => _layout.IsOme;

    /// <summary>Whether the stack files are (write mode: will be) BigTIFF; in read mode, whether the first is.</summary>
    public bool BigTiff { get; }

    /// <inheritdoc />
    public DataShape Shape => Mode == DataSourceMode.Write && _frames > 0 && _frames < Metadata.FrameCount
        ? new DataShape(Metadata.Width, Metadata.Height, _highest.C + 1, _highest.Z + 1, _highest.T + 1)
        : new DataShape(Metadata.Width, Metadata.Height, Metadata.Channels, Metadata.ZSteps, Metadata.Timepoints);

    /// <inheritdoc />
    public int Positions => Mode == DataSourceMode.Write && _frames > 0 && _frames < Metadata.FrameCount ? _highest.P + 1 : Metadata.Positions;

    /// <inheritdoc />
    public IReadOnlyList<Size3> Shapes => [new Size3(Metadata.Width, Metadata.Height, Shape.Z)];

    /// <inheritdoc />
    public IReadOnlyList<Size3> Resolutions { get; } = [new Size3(1, 1, 1)];

    /// <inheritdoc />
    public IReadOnlyList<Size3> Subdivisions => [new Size3(Metadata.Width, Metadata.Height, 1)];

    /// <inheritdoc />
    public VoxelSize VoxelSize => Metadata.VoxelSize;

    /// <inheritdoc />
    public long Nbytes => (long)Metadata.Width * Metadata.Height * Metadata.PixelType.BytesPerPixel() * Shape.C * Shape.Z * Shape.T * Positions;

    /// <inheritdoc />
    public int Bits => Metadata.PixelType.BytesPerPixel() * 8;

    /// <inheritdoc />
    public double Dt => Metadata.TimeIntervalSeconds;

    /// <inheritdoc />
    public long FramesWritten => Mode == DataSourceMode.Write ? _frames : CountStoredFrames();

    /// <summary>The path of the stack of <paramref name="channel"/> at <paramref name="timepoint"/> and <paramref name="position"/>.</summary>
    public string StackPath(int channel, int timepoint, int position = 0) => _layout.StackPath(channel, timepoint, position);

    /// <summary>Creates a dataset for writing (see <see cref="OmeTiffFormat.Create"/>).</summary>
    internal static OmeTiffDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options, OmeTiffOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(options);
        metadata.Validate();
        var settings = OmeTiffOptions.From(options.Settings, defaults);
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string folder;
        string suffix;
        if (Path.GetExtension(full).Length == 0)
        {
            // A bare folder name (`navigate acquire --format ome-tiff --out run1`): the folder is the dataset, OME-TIFF.
            folder = full;
            suffix = DatasetLayout.Suffixes[0];
        }
        else
        {
            // navigate's own convention: a file name inside the dataset folder, whose ending picks the kind of TIFF.
            suffix = DatasetLayout.SuffixOf(Path.GetFileName(full))
                ?? throw new ArgumentException($"ome-tiff: '{path}' must end with {string.Join(", ", DatasetLayout.Suffixes)} (the ending picks OME-TIFF or plain TIFF and the files' extension; the folder is the dataset) or be a folder name without an extension.", nameof(path));
            folder = Path.GetDirectoryName(full)!;
        }

        var layout = new DatasetLayout(folder, suffix, metadata.IsDynamic || metadata.Positions > 1);

        var bigTiff = DecideBigTiff(layout, metadata, settings.BigTiff);
        ClearOrRefuse(layout.Root, options.Overwrite);
        Directory.CreateDirectory(layout.Root);
        return new OmeTiffDataSource(path, DataSourceMode.Write, layout, metadata, bigTiff);
    }

    /// <summary>
    /// Whether stacks of <paramref name="metadata"/> must be BigTIFF: their planned size (pages, directories and the
    /// description written twice, with a stage position on every plane) passes what 32-bit offsets address.
    /// </summary>
    internal static bool NeedsBigTiff(AcquisitionMetadata metadata, bool ome, out long plannedBytes)
    {
        var format = new PageFormat(metadata.Width, metadata.Height, metadata.PixelType, metadata.VoxelSize.X, metadata.VoxelSize.Y);
        var worst = new StagePosition(-123456.789012345, -123456.789012345, -123456.789012345);
        var stack = StackInfoFor(metadata, new DatasetLayout("/", ome ? ".ome.tiff" : ".tiff", metadata.Positions > 1), new FrameIndex(metadata.Channels - 1, 0, metadata.Timepoints - 1, metadata.Positions - 1), Guid.Empty, DateTime.UnixEpoch, worst)
            with { PlanePositions = Enumerable.Repeat<StagePosition?>(worst, metadata.ZSteps).ToArray() };
        var description = ome ? OmeXml.Build(stack, Creator).Length : PlainDescription.Build(stack).Length;
        plannedBytes = TiffStackWriter.PlannedBytes(format, metadata.ZSteps, description + 1024);
        return plannedBytes > uint.MaxValue;
    }

    /// <inheritdoc />
    public void NewPosition(int position, StagePosition? view)
    {
        EnsureWritable();
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Metadata.Positions);
        _positionViews[position] = view ?? (position < Metadata.StagePositions.Count ? Metadata.StagePositions[position] : null);
    }

    /// <inheritdoc />
    public FrameIndex Write(ReadOnlySpan<byte> frame, StagePosition? stagePosition = null)
    {
        EnsureWritable();
        if (_frames >= Metadata.FrameCount)
        {
            throw new InvalidOperationException($"ome-tiff: {FileName} is complete: all {Metadata.FrameCount} frames (C={Metadata.Channels} x Z={Metadata.ZSteps} x T={Metadata.Timepoints} x P={Metadata.Positions}) are written.");
        }

        if (frame.Length != _format.PageBytes)
        {
            throw new ArgumentException($"ome-tiff: frame {_frames} has {frame.Length} bytes; the dataset's frames are {Metadata.Width}x{Metadata.Height} {Metadata.PixelType} = {_format.PageBytes} bytes.", nameof(frame));
        }

        var index = Metadata.IndexOf(_frames);
        if (!_positionViews.ContainsKey(index.P))
        {
            NewPosition(index.P, null);
        }

        if (_set is null || _setTimepoint != index.T || _setPosition != index.P)
        {
            FinishSet();
            _set = new StackSlot?[Metadata.Channels];
            (_setTimepoint, _setPosition) = (index.T, index.P);
        }

        var slot = _set[index.C] ??= new StackSlot(Metadata.ZSteps);
        if (slot.Writer is null)
        {
            slot.Writer = OpenStack(index, slot);
        }

        if (slot.Writer.Pages != index.Z)
        {
            throw new InvalidOperationException($"ome-tiff: frame {_frames} is plane {index.Z} of {slot.Writer.Path}, which has {slot.Writer.Pages} pages; planes must arrive in order.");
        }

        slot.Positions[index.Z] = stagePosition;
        slot.Writer.WritePage(frame);
        _frames++;
        _highest = new FrameIndex(Math.Max(_highest.C, index.C), Math.Max(_highest.Z, index.Z), Math.Max(_highest.T, index.T), Math.Max(_highest.P, index.P));

        // navigate closes a set of files when the counter wraps to (c, z) = (0, 0).
        if (_frames == Metadata.FrameCount || Metadata.IndexOf(_frames) is { C: 0, Z: 0 })
        {
            FinishSet();
        }

        return index;
    }

    /// <inheritdoc />
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (Mode == DataSourceMode.Write)
        {
            FinishSet();
        }
        else
        {
            CloseReading();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private static bool DecideBigTiff(DatasetLayout layout, AcquisitionMetadata metadata, BigTiffMode mode)
    {
        var needs = NeedsBigTiff(metadata, layout.IsOme, out var planned);
        return mode switch
        {
            BigTiffMode.Always => true,
            BigTiffMode.Never when needs => throw new ArgumentException(
                $"ome-tiff: bigtiff=false, but a stack of {metadata.ZSteps} planes of {metadata.Width}x{metadata.Height} {metadata.PixelType} needs about {planned} bytes, more than the 4 GiB a classic TIFF addresses; use bigtiff=auto or true."),
            BigTiffMode.Never => false,
            _ => needs,
        };
    }

    private static void ClearOrRefuse(string root, bool overwrite)
    {
        var existing = DatasetLayout.StackFilesUnder(root).ToList();
        if (existing.Count == 0)
        {
            return;
        }

        if (!overwrite)
        {
            throw new IOException($"ome-tiff: {existing[0]} already holds a stack{(existing.Count > 1 ? $" ({existing.Count - 1} more stack files in {root})" : string.Empty)}; nothing was changed. Set Overwrite to replace them.");
        }

        foreach (var file in existing)
        {
            File.Delete(file);
        }
    }

    private static StackInfo StackInfoFor(AcquisitionMetadata m, DatasetLayout layout, FrameIndex index, Guid uuid, DateTime started, StagePosition? view) => new()
    {
        FileName = layout.StackName(index.C, index.T),
        Uuid = uuid,
        Width = m.Width,
        Height = m.Height,
        PixelType = m.PixelType,
        SignificantBits = m.BitDepth,
        Planes = m.ZSteps,
        VoxelSize = m.VoxelSize,
        TimeIncrementSeconds = m.TimeIntervalSeconds,
        Channel = index.C,
        Timepoint = index.T,
        Position = index.P,
        ChannelInfo = index.C < m.ChannelInfos.Count ? m.ChannelInfos[index.C] : null,
        PositionStage = view,
        AcquisitionDate = started,
        Acquisition = new AcquisitionFacts(m.Channels, m.ZSteps, m.Timepoints, m.Positions, m.PerStack, m.IsDynamic || m.Positions > 1, m.MicroscopeName, m.Extras),
    };

    private TiffStackWriter OpenStack(FrameIndex index, StackSlot slot)
    {
        var folder = _layout.PositionFolder(index.P);
        Directory.CreateDirectory(folder);
        slot.Info = StackInfoFor(Metadata, _layout, index with { Z = 0 }, Guid.NewGuid(), DateTime.UtcNow, _positionViews.GetValueOrDefault(index.P));
        return new TiffStackWriter(Path.Combine(folder, slot.Info.FileName), _format, BigTiff, Describe(slot.Info), Creator);
    }

    private string Describe(StackInfo stack) => _layout.IsOme ? OmeXml.Build(stack, Creator) : PlainDescription.Build(stack);

    private void FinishSet()
    {
        if (_set is not { } set)
        {
            return;
        }

        _set = null;
        List<Exception>? failures = null;
        foreach (var slot in set)
        {
            if (slot?.Writer is not { } writer)
            {
                continue;
            }

            try
            {
                var final = slot.Info! with
                {
                    PositionStage = _positionViews.GetValueOrDefault(_setPosition) ?? slot.Info.PositionStage,
                    Planes = writer.Pages,
                    PlanePositions = slot.Positions[..writer.Pages],
                };
                writer.Finish(Describe(final));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TiffFormatException)
            {
                (failures ??= []).Add(e);
            }
            finally
            {
                writer.Dispose();
            }
        }

        if (failures is { Count: 1 })
        {
            throw failures[0];
        }

        if (failures is not null)
        {
            throw new AggregateException($"ome-tiff: {failures.Count} stack files of timepoint {_setTimepoint}, position {_setPosition} could not be finished.", failures);
        }
    }

    private void EnsureWritable()
    {
        if (Mode != DataSourceMode.Write)
        {
            throw new InvalidOperationException($"ome-tiff: {FileName} is open for reading.");
        }

        if (_closed)
        {
            throw new InvalidOperationException($"ome-tiff: {FileName} is closed.");
        }
    }

    private sealed class StackSlot(int planes)
    {
        public TiffStackWriter? Writer { get; set; }

        public StackInfo? Info { get; set; }

        public StagePosition?[] Positions { get; } = new StagePosition?[planes];
    }
}
