using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Navigate.Data;
using Navigate.Devices;

namespace MyLab.Plugins.Format;

/// <summary>
/// One <c>raw-planes</c> dataset, opened to write or to read (see <see cref="RawPlanesFormat"/> for the layout).
/// </summary>
/// <remarks>
/// Writing follows navigate's data-source semantics: frames come one at a time in acquisition order, and a running frame
/// counter decides where each goes through <see cref="AcquisitionMetadata.IndexOf"/> (c, z, t, p, with the per-stack or
/// per-slice order of the metadata). Writing a frame is one positioned write into a preallocated file, with no
/// allocation. One thread writes; reading may happen from any thread.
/// </remarks>
public sealed class RawPlanesDataSource : IDataSource, IRecordsDroppedFrames
{
    private readonly RawPlanesManifest _manifest;
    private readonly int _bytesPerPixel;
    private readonly long _planeBytes;
    private readonly StagePosition?[] _views;
    private readonly List<long> _dropped;
    private readonly SafeFileHandle?[] _readers;
    private readonly Lock _readGate = new();
    private SafeFileHandle? _writer;
    private int _writerPosition = -1;
    private long _counter;
    private bool _closed;

    private RawPlanesDataSource(string folder, DataSourceMode mode, RawPlanesManifest manifest)
    {
        FileName = folder;
        Mode = mode;
        _manifest = manifest;
        Metadata = manifest.ToMetadata();
        _bytesPerPixel = Metadata.PixelType.BytesPerPixel();
        _planeBytes = (long)Metadata.Width * Metadata.Height * _bytesPerPixel;
        _views = new StagePosition?[Metadata.Positions];
        for (var p = 0; p < _views.Length && p < manifest.StagePositions.Count; p++)
        {
            _views[p] = manifest.StagePositions[p];
        }

        _dropped = [.. manifest.DroppedFrames];
        _readers = new SafeFileHandle?[Metadata.Positions];
        _counter = manifest.FramesWritten + manifest.DroppedFrames.Count;
    }

    /// <inheritdoc />
    public string FileName { get; }

    /// <inheritdoc />
    public DataSourceMode Mode { get; }

    /// <inheritdoc />
    public AcquisitionMetadata Metadata { get; }

    /// <inheritdoc />
    public DataShape Shape => new(Metadata.Width, Metadata.Height, Metadata.Channels, Metadata.ZSteps, Metadata.Timepoints);

    /// <inheritdoc />
    public int Positions => Metadata.Positions;

    /// <inheritdoc />
    public IReadOnlyList<Size3> Shapes => [new(Metadata.Width, Metadata.Height, Metadata.ZSteps)];

    /// <inheritdoc />
    public IReadOnlyList<Size3> Resolutions => [new(1, 1, 1)];

    /// <inheritdoc />
    /// <remarks>The unit of storage is one plane.</remarks>
    public IReadOnlyList<Size3> Subdivisions => [new(Metadata.Width, Metadata.Height, 1)];

    /// <inheritdoc />
    public VoxelSize VoxelSize => Metadata.VoxelSize;

    /// <inheritdoc />
    public long Nbytes => Metadata.FrameCount * _planeBytes;

    /// <inheritdoc />
    public int Bits => Metadata.BitDepth;

    /// <inheritdoc />
    public double Dt => Metadata.TimeIntervalSeconds;

    /// <inheritdoc />
    /// <remarks>Frames written with pixels; dropped frames are not counted (see <see cref="DroppedFrames"/>).</remarks>
    public long FramesWritten => _counter - _dropped.Count;

    /// <summary>Frame numbers the camera dropped, in acquisition order; their planes hold zeros.</summary>
    public IReadOnlyList<long> DroppedFrames => _dropped;

    /// <summary>True when every frame of the acquisition was written or recorded as dropped.</summary>
    public bool IsComplete => _counter == Metadata.FrameCount;

    /// <summary>Creates a dataset at <paramref name="folder"/>.</summary>
    /// <exception cref="IOException">
    /// The path holds data and <paramref name="overwrite"/> is false, or it holds something that is not a dataset of
    /// this format (never deleted, even with <paramref name="overwrite"/>).
    /// </exception>
    internal static RawPlanesDataSource Create(string folder, AcquisitionMetadata metadata, bool overwrite)
    {
        folder = Path.GetFullPath(folder);
        if (File.Exists(folder))
        {
            throw new IOException($"{folder} is a file; a {RawPlanesFormat.FormatName} dataset is a folder. Choose another path.");
        }

        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!overwrite)
            {
                throw new IOException($"{folder} already holds data; nothing was changed. Pass Overwrite (navigate acquire --overwrite) to replace it.");
            }

