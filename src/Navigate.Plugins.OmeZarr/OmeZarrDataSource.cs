using System.Diagnostics;
using System.Text.Json.Nodes;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Experiment;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Pyramid;
using Navigate.Plugins.OmeZarr.Storage;
using Navigate.Plugins.OmeZarr.Writing;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// navigate's <c>OMEZarrDataSource</c>: an acquisition written frame by frame into an OME-NGFF 0.4 dataset on Zarr v2,
/// with a pyramid built while streaming, and read back by slice or stack. Frames go in acquisition order; the frame
/// counter maps to (c, z, t, p) with <see cref="AcquisitionMetadata.IndexOf"/> (per stack or per slice, as navigate).
/// </summary>
/// <remarks>
/// <para>Writing: <see cref="Write(ReadOnlySpan{byte}, StagePosition?)"/> copies the frame (and its pyramid planes) into chunk buffers; complete chunks are
/// compressed by <see cref="OmeZarrOptions.Threads"/> threads and stored by <see cref="OmeZarrOptions.WriteThreads"/>
/// others (so compression never waits for the disk), through a queue bounded in bytes, and
/// <see cref="Write(ReadOnlySpan{byte}, StagePosition?)"/> blocks while it is full. The root group, every array's <c>.zarray</c> and the attributes are
/// written before the first chunk of their array and every chunk file is replaced atomically, so a killed process
/// leaves a dataset any Zarr reader opens; the number of frames stored is rewritten into the attributes every few
/// seconds and when a position completes.</para>
/// <para>Layouts (<see cref="OmeZarrLayout"/>): navigate's arrays <c>p{p}_{k}</c> in the root group with one multiscale
/// per position, or bioformats2raw's image group per position. Arrays are (t, c, z, y, x); level k is 2^k smaller in
/// x and y (mean of 2×2 blocks, cascaded) and keeps every z plane, as navigate does.</para>
/// </remarks>
public sealed class OmeZarrDataSource : IDataSource, IRecordsDroppedFrames
{
    /// <summary>The largest chunk <see cref="WarmUpEncoder"/> encodes (16 MiB: 4 planes of 2048 × 2048 uint16).</summary>
    private const int WarmUpLimitBytes = 16 << 20;

    private readonly OmeZarrStore _store;
    private readonly object _gate = new();

    // Write state.
    private AcquisitionMetadata _metadata;
    private AcquisitionMetadata _planned;
    private OmeZarrOptions _options;
    private bool _frozen;
    private bool _encodersWarm;
    private bool _closed;
    private long _counter;
    private int _currentPosition = -1;
    private readonly List<StagePosition?> _views = [];
    private readonly List<bool> _positionHasFrames = [];
    private PlanePyramid? _pyramid;
    private ArraySegment<byte>[]? _planeBuffers;
    private ChunkBufferPool? _pool;
    private ChunkWriteQueue? _queue;
    private ChunkAssembler? _assembler;
    private ShardPacker? _shards;
    private readonly Stopwatch _sinceProgress = new();
    private long _recordedFrames;
    private long _milestone;
    private readonly List<long> _dropped = [];

    // Arrays by position then level (both modes).
    private readonly List<OmeZarrArray[]> _arrays = [];
    private IReadOnlyList<ReadPosition> _readPositions = [];

    private OmeZarrDataSource(OmeZarrStore store, DataSourceMode mode, AcquisitionMetadata metadata, OmeZarrOptions options)
    {
        _store = store;
        Mode = mode;
        _metadata = metadata;
        _planned = metadata;
        _options = options;
    }

