using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Host.Data;
using Navigate.Host.Devices;

namespace Navigate.Host.Acquisition;

/// <summary>
/// Streams frames from a camera into a dataset: camera → ring of pooled frame buffers (<see cref="FramePool"/>) →
/// the data source, which assembles chunks, compresses them on worker threads and writes them in order.
/// </summary>
/// <remarks>
/// The ring is the only buffer between sensor and disk. When the writer falls behind and the ring is full, a camera
/// with a fixed frame rate drops frames; the engine sees the gap in frame numbers, tells the data source (its planes
/// stay empty and are listed in its metadata) and counts it, so later frames still land where they belong and no loss
/// is silent. A cancellation stops the camera, writes every frame already captured and closes the dataset.
/// </remarks>
public sealed class AcquisitionEngine
{
    private const int MaxListedDrops = 1000;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly DeviceCatalog _devices;
    private readonly FormatCatalog _formats;
    private readonly ILogger _logger;

    /// <summary>Creates an engine over the host's devices and formats.</summary>
    public AcquisitionEngine(DeviceCatalog devices, FormatCatalog formats, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(formats);
        _devices = devices;
        _formats = formats;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Navigate.Acquisition");
    }

    /// <summary>Runs the acquisition to its end or until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="AcquisitionException">The camera cannot deliver the frames the metadata asks for.</exception>
    public AcquisitionSummary Run(AcquisitionRequest request, IProgress<AcquisitionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var metadata = request.Metadata;
        metadata.Validate();
        var format = _formats.Get(request.Format);
        using var camera = _devices.OpenCamera(request.Camera);
        var (width, height) = Configure(camera, request);

        var frameBytes = (long)width * height * metadata.PixelType.BytesPerPixel();
        using var pool = new FramePool(request.RingFramesFor(frameBytes), width, height, metadata.PixelType);
        var source = format.Create(request.OutputPath, metadata, request.FormatOptions);
        var dropped = new List<long>();
        var zeros = source is IRecordsDroppedFrames ? [] : new byte[frameBytes];
        long next = 0;
        long written = 0;
        var interrupted = false;
        var clock = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        try
        {
            // The first position is opened before the camera starts: a data source writes its metadata and starts its
            // writer threads there, which costs far more than the few frames' worth of slack a ring gives a paced camera.
            var position = 0;
            source.NewPosition(position, StageAt(metadata, metadata.IndexOf(0)));

            // What the output's file system still owes (an overwritten dataset's deletion with its discards, earlier
            // writes) is committed now, while no frame waits: left to the kernel it stalls the first second of the stream.
            DiskSync.FlushFileSystemOf(request.OutputPath);
            camera.StartSequence(pool, metadata.FrameCount);
            cpuAtStart = ProcessorTime();
            clock.Start();
            var lastReport = TimeSpan.Zero;
            while (true)
            {
                if (cancellationToken.IsCancellationRequested && !interrupted)
                {
                    interrupted = true;
                    _logger.LogWarning("Stopping: the camera is stopped, frames already captured are written, then the dataset is closed.");
                    camera.StopSequence();
                }

                var result = camera.WaitForFrame(ProgressInterval, out var frame, CancellationToken.None);
                if (result == FrameWaitResult.Completed)
                {
                    break;
                }

                if (result == FrameWaitResult.Frame)
                {
                    using (frame)
                    {
                        // Frames missing before this one were dropped by the camera: keep their places empty.
                        while (next < frame!.FrameNumber && next < metadata.FrameCount)
                        {
                            Skip(source, zeros, next++, dropped);
                        }

                        if (next >= metadata.FrameCount)
                        {
                            continue;
                        }

                        var index = metadata.IndexOf(next);
                        if (index.P != position)
                        {
                            position = index.P;
                            source.NewPosition(position, StageAt(metadata, index));
                        }

                        source.Write(frame.Bytes, StageAt(metadata, index));
                        next++;
                        written++;
                    }
                }

                if (progress is not null && clock.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    progress.Report(Snapshot(written, metadata.FrameCount, camera.Counters.FramesDropped, clock.Elapsed, frameBytes, pool));
                }
            }

            // Frames dropped after the last delivered one: the camera counted them but no later frame revealed the gap.
            if (!interrupted)
            {
                var trailing = camera.Counters.FramesDropped - dropped.Count;
                for (var i = 0L; i < trailing && next < metadata.FrameCount; i++)
                {
                    Skip(source, zeros, next++, dropped);
                }
            }
        }
        finally
        {
            camera.StopSequence();
            source.Close();
            source.Dispose();
            if (request.Durable)
            {
                DiskSync.FlushAll();
            }
        }

        clock.Stop();
        progress?.Report(Snapshot(written, metadata.FrameCount, dropped.Count, clock.Elapsed, frameBytes, pool));
        var (onDisk, files) = SizeOnDisk(request.OutputPath);
        using var self = Process.GetCurrentProcess();
        var levelBytes = source.FramesWritten > 0 && metadata.FrameCount > 0 ? (double)source.Nbytes * written / metadata.FrameCount : 0;
        return new AcquisitionSummary
        {
            Output = Path.GetFullPath(request.OutputPath),
            Format = format.Name,
            Camera = camera.Info.Name,
            Width = width,
            Height = height,
            FramesExpected = metadata.FrameCount,
            FramesWritten = written,
            FramesDropped = Math.Max(dropped.Count, camera.Counters.FramesDropped),
            DroppedFrames = dropped.Count > MaxListedDrops ? dropped[..MaxListedDrops] : dropped,
            Interrupted = interrupted,
            BytesWritten = written * frameBytes,
            BytesOnDisk = onDisk,
            Seconds = clock.Elapsed.TotalSeconds,
            CompressionRatio = onDisk > 0 ? Math.Round(levelBytes / onDisk, 3) : 0,
            CpuSeconds = (ProcessorTime() - cpuAtStart).TotalSeconds,
            PeakMemoryBytes = self.PeakWorkingSet64,
            Files = files,
        };
    }