            if (!RawPlanesManifest.IsDataset(folder))
            {
                throw new IOException($"{folder} holds files that are not a {RawPlanesFormat.FormatName} dataset; they are not deleted, even with Overwrite. Choose another path.");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var manifest = RawPlanesManifest.From(metadata);
        manifest.Write(folder);
        return new RawPlanesDataSource(folder, DataSourceMode.Write, manifest);
    }

    /// <summary>Opens the dataset at <paramref name="folder"/> for reading and checks that its files are whole.</summary>
    internal static RawPlanesDataSource Open(string folder)
    {
        folder = Path.GetFullPath(folder);
        var manifest = RawPlanesManifest.Read(folder);
        var source = new RawPlanesDataSource(folder, DataSourceMode.Read, manifest);
        for (var p = 0; p < source.Positions; p++)
        {
            var file = source.PlaneFile(p);
            if (!File.Exists(file))
            {
                throw new InvalidDataException($"{file} is missing; the dataset's {RawPlanesManifest.FileName} lists {source.Positions} positions.");
            }

            var length = new FileInfo(file).Length;
            if (length != source.PositionBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file} is {length} bytes; expected {source.PositionBytes} ({source.Metadata.Timepoints} timepoints × {source.Metadata.Channels} channels × {source.Metadata.ZSteps} planes × {source.Metadata.Height}×{source.Metadata.Width} {source.Metadata.PixelType})."));
            }
        }