    /// <summary>
    /// Creates a dataset at <paramref name="path"/> for <paramref name="metadata"/> and writes its root group at once.
    /// </summary>
    /// <exception cref="IOException">The path holds data and <see cref="DataSourceOptions.Overwrite"/> is false.</exception>
    /// <exception cref="OmeZarrOptionsException">A setting is unknown or bad.</exception>
    public static OmeZarrDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions? options = null)
    {
        options ??= new DataSourceOptions();
        return Create(path, metadata, OmeZarrOptions.Parse(options), options.Overwrite);
    }

    /// <summary>Creates a dataset with parsed options.</summary>
    /// <exception cref="IOException">The path holds data and <paramref name="overwrite"/> is false.</exception>
    public static OmeZarrDataSource Create(string path, AcquisitionMetadata metadata, OmeZarrOptions options, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(options);
        metadata.Validate();
        var store = OmeZarrStore.CreateNew(path, overwrite);
        store.ZarrFormat = options.ZarrVersion;
        var source = new OmeZarrDataSource(store, DataSourceMode.Write, metadata, options);
        source.Setup();
        return source;
    }

    /// <summary>Opens an OME-NGFF 0.4 dataset for reading: ours in either layout, or any image written by other tools.</summary>
    /// <exception cref="NgffMetadataException">The metadata breaks an OME-NGFF 0.4 rule.</exception>
    /// <exception cref="OmeZarrLayoutException">The arrays do not match the metadata.</exception>
    public static OmeZarrDataSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var store = OmeZarrStore.OpenExisting(path);
        var source = new OmeZarrDataSource(store, DataSourceMode.Read, new AcquisitionMetadata(), new OmeZarrOptions());
        source.Read();
        return source;
    }

    /// <inheritdoc />
    public string FileName => _store.Path;

    /// <inheritdoc />
    public DataSourceMode Mode { get; private set; }

    /// <summary>The format settings the dataset is written with (in read mode: its layout and level count).</summary>
    public OmeZarrOptions Options => _options;

    /// <inheritdoc />
    public AcquisitionMetadata Metadata => _metadata;

    /// <inheritdoc />
    public DataShape Shape => new(_metadata.Width, _metadata.Height, _metadata.Channels, _metadata.ZSteps, _metadata.Timepoints);

    /// <inheritdoc />
    public int Positions => _metadata.Positions;

    /// <summary>Number of pyramid levels.</summary>
    public int Levels => Mode == DataSourceMode.Read && _readPositions.Count > 0 ? _readPositions[0].Levels.Count : _options.Levels;

    /// <inheritdoc />
    public IReadOnlyList<Size3> Shapes => Mode == DataSourceMode.Read && _readPositions.Count > 0
        ? [.. _readPositions[0].Levels.Select(l => l.Shape)]
        : [.. Enumerable.Range(0, Levels).Select(LevelShape)];

    /// <inheritdoc />
    public IReadOnlyList<Size3> Resolutions => Mode == DataSourceMode.Read && _readPositions.Count > 0
        ? [.. _readPositions[0].Levels.Select(l => l.Resolution)]
        : [.. Enumerable.Range(0, Levels).Select(k => new Size3(1 << k, 1 << k, 1))];

    /// <summary>The chunk size (x, y, z) of each level: navigate's subdivisions are the Zarr chunks here.</summary>
    public IReadOnlyList<Size3> Subdivisions => Mode == DataSourceMode.Read && _readPositions.Count > 0
        ? [.. _readPositions[0].Levels.Select(l => l.Chunk)]
        : [.. Enumerable.Range(0, Levels).Select(k => ChunkOf(LevelShape(k)))];

    /// <inheritdoc />
    public VoxelSize VoxelSize => _metadata.VoxelSize;

    /// <summary>Pixel size along x in µm (navigate's dx).</summary>
    public double Dx => _metadata.VoxelSize.X;

    /// <summary>Pixel size along y in µm (navigate's dy).</summary>
    public double Dy => _metadata.VoxelSize.Y;

    /// <summary>Plane spacing in µm (navigate's dz).</summary>
    public double Dz => _metadata.VoxelSize.Z;

    /// <summary>Step between channels: always 1 (navigate's dc).</summary>
#pragma warning disable CA1822 // An instance property, like navigate's attribute and the other steps beside it.
    public double Dc => 1;