    private static (int Width, int Height) Configure(ICamera camera, AcquisitionRequest request)
    {
        var metadata = request.Metadata;
        var info = camera.Info;
        if (info.PixelType != metadata.PixelType)
        {
            throw new AcquisitionException($"Camera '{info.Name}' delivers {info.PixelType} pixels; the acquisition is set up for {metadata.PixelType}.");
        }

        // Frames are binned pixels: the region read on the sensor is binning times larger in x and y.
        var binning = request.Binning;
        var (sensorWidth, sensorHeight) = ((long)metadata.Width * binning, (long)metadata.Height * binning);
        if (sensorWidth > info.SensorWidth || sensorHeight > info.SensorHeight)
        {
            var binned = binning > 1 ? $" binned {binning}×{binning} (a {sensorWidth}×{sensorHeight} sensor region)" : string.Empty;
            throw new AcquisitionException($"Camera '{info.Name}' has a {info.SensorWidth}×{info.SensorHeight} sensor; the acquisition asks for {metadata.Width}×{metadata.Height} frames{binned}.");
        }

        var settings = camera.Settings with
        {
            Binning = binning,
            Roi = sensorWidth == info.SensorWidth && sensorHeight == info.SensorHeight
                ? null
                : RegionOfInterest.Centered((int)sensorWidth, (int)sensorHeight, info.SensorWidth, info.SensorHeight),
            FrameRate = request.FrameRate ?? camera.Settings.FrameRate,
            ExposureSeconds = request.ExposureSeconds ?? camera.Settings.ExposureSeconds,
        };
        var effective = camera.Configure(settings);
        var width = (effective.Roi?.Width ?? info.SensorWidth) / Math.Max(1, effective.Binning);
        var height = (effective.Roi?.Height ?? info.SensorHeight) / Math.Max(1, effective.Binning);
        if (width != metadata.Width || height != metadata.Height)
        {
            throw new AcquisitionException($"Camera '{info.Name}' snaps a {metadata.Width}×{metadata.Height} region of interest{(binning > 1 ? $" binned {binning}×{binning}" : string.Empty)} to {width}×{height} (its subarray step); choose a frame size it supports.");
        }

        return (width, height);
    }

    private void Skip(IDataSource source, byte[] zeros, long frame, List<long> dropped)
    {
        if (source is IRecordsDroppedFrames recorder)
        {
            recorder.SkipDroppedFrame();
        }
        else
        {
            source.Write(zeros);
        }

        dropped.Add(frame);
        if (dropped.Count <= 10 || dropped.Count % 1000 == 0)
        {
            // A writer that falls behind drops frames by the hundred: a line each would only slow it further.
            _logger.LogWarning("Frame {Frame} was dropped by the camera; its plane is left empty ({Count} dropped so far).", frame, dropped.Count);
        }
    }

    private static StagePosition? StageAt(AcquisitionMetadata metadata, FrameIndex index)
    {
        if (index.P >= metadata.StagePositions.Count)
        {
            return null;
        }

        var p = metadata.StagePositions[index.P];
        return p with { Z = (p.Z ?? 0) + (index.Z * metadata.VoxelSize.Z) };
    }

    private static TimeSpan ProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static AcquisitionProgress Snapshot(long written, long expected, long dropped, TimeSpan elapsed, long frameBytes, FramePool pool)
        => new(written, expected, dropped, elapsed, written * frameBytes, (double)(pool.Capacity - pool.Available) / pool.Capacity);

    private static (long Bytes, long Files) SizeOnDisk(string path)
    {
        if (File.Exists(path))
        {
            return (new FileInfo(path).Length, 1);
        }

        if (!Directory.Exists(path))
        {
            return (0, 0);
        }

        long bytes = 0, files = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            bytes += file.Length;
            files++;
        }

        return (bytes, files);
    }
}