        return source;
    }

    private long PositionBytes => (long)Metadata.Timepoints * Metadata.Channels * Metadata.ZSteps * _planeBytes;

    /// <inheritdoc />
    public void NewPosition(int position, StagePosition? view)
    {
        ThrowIfNotWritable();
        if (position < 0 || position >= Positions)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"Dataset {FileName} has positions 0 to {Positions - 1}.");
        }

        if (view is not null)
        {
            _views[position] = view;
        }

        if (position != _writerPosition)
        {
            _writer?.Dispose();
            _writer = CreatePositionFile(position);
            _writerPosition = position;
        }
    }

    /// <inheritdoc />
    public FrameIndex Write(ReadOnlySpan<byte> frame, StagePosition? stagePosition = null)
    {
        ThrowIfNotWritable();
        if (frame.Length != _planeBytes)
        {
            throw new ArgumentException($"Frame {_counter} is {frame.Length} bytes; dataset {FileName} takes {Metadata.Width}×{Metadata.Height} {Metadata.PixelType} frames of {_planeBytes} bytes.", nameof(frame));
        }

        var index = Next();
        RandomAccess.Write(_writer!, frame, PlaneOffset(index.T, index.C, index.Z));
        _counter++;
        return index;
    }

    /// <inheritdoc />
    public FrameIndex SkipDroppedFrame()
    {
        ThrowIfNotWritable();
        var index = Next();
        _dropped.Add(_counter);
        _counter++;
        return index;
    }

    /// <inheritdoc />
    public ImageData GetData(int timepoint = 0, int position = 0, int channel = 0, int z = -1, int resolution = 1)
    {
        CheckIndex(timepoint, position, channel);
        if (z < -1 || z >= Metadata.ZSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, $"Dataset {FileName} has planes 0 to {Metadata.ZSteps - 1}; -1 reads the whole stack.");
        }

        if (resolution != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"Dataset {FileName} holds full resolution only (1); it has no pyramid.");
        }

        var first = Math.Max(z, 0);
        var planes = z < 0 ? Metadata.ZSteps : 1;
        var bytes = new byte[Checked(planes * _planeBytes)];

        // The planes of one stack are contiguous: one read.
        Read(position, PlaneOffset(timepoint, channel, first), bytes);
        return new ImageData(new Size3(Metadata.Width, Metadata.Height, planes), Metadata.PixelType, bytes);
    }

    /// <inheritdoc />
    public ImageData GetSlice(Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0)
    {
        CheckIndex(t, p, c);
        if (subdiv != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(subdiv), subdiv, $"Dataset {FileName} has one level (0); it has no pyramid.");
        }

        var (x0, nx) = Resolve(x, Metadata.Width, nameof(x));
        var (y0, ny) = Resolve(y, Metadata.Height, nameof(y));
        var (z0, nz) = Resolve(z, Metadata.ZSteps, nameof(z));
        var rowBytes = nx * _bytesPerPixel;
        var bytes = new byte[Checked((long)nz * ny * rowBytes)];
        var target = bytes.AsSpan();
        for (var zi = z0; zi < z0 + nz; zi++)
        {
            var plane = PlaneOffset(t, c, zi);
            if (nx == Metadata.Width)
            {
                // Whole rows are contiguous in the file: one read per plane.
                Read(p, plane + ((long)y0 * rowBytes), target[..(ny * rowBytes)]);
                target = target[(ny * rowBytes)..];
                continue;
            }

            for (var yi = y0; yi < y0 + ny; yi++)
            {
                Read(p, plane + ((((long)yi * Metadata.Width) + x0) * _bytesPerPixel), target[..rowBytes]);
                target = target[rowBytes..];
            }
        }

        return new ImageData(new Size3(nx, ny, nz), Metadata.PixelType, bytes);
    }

    /// <inheritdoc />
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _writer?.Dispose();
        _writer = null;
        lock (_readGate)
        {
            foreach (var reader in _readers)
            {
                reader?.Dispose();
            }
        }

        if (Mode == DataSourceMode.Write)
        {
            // Positions never reached still get their (all-zero, sparse) file, so every dataset has the shape it declares.
            for (var p = 0; p < Positions; p++)
            {
                if (!File.Exists(PlaneFile(p)))
                {
                    CreatePositionFile(p).Dispose();
                }
            }

            (_manifest with
            {
                StagePositions = _views,
                FramesWritten = FramesWritten,
                DroppedFrames = [.. _dropped],
                Complete = IsComplete,
            }).Write(FileName);
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

    private string PlaneFile(int position) => Path.Combine(FileName, string.Create(CultureInfo.InvariantCulture, $"p{position}.raw"));

    private long PlaneOffset(int t, int c, int z) => ((((long)t * Metadata.Channels) + c) * Metadata.ZSteps + z) * _planeBytes;

    /// <summary>Where the next frame goes; opens its position's file when the counter enters a new position.</summary>
    private FrameIndex Next()
    {
        if (_counter >= Metadata.FrameCount)
        {
            throw new InvalidOperationException($"Dataset {FileName} already holds all {Metadata.FrameCount} frames of its acquisition.");
        }

        var index = Metadata.IndexOf(_counter);
        if (index.P != _writerPosition)
        {
            NewPosition(index.P, null);
        }

        return index;
    }

    private SafeFileHandle CreatePositionFile(int position)
    {
        var handle = File.OpenHandle(PlaneFile(position), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) != PositionBytes)
        {
            // Sized up front (sparse where the file system allows): planes never written read as zeros.
            RandomAccess.SetLength(handle, PositionBytes);
        }

        return handle;
    }

    private void Read(int position, long offset, Span<byte> target)
    {
        SafeFileHandle reader;
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_readers[position] is null && Mode == DataSourceMode.Write && !File.Exists(PlaneFile(position)))
            {
                // Read while writing, from a position not reached yet: nothing written there, so zeros.
                target.Clear();
                return;
            }

            reader = _readers[position] ??= File.OpenHandle(PlaneFile(position), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }

        while (!target.IsEmpty)
        {
            var read = RandomAccess.Read(reader, target, offset);
            if (read == 0)
            {
                // Past the end of a file being written: not written yet, so zeros.
                target.Clear();
                return;
            }

            target = target[read..];
            offset += read;
        }
    }

    private void CheckIndex(int timepoint, int position, int channel)
    {
        Check(timepoint, Metadata.Timepoints, nameof(timepoint), "timepoints");
        Check(position, Metadata.Positions, nameof(position), "positions");
        Check(channel, Metadata.Channels, nameof(channel), "channels");

        void Check(int value, int count, string name, string what)
        {
            if (value < 0 || value >= count)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Dataset {FileName} has {what} 0 to {count - 1}.");
            }
        }
    }

    private (int Offset, int Length) Resolve(Range range, int length, string name)
    {
        try
        {
            return range.GetOffsetAndLength(length);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentOutOfRangeException(name, range, $"Dataset {FileName}: range {range} is outside 0..{length} along {name}.");
        }
    }

    private int Checked(long bytes)
        => bytes <= Array.MaxLength
            ? (int)bytes
            : throw new InvalidOperationException($"Dataset {FileName}: a block of {bytes} bytes does not fit one array; read it plane by plane.");

    private void ThrowIfNotWritable()
    {
        if (Mode != DataSourceMode.Write)
        {
            throw new InvalidOperationException($"Dataset {FileName} was opened for reading.");
        }

        ObjectDisposedException.ThrowIf(_closed, this);
    }
}