#pragma warning restore CA1822

    /// <inheritdoc />
    public double Dt => _metadata.TimeIntervalSeconds;

    /// <summary>Bits per stored pixel (16 for uint16), as navigate's <c>bits</c>; the significant bits are <see cref="AcquisitionMetadata.BitDepth"/>.</summary>
    public int Bits => _metadata.PixelType.BytesPerPixel() * 8;

    /// <summary>
    /// Uncompressed bytes of every level, as navigate computes it: the sum over levels of
    /// z·y·x (that level) · T · C · positions · bits / 8.
    /// </summary>
    public long Nbytes
    {
        get
        {
            long total = 0;
            foreach (var s in Shapes)
            {
                total += (long)s.X * s.Y * s.Z * _metadata.Timepoints * _metadata.Channels * _metadata.Positions * Bits / 8;
            }

            return total;
        }
    }

    /// <inheritdoc />
    public long FramesWritten { get; private set; }

    /// <summary>The dataset as navigate's <c>ds[x, y, c, z, t, p, subdiv]</c> indexer (navigate's <c>data</c>).</summary>
    public OmeZarrDataView Data => new(this);

    /// <summary>The shape as navigate's <c>get_shape_from_metadata</c> derives it: XYCZT of the current metadata.</summary>
    public DataShape GetShapeFromMetadata() => Shape;

    /// <summary>
    /// navigate's <c>setup()</c>: writes the root group and its attributes (and, for bioformats2raw, the <c>OME</c>
    /// group). Called by <see cref="Create(string, AcquisitionMetadata, DataSourceOptions?)"/>; again, it only
    /// refreshes the attributes.
    /// </summary>
    public void Setup()
    {
        EnsureWritable();
        lock (_gate)
        {
            _store.WriteGroup(string.Empty);
            if (_options.Layout == OmeZarrLayout.Bioformats2Raw)
            {
                _store.WriteGroup(OmeZarrConstants.OmeGroupName);
                WriteSeries();
            }
            else if (_options.Layout == OmeZarrLayout.Hcs)
            {
                _store.WriteGroup(DatasetDocuments.WellRow);
                WriteSeries();
            }

            WriteRootAttributes(complete: false);
            _sinceProgress.Restart();
        }
    }

    /// <summary>
    /// navigate's <c>set_metadata</c>: changes the counts (<c>c</c>, <c>z</c>, <c>t</c>, <c>p</c>), multi-position
    /// (<c>is_dynamic</c>) and order (<c>per_stack</c>). Only before the first frame or position.
    /// </summary>
    /// <exception cref="InvalidOperationException">Frames or positions were already written, or the source is read-only.</exception>
    /// <exception cref="ArgumentException">A count is below 1.</exception>
    public void SetMetadata(int? c = null, int? z = null, int? t = null, int? p = null, bool? isDynamic = null, bool? perStack = null) =>
        SetMetadata(_metadata with
        {
            Channels = c ?? _metadata.Channels,
            ZSteps = z ?? _metadata.ZSteps,
            Timepoints = t ?? _metadata.Timepoints,
            Positions = p ?? _metadata.Positions,
            // navigate: is_dynamic can only switch multi-position on.
            IsDynamic = _metadata.IsDynamic || (isDynamic ?? false),
            PerStack = perStack ?? _metadata.PerStack,
        });

    /// <summary>Replaces the whole acquisition metadata (before the first frame or position).</summary>
    /// <exception cref="InvalidOperationException">Frames or positions were already written, or the source is read-only.</exception>
    public void SetMetadata(AcquisitionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        EnsureWritable();
        lock (_gate)
        {
            if (_frozen)
            {
                throw new InvalidOperationException($"{FileName}: the metadata is fixed once a position has been started ({_counter} frames written).");
            }

            metadata.Validate();
            _metadata = metadata;
            _planned = metadata;
            WriteRootAttributes(complete: false);
            if (_options.Layout != OmeZarrLayout.Navigate)
            {
                WriteSeries();
            }
        }
    }

    /// <summary>
    /// navigate's <c>set_metadata_from_configuration_experiment</c>: takes the acquisition from navigate's
    /// experiment.yml (and configuration.yaml for the pixel size), keeping this source's pixel type and bit depth.
    /// </summary>
    /// <exception cref="NavigateExperimentException">The experiment file lacks a key or has a bad value.</exception>
    public void SetMetadataFromExperiment(string experimentPath, string? configurationPath = null, string? microscopeName = null)
    {
        var read = NavigateExperimentReader.Read(experimentPath, configurationPath, microscopeName);
        SetMetadata(read with { PixelType = _metadata.PixelType, BitDepth = Math.Min(read.BitDepth, _metadata.PixelType.BytesPerPixel() * 8) });
    }

    /// <inheritdoc />
    public void NewPosition(int position, StagePosition? view)
    {
        EnsureWritable();
        lock (_gate)
        {
            EnsureOpen();
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            if (position >= _metadata.Positions)
            {
                throw new ArgumentOutOfRangeException(nameof(position), position, $"{FileName}: position {position} is outside the acquisition's {_metadata.Positions} positions.");
            }

            StartWriting();
            while (_views.Count <= position)
            {
                _views.Add(null);
                _positionHasFrames.Add(false);
                _arrays.Add([]);
            }

            if (_positionHasFrames[position])
            {
                throw new InvalidOperationException($"{FileName}: position {position} already holds frames; a position is started once.");
            }

            _views[position] = view ?? (position < _metadata.StagePositions.Count ? _metadata.StagePositions[position] : null);
            if (_arrays[position].Length == 0)
            {
                _arrays[position] = CreateArrays(position);
                if (!_encodersWarm)
                {
                    WarmUpEncoder(_arrays[position][0]);
                    _encodersWarm = true;
                }
            }

            WritePositionAttributes(position);
        }
    }

    /// <inheritdoc />
    public FrameIndex Write(ReadOnlySpan<byte> frame, StagePosition? stagePosition = null) => Append(frame, empty: false, stagePosition);

    private FrameIndex Append(ReadOnlySpan<byte> frame, bool empty, StagePosition? stagePosition)
    {
        EnsureWritable();
        lock (_gate)
        {
            EnsureOpen();
            if (_counter >= _planned.FrameCount)
            {
                OmeZarrThrowHelper.ThrowComplete(FileName, _planned.FrameCount);
            }

            var bpp = _metadata.PixelType.BytesPerPixel();
            var expected = (long)_metadata.Width * _metadata.Height * bpp;
            if (!empty && frame.Length != expected)
            {
                OmeZarrThrowHelper.ThrowFrameSize(FileName, _metadata.Width, _metadata.Height, _metadata.PixelType, expected, frame.Length, nameof(frame));
            }

            if (_queue?.Failure is { } failure)
            {
                OmeZarrThrowHelper.ThrowWriteFailed(FileName, failure);
            }

            var index = _metadata.IndexOf(_counter);
            if (index.P != _currentPosition)
            {
                if (index.P >= _views.Count || _arrays[index.P].Length == 0)
                {
                    NewPosition(index.P, stagePosition);
                }

                _currentPosition = index.P;
                _positionHasFrames[index.P] = true;
            }

            StartWriting();
            if (empty)
            {
                for (var k = 0; k < _options.Levels; k++)
                {
                    _assembler!.AddEmpty(k, index.P, index.T, index.C, index.Z, _counter);
                }
            }
            else
            {
                // Level 0 too, when a chunk holds the whole plane: the pyramid copies the frame into it as it reads it,
                // and the assembler sees the plane already in place.
                for (var k = 0; k < _options.Levels; k++)
                {
                    _planeBuffers![k] = _assembler!.PlaneBuffer(k, index.P, index.T, index.C, index.Z, _counter);
                }

                _pyramid!.Build(frame, _planeBuffers);
                for (var k = 0; k < _options.Levels; k++)
                {
                    var plane = k > 0 ? _pyramid.Level(k) : _planeBuffers![0].Count > 0 ? _planeBuffers[0] : frame;
                    _assembler!.Add(k, index.P, index.T, index.C, index.Z, _counter, plane);
                }
            }

            _assembler!.EndFrame(_counter);
            _counter++;
            FramesWritten = _counter;
            RecordProgressIfDue();
            return index;
        }
    }

    /// <summary>
    /// A frame the camera dropped: the counter advances, the plane stays at the fill value (0) at every level, and the
    /// frame number is listed under <c>navigate.dropped_frames</c> in the root attributes.
    /// </summary>
    public FrameIndex SkipDroppedFrame()
    {
        EnsureWritable();
        lock (_gate)
        {
            EnsureOpen();
            var frame = _counter;
            // No pixels go through the pyramid or the compressor: a writer that fell behind must not pay for lost frames.
            var index = Append(default, empty: true, stagePosition: null);
            _dropped.Add(frame);
            return index;
        }
    }

    /// <summary>Frame numbers recorded as dropped by <see cref="SkipDroppedFrame"/>.</summary>
    public IReadOnlyList<long> DroppedFrames => _dropped;

    /// <summary>Writes the next frame from a <see cref="Frame"/> (the caller still disposes the frame).</summary>
    public FrameIndex Write(Frame frame, StagePosition? stagePosition = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != _metadata.Width || frame.Height != _metadata.Height || frame.PixelType != _metadata.PixelType)
        {
            throw new ArgumentException($"{FileName}: frame {frame.FrameNumber} is {frame.Width}×{frame.Height} {frame.PixelType}; the dataset takes {_metadata.Width}×{_metadata.Height} {_metadata.PixelType}.", nameof(frame));
        }

        return Write(frame.Bytes, stagePosition);
    }

    /// <inheritdoc />
    public ImageData GetSlice(Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0)
    {
        FlushForReading();
        var level = Level(p, subdiv);
        var shape = level.Shape;
        var (x0, xn) = Resolve(x, shape.X, "x");
        var (y0, yn) = Resolve(y, shape.Y, "y");
        var (z0, zn) = Resolve(z, shape.Z, "z");
        CheckIndex(c, _metadata.Channels, "channel");
        CheckIndex(t, _metadata.Timepoints, "timepoint");
        var bytes = new byte[(long)xn * yn * zn * _metadata.PixelType.BytesPerPixel()];
        level.Array.ReadBlock(t, c, z0, zn, y0, yn, x0, xn, bytes);
        return new ImageData(new Size3(xn, yn, zn), _metadata.PixelType, bytes);
    }

    /// <inheritdoc />
    public ImageData GetData(int timepoint = 0, int position = 0, int channel = 0, int z = -1, int resolution = 1)
    {
        var resolutions = Resolutions;
        var subdiv = -1;
        for (var k = 0; k < resolutions.Count; k++)
        {
            if (resolutions[k].X == resolution && resolutions[k].Y == resolution)
            {
                subdiv = k;
                break;
            }
        }

        if (subdiv < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"{FileName}: no level is downsampled by {resolution}; the levels are {string.Join(", ", resolutions.Select(r => r.X))}.");
        }

        if (z < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, $"{FileName}: z is {z}; expected -1 (the whole stack) or a plane index.");
        }

        return GetSlice(.., .., channel, z == -1 ? .. : z..(z + 1), timepoint, position, subdiv);
    }

    /// <summary>
    /// navigate's <c>read()</c>: (re)opens the dataset read-only from disk. A source still writing is closed first.
    /// </summary>
    public void Read()
    {
        lock (_gate)
        {
            if (Mode == DataSourceMode.Write)
            {
                Close();
            }

            Mode = DataSourceMode.Read;
            var layout = OmeZarrDatasetReader.Read(_store);
            _readPositions = layout.Positions;
            _metadata = layout.Metadata;
            _planned = layout.Metadata;
            _options = layout.Options;
            FramesWritten = layout.FramesWritten;
            _closed = true;
        }
    }

    /// <summary>
    /// Finishes the dataset: queues the chunks still being filled, waits for every chunk to be stored, shrinks the
    /// recorded shape when the acquisition stopped early (navigate's <c>_check_shape</c>: the counts become the highest
    /// index reached + 1, and the arrays are resized to match), writes the final attributes with the number of frames
    /// held, and the consolidated <c>.zmetadata</c>. Idempotent.
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            if (Mode != DataSourceMode.Write || _closed)
            {
                return;
            }

            _closed = true;
            Exception? failure = null;
            if (_assembler is not null)
            {
                try
                {
                    _assembler.FlushAll(_counter);
                    _queue!.Drain();
                    // Every inner chunk is in its shard now; shards still open (an early close, edge shards whose
                    // planes never came) are stored as they are.
                    _shards?.FlushAll();
                }
                catch (IOException e)
                {
                    failure = e;
                }

                _queue!.Dispose();
                _shards?.Dispose();
            }

            var durable = failure is null ? _counter : _queue?.DurableFrames ?? 0;
            try
            {
                Finish(durable, complete: failure is null && _counter == _planned.FrameCount);
            }
            catch (IOException) when (failure is not null)
            {
                // The disk that failed a chunk may fail the metadata too; the first failure is the one to report.
            }

            if (failure is not null)
            {
                throw failure;
            }
        }
    }

    private void Finish(long durable, bool complete)
    {
        if (durable < _planned.FrameCount && durable > 0)
        {
            ShrinkTo(durable);
        }

        if (_options.Layout != OmeZarrLayout.Navigate)
        {
            for (var p = 0; p < _arrays.Count && p < _metadata.Positions; p++)
            {
                if (_arrays[p].Length > 0)
                {
                    WritePositionAttributes(p);
                }
            }

            WriteSeries();
        }

        // Last: the root attributes say the dataset is complete only once everything else is on disk.
        WriteRootAttributes(complete, framesWritten: durable);
        _store.WriteConsolidatedMetadata();
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    // ---- writing ----

    private void EnsureWritable()
    {
        if (Mode != DataSourceMode.Write)
        {
            OmeZarrThrowHelper.ThrowReadOnly(FileName);
        }
    }

    private void EnsureOpen()
    {
        if (_closed)
        {
            OmeZarrThrowHelper.ThrowClosed(FileName);
        }
    }

    private Size3 LevelShape(int level)
    {
        var (w, h) = PlanePyramid.LevelShape(_metadata.Width, _metadata.Height, level);
        return new Size3(w, h, _metadata.ZSteps);
    }

    private Size3 ChunkOf(Size3 shape) => _options.ZarrVersion == 3
        ? Clip(_options.EffectiveV3Chunks, shape)
        : _options.Chunks is { } c ? Clip(c, shape) : new Size3(shape.X, shape.Y, 1);

    private static Size3 Clip(ChunkShape c, Size3 shape) => new(Math.Min(c.X, shape.X), Math.Min(c.Y, shape.Y), Math.Min(c.Z, shape.Z));

    /// <summary>
    /// The unit the writer assembles and stores whole: the chunk (v2, unsharded), or for Zarr v3 the shard, a whole
    /// number of inner chunks, no larger than the level needs (edge shards are stored full size).
    /// </summary>
    private Size3 StoredUnitOf(Size3 shape)
    {
        var chunk = ChunkOf(shape);
        if (_options.ZarrVersion != 3)
        {
            return chunk;
        }

        var shard = _options.EffectiveShard;
        static int Fit(int shard, int chunk, int size) => chunk * Math.Max(1, Math.Min(shard / chunk, (size + chunk - 1) / chunk));
        return new Size3(Fit(shard.X, chunk.X, shape.X), Fit(shard.Y, chunk.Y, shape.Y), Fit(shard.Z, chunk.Z, shape.Z));
    }

    private void StartWriting()
    {
        if (_frozen)
        {
            return;
        }

        _frozen = true;
        var bpp = _metadata.PixelType.BytesPerPixel();
        var geometries = new List<LevelGeometry>(_options.Levels);
        // Zarr v3 shards are packed from inner chunks as they complete (ShardPacker), so the writer assembles and
        // compresses inner chunks exactly as it assembles v2 chunks: a shard never exists decoded in memory.
        var sharded = _options.ZarrVersion == 3;
        for (var k = 0; k < _options.Levels; k++)
        {
            var shape = LevelShape(k);
            var chunk = ChunkOf(shape);
            geometries.Add(new LevelGeometry(shape.Z, shape.Y, shape.X, chunk.Z, chunk.Y, chunk.X, bpp) { InnerChunksOfShards = sharded });
        }

        _pyramid = new PlanePyramid(_metadata.Width, _metadata.Height, _metadata.PixelType, _options.Levels);
        _planeBuffers = new ArraySegment<byte>[_options.Levels];
        _pool = new ChunkBufferPool();
        // The buffer absorbs disk hiccups at camera rate. A row of level-0 chunks (one z-slab of the frame) completes at
        // once, on its last frame, and is handed over whole while the assembler fills the next row in buffers of its own:
        // room for two rows keeps the workers busy on one while the next is queued. A row of deep chunks already holds
        // many chunks, work for every worker, so the room does not grow with the thread count (it did: 8 threads ×
        // 2 rows of 8,256,256 chunks was 1 GiB).
        var rowBytes = (long)geometries[0].ChunkBytes * geometries[0].GridY * geometries[0].GridX;
        var budget = Math.Max((long)_options.BufferMegabytes << 20, rowBytes * 2);
        _queue = new ChunkWriteQueue(new ChunkSink(this), _pool, _options.Threads, _options.WriteThreads, budget);
        _shards = sharded ? new ShardPacker(_pool, _queue.Stored) : null;
        _assembler = new ChunkAssembler(geometries, _pool, _queue, (p, k) => _arrays[p][k]);
    }

    /// <summary>
    /// Encodes one made-up chunk with the level-0 array's filters and compressor, on this thread, when the first
    /// position opens (before a camera starts): their hot loops are compiled here instead of on the workers while the
    /// first real chunks wait and the camera's ring fills. Every level shares the code, so one chunk warms them all.
    /// </summary>
    private static void WarmUpEncoder(OmeZarrArray array)
    {
        var zarr = array.Zarr;
        var layout = zarr.PackableShard;
        var length = layout?.InnerDecodedLength ?? zarr.ChunkByteLength;
        if (length > WarmUpLimitBytes)
        {
            return; // a huge chunk would cost more time and memory than the compile it saves
        }

        // Plain arrays, garbage afterwards: a pool would keep them for the life of the process, and the workers
        // encode into buffers of their own.
        var chunk = GC.AllocateUninitializedArray<byte>(length);
        var encoded = GC.AllocateUninitializedArray<byte>(layout?.InnerMaxEncodedLength ?? zarr.MaxEncodedChunkLength);

        // A ramp, not zeros: a v3 inner chunk of fill values is skipped without running the compressor.
        for (var i = 0; i < length; i++)
        {
            chunk[i] = (byte)i;
        }

        _ = layout is not null ? layout.EncodeInner(chunk, encoded, array.Path) : zarr.EncodeChunk(chunk, encoded);
    }

    /// <summary>Compresses chunks into the queue's aligned buffers and stores them in the dataset's arrays.</summary>
    private sealed class ChunkSink(OmeZarrDataSource owner) : IChunkSink
    {
        public EncodedChunk Encode(in ChunkJob job, EncodedBufferPool buffers)
        {
            var array = (OmeZarrArray)job.Target;
            if (owner._shards is { } shards)
            {
                // The job is an inner chunk; the arrays this writer creates on v3 are always exactly sharding_indexed.
                var layout = array.Zarr.PackableShard
                    ?? throw new InvalidOperationException($"Array '{array.Path}' is not sharded with sharding_indexed alone; its shards cannot be packed.");
                // Durable once its shard is stored, which retires it; the shard it completes is stored on a write thread.
                return shards.Pack(array, layout, job) is { } complete ? EncodedChunk.Packed(complete) : EncodedChunk.Deferred;
            }

            var zarr = array.Zarr;
            if (zarr.StoresChunksAsIs)
            {
                return EncodedChunk.AsIs(job.Length);
            }

            // Aligned, so an O_DIRECT store writes the encoding from where the compressor left it.
            var buffer = buffers.Rent(zarr.MaxEncodedChunkLength);
            var length = zarr.EncodeChunk(job.Buffer.AsSpan(0, job.Length), buffer.Get(zarr.MaxEncodedChunkLength));
            return EncodedChunk.Encoded(buffer, length);
        }

        public void Store(in ChunkJob job, in EncodedChunk encoded)
        {
            if (encoded.State is ShardPacker.PendingShard shard)
            {
                owner._shards!.Store(shard);
                return;
            }

            var bytes = encoded.Kind == EncodedChunkKind.AsIs ? job.Buffer.AsSpan(0, job.Length) : encoded.Buffer!.Get(encoded.Length);
            ((OmeZarrArray)job.Target).WriteEncodedChunk(job.Index, bytes);
        }
    }

    private OmeZarrArray[] CreateArrays(int position)
    {
        var arrays = new OmeZarrArray[_options.Levels];
        if (_options.Layout != OmeZarrLayout.Navigate)
        {
            _store.WriteGroup(DatasetDocuments.ImageGroup(_options.Layout, position));
        }

        for (var k = 0; k < _options.Levels; k++)
        {
            var shape = LevelShape(k);
            var unit = StoredUnitOf(shape);
            var chunk = ChunkOf(shape);
            arrays[k] = _store.CreateArray(
                DatasetDocuments.ArrayPath(_options.Layout, position, k),
                [_metadata.Timepoints, _metadata.Channels, shape.Z, shape.Y, shape.X],
                [1, 1, unit.Z, unit.Y, unit.X],
                _metadata.PixelType,
                _options,
                DatasetDocuments.ArrayAttributes(_options.ZarrVersion),
                _options.ZarrVersion == 3 ? [1, 1, chunk.Z, chunk.Y, chunk.X] : null);
        }

        return arrays;
    }

    private NgffMultiscale MultiscaleOf(int position) => AcquisitionNgff.Multiscale(
        _metadata,
        DatasetDocuments.ImageName(position),
        [.. Enumerable.Range(0, _options.Levels).Select(k => DatasetDocuments.DatasetPath(_options.Layout, position, k))],
        Resolutions,
        position < _views.Count ? _views[position] : null);

    private string DatasetName => Path.GetFileName(Path.TrimEndingDirectorySeparator(FileName));

    private void WritePositionAttributes(int position)
    {
        if (_options.Layout == OmeZarrLayout.Navigate)
        {
            // All multiscales live in the root attributes.
            WriteRootAttributes(complete: false);
            return;
        }

        _store.WriteAttributes(
            DatasetDocuments.ImageGroup(_options.Layout, position),
            DatasetDocuments.ForZarrVersion(DatasetDocuments.ImageAttributes(MultiscaleOf(position), AcquisitionNgff.Omero(_metadata, DatasetDocuments.ImageName(position))), _options.ZarrVersion));
        if (_options.Layout == OmeZarrLayout.Hcs)
        {
            WriteSeries();
        }
    }

    /// <summary>The list of images: bioformats2raw's <c>OME</c> series, or the HCS well's fields.</summary>
    private void WriteSeries()
    {
        var started = Math.Min(_arrays.Count(a => a.Length > 0), _metadata.Positions);
        if (_options.Layout == OmeZarrLayout.Hcs)
        {
            _store.WriteAttributes(DatasetDocuments.WellPath, DatasetDocuments.ForZarrVersion(DatasetDocuments.WellAttributes(started), _options.ZarrVersion));
            return;
        }

        _store.WriteAttributes(OmeZarrConstants.OmeGroupName, DatasetDocuments.ForZarrVersion(DatasetDocuments.SeriesAttributes(started), _options.ZarrVersion));
        _store.WriteText($"{OmeZarrConstants.OmeGroupName}/{OmeZarrConstants.OmeXmlFileName}", AcquisitionNgff.OmeXml(_metadata, Math.Max(started, 1)));
    }

    private void WriteRootAttributes(bool complete, long? framesWritten = null)
    {
        var frames = framesWritten ?? _queue?.DurableFrames ?? 0;
        var multiscales = new List<NgffMultiscale>();
        for (var p = 0; p < _arrays.Count && p < _metadata.Positions; p++)
        {
            if (_arrays[p].Length > 0)
            {
                multiscales.Add(MultiscaleOf(p));
            }
        }

        var block = DatasetDocuments.NavigateBlock(_metadata, _planned.FrameCount, frames, complete, _options, Resolutions);
        if (_dropped.Count > 0)
        {
            block["dropped_frames"] = new JsonArray([.. _dropped.Select(f => (JsonNode)f)]);
        }

        var fields = Math.Max(1, Math.Min(_arrays.Count(a => a.Length > 0), _metadata.Positions));
        _store.WriteAttributes(string.Empty, DatasetDocuments.ForZarrVersion(
            DatasetDocuments.RootAttributes(_options.Layout, multiscales, AcquisitionNgff.Omero(_metadata, DatasetName), block, DatasetName, fields),
            _options.ZarrVersion));
        _recordedFrames = frames;
    }

    /// <summary>
    /// Rewrites the frames-written count in the root attributes when a completed position has become durable, or every
    /// <see cref="OmeZarrConstants.ProgressIntervalSeconds"/> seconds when the count moved. It never waits for the
    /// workers: a pause at every position would cost frames at camera rate.
    /// </summary>
    private void RecordProgressIfDue()
    {
        if (_counter % (_planned.FrameCount / _planned.Positions) == 0)
        {
            _milestone = _counter;
        }

        var durable = _queue!.DurableFrames;
        var milestoneReached = _milestone > _recordedFrames && durable >= _milestone;
        if (milestoneReached || (durable != _recordedFrames && _sinceProgress.Elapsed.TotalSeconds >= OmeZarrConstants.ProgressIntervalSeconds))
        {
            WriteRootAttributes(complete: false, framesWritten: durable);
            _sinceProgress.Restart();
        }
    }

    /// <summary>navigate's <c>_check_shape</c>: counts become the highest index reached by frames 0 .. n-1, plus one.</summary>
    private void ShrinkTo(long frames)
    {
        var m = _planned;
        var last = frames - 1;
        // The highest value of (f / stride) % count over f = 0 .. last.
        static int Reach(long last, long stride, int count) => (int)Math.Min(count - 1, last / stride);
        int c, z, t;
        if (m.ZSteps > 1)
        {
            (c, z) = m.PerStack
                ? (Reach(last, m.ZSteps, m.Channels), Reach(last, 1, m.ZSteps))
                : (Reach(last, 1, m.Channels), Reach(last, m.Channels, m.ZSteps));
            t = Reach(last, (long)m.Channels * m.ZSteps, m.Timepoints);
        }
        else
        {
            c = Reach(last, 1, m.Channels);
            t = Reach(last, m.Channels, m.Timepoints);
            z = 0;
        }

        var p = (int)(last / ((long)m.Channels * m.ZSteps * m.Timepoints));
        _metadata = _metadata with { Channels = c + 1, ZSteps = z + 1, Timepoints = t + 1, Positions = p + 1 };
        for (var position = 0; position < _arrays.Count; position++)
        {
            for (var k = 0; k < _arrays[position].Length; k++)
            {
                var array = _arrays[position][k];
                if (position > p)
                {
                    // Started but never written: no chunk exists; drop the empty array so the dataset holds only data.
                    _store.DeleteArray(array.Path);
                    continue;
                }

                var shape = LevelShape(k);
                array.Resize([_metadata.Timepoints, _metadata.Channels, shape.Z, shape.Y, shape.X]);
            }
        }

        if (_arrays.Count > p + 1)
        {
            if (_options.Layout != OmeZarrLayout.Navigate)
            {
                for (var position = p + 1; position < _arrays.Count; position++)
                {
                    if (_arrays[position].Length > 0)
                    {
                        _store.DeleteGroup(DatasetDocuments.ImageGroup(_options.Layout, position));
                    }
                }
            }

            _arrays.RemoveRange(p + 1, _arrays.Count - p - 1);
        }
    }

    // ---- reading ----

    private void FlushForReading()
    {
        lock (_gate)
        {
            if (Mode == DataSourceMode.Write && !_closed)
            {
                _queue?.Drain();
            }
        }
    }

    private ReadLevel Level(int position, int subdiv)
    {
        if (Mode == DataSourceMode.Read)
        {
            CheckIndex(position, _readPositions.Count, "position");
            var levels = _readPositions[position].Levels;
            CheckIndex(subdiv, levels.Count, "level (subdiv)");
            return levels[subdiv];
        }

        CheckIndex(position, _metadata.Positions, "position");
        CheckIndex(subdiv, _options.Levels, "level (subdiv)");
        if (position >= _arrays.Count || _arrays[position].Length == 0)
        {
            throw new InvalidOperationException($"{FileName}: position {position} has not been started; nothing to read.");
        }

        var shape = LevelShape(subdiv);
        return new ReadLevel(_arrays[position][subdiv], shape, new Size3(1 << subdiv, 1 << subdiv, 1), ChunkOf(shape));
    }

    private void CheckIndex(int value, int count, string name)
    {
        if (value < 0 || value >= count)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{FileName}: {name} {value} is outside 0..{count - 1}.");
        }
    }

    private (int Start, int Length) Resolve(Range range, int size, string axis)
    {
        int start, end;
        try
        {
            (start, var length) = range.GetOffsetAndLength(size);
            end = start + length;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentOutOfRangeException(axis, $"{FileName}: {axis} range {range} is outside 0..{size} for this level.");
        }

        if (end <= start)
        {
            throw new ArgumentOutOfRangeException(axis, $"{FileName}: {axis} range {range} is empty.");
        }

        return (start, end - start);
    }

    /// <summary>One level of one position, as read.</summary>
    internal sealed record ReadLevel(OmeZarrArray Array, Size3 Shape, Size3 Resolution, Size3 Chunk);

    /// <summary>One position's levels, as read.</summary>
    internal sealed record ReadPosition(IReadOnlyList<ReadLevel> Levels, StagePosition? View);
}

/// <summary>
/// navigate's <c>ds[x, y, c, z, t, p, subdiv]</c>: a 3D (z, y, x) block of one channel, timepoint, position and level.
/// </summary>
public readonly struct OmeZarrDataView
{
    private readonly OmeZarrDataSource _source;

    internal OmeZarrDataView(OmeZarrDataSource source) => _source = source;

    /// <summary>The block at ranges <paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/> of one channel.</summary>
    public ImageData this[Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0] => _source.GetSlice(x, y, c, z, t, p, subdiv);

    /// <summary>One plane (z) of one channel.</summary>
    public ImageData this[Range x, Range y, int c, int z, int t = 0, int p = 0, int subdiv = 0] => _source.GetSlice(x, y, c, z..(z + 1), t, p, subdiv);
}
