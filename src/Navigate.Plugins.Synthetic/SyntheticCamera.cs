using System.Collections.Concurrent;
using System.Diagnostics;
using Navigate.Devices;

namespace Navigate.Plugins.Synthetic;

/// <summary>
/// A camera without hardware. Frames are produced on a thread of their own, like a sensor: without a frame rate they
/// come as fast as the consumer returns buffers (nothing is dropped, for benchmarks); with a frame rate they come on
/// time whatever the consumer does, and a frame that finds no free buffer is dropped and counted (drop tests).
/// </summary>
public sealed class SyntheticCamera : ICamera
{
    /// <summary>The device name.</summary>
    public const string DeviceName = "synthetic";

    private const int RoiStep = 4;
    private static readonly int[] Binnings = [1, 2, 4];

    private readonly SyntheticCameraOptions _options;
    private readonly Lock _gate = new();
    private CameraSettings _settings;
    private BlockingCollection<Frame>? _delivered;
    private Thread? _producer;
    private CancellationTokenSource? _stop;
    private long _framesDelivered;
    private long _framesDropped;
    private ushort[]? _scene;
    private (int Width, int Height) _sceneSize;
    private bool _disposed;

    /// <summary>Opens a synthetic camera.</summary>
    public SyntheticCamera(SyntheticCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SensorWidth < RoiStep || options.SensorHeight < RoiStep)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Synthetic camera: sensor {options.SensorWidth}×{options.SensorHeight}; expected at least {RoiStep}×{RoiStep}.");
        }

        _options = options;
        Info = new CameraInfo(DeviceName, "Synthetic sCMOS", $"SYN-{options.Seed:D4}", options.SensorWidth, options.SensorHeight, PixelType.UInt16, 16, options.PixelSizeUm);
        _settings = new CameraSettings { FrameRate = options.FrameRate };
    }

    /// <inheritdoc />
    public CameraInfo Info { get; }

    /// <inheritdoc />
    public CameraSettings Settings => _settings;

    /// <inheritdoc />
    public bool IsAcquiring => _producer is { IsAlive: true } || _delivered is { IsCompleted: false };

    /// <inheritdoc />
    public CameraCounters Counters => new(Interlocked.Read(ref _framesDelivered), Interlocked.Read(ref _framesDropped));

    /// <summary>Width of delivered frames under the current settings.</summary>
    public int FrameWidth => (_settings.Roi?.Width ?? Info.SensorWidth) / _settings.Binning;

    /// <summary>Height of delivered frames under the current settings.</summary>
    public int FrameHeight => (_settings.Roi?.Height ?? Info.SensorHeight) / _settings.Binning;

    /// <inheritdoc />
    public CameraSettings Configure(CameraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsAcquiring)
        {
            throw new InvalidOperationException("Synthetic camera: settings cannot change while a sequence is running; stop it first.");
        }

        if (!(settings.ExposureSeconds > 0 && settings.ExposureSeconds <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ExposureSeconds, "ExposureSeconds must be in (0, 10] s.");
        }

        if (Array.IndexOf(Binnings, settings.Binning) < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.Binning, "Binning must be 1, 2 or 4.");
        }

        if (settings.FrameRate is { } rate && !(rate > 0 && rate <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), rate, "FrameRate must be in (0, 100000] frames/s, or null.");
        }

        var roi = settings.Roi;
        if (roi is { } r)
        {
            // Snap like a real sCMOS subarray: sizes and offsets to multiples of the step, inside the sensor.
            var width = Math.Clamp(r.Width / RoiStep * RoiStep, RoiStep, Info.SensorWidth);
            var height = Math.Clamp(r.Height / RoiStep * RoiStep, RoiStep, Info.SensorHeight);
            var left = Math.Clamp(r.Left / RoiStep * RoiStep, 0, Info.SensorWidth - width);
            var top = Math.Clamp(r.Top / RoiStep * RoiStep, 0, Info.SensorHeight - height);
            roi = new RegionOfInterest(left, top, width, height);
            if (width == Info.SensorWidth && height == Info.SensorHeight)
            {
                roi = null;
            }
        }

        _settings = settings with { Roi = roi };
        return _settings;
    }

    /// <inheritdoc />
    public IReadOnlyList<CameraProperty> DescribeProperties() =>
    [
        new("exposure_time", _settings.ExposureSeconds, 1e-4, 10, 0, "s", true),
        new("binning", _settings.Binning, 1, 4, 1, "", true),
        new("image_width", FrameWidth, RoiStep, Info.SensorWidth, RoiStep, "px", false),
        new("image_height", FrameHeight, RoiStep, Info.SensorHeight, RoiStep, "px", false),
        new("line_interval", _settings.LineIntervalSeconds, 1e-6, 1e-3, 0, "s", true),
        new("frame_rate", _settings.FrameRate ?? 0, 0, 100_000, 0, "1/s", true),
    ];

    /// <inheritdoc />
    public void StartSequence(FramePool pool, long frameCount)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (IsAcquiring)
            {
                throw new InvalidOperationException("Synthetic camera: a sequence is already running.");
            }

            var width = FrameWidth;
            var height = FrameHeight;
            if (pool.PixelType != PixelType.UInt16 || (long)width * height * 2 > pool.FrameCapacityBytes)
            {
                throw new ArgumentException($"Synthetic camera: frames are {width}×{height} UInt16 ({(long)width * height * 2} bytes); the pool holds {pool.FrameCapacityBytes}-byte {pool.PixelType} buffers.", nameof(pool));
            }

            if (_scene is null || _sceneSize != (width, height))
            {
                _scene = SyntheticFrames.CreateScene(width, height, _options.Seed);
                _sceneSize = (width, height);
            }

            DiscardUndelivered();
            _framesDelivered = 0;
            _framesDropped = 0;
            _delivered = new BlockingCollection<Frame>(new ConcurrentQueue<Frame>(), pool.Capacity + 1);
            _stop?.Dispose();
            _stop = new CancellationTokenSource();
            var run = new Sequence(this, pool, _scene, width, height, frameCount, _settings.FrameRate, _delivered, _stop.Token);
            _producer = new Thread(run.Produce) { IsBackground = true, Name = "synthetic camera" };
            _producer.Start();
        }
    }

    /// <inheritdoc />
    public FrameWaitResult WaitForFrame(TimeSpan timeout, out Frame? frame, CancellationToken cancellationToken = default)
    {
        var delivered = _delivered ?? throw new InvalidOperationException("Synthetic camera: no sequence was started.");
        frame = null;
        try
        {
            var milliseconds = timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
            if (delivered.TryTake(out var next, milliseconds, cancellationToken))
            {
                Interlocked.Increment(ref _framesDelivered);
                frame = next;
                return FrameWaitResult.Frame;
            }
        }
        catch (ObjectDisposedException)
        {
            return FrameWaitResult.Completed;
        }

        return delivered.IsCompleted ? FrameWaitResult.Completed : FrameWaitResult.Timeout;
    }

    /// <inheritdoc />
    public void FireSoftwareTrigger()
    {
        // Internal timing only: a software trigger has nothing to release.
    }

    /// <inheritdoc />
    public void StopSequence()
    {
        lock (_gate)
        {
            // Frames already produced stay queued: the consumer reads them until WaitForFrame answers Completed.
            _stop?.Cancel();
            _producer?.Join();
            _producer = null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        StopSequence();
        DiscardUndelivered();

        _stop?.Dispose();
        _disposed = true;
    }

    private void DiscardUndelivered()
    {
        if (_delivered is not { } delivered)
        {
            return;
        }

        // Frames produced but never read go back to the pool; they were exposed, so they count as dropped.
        while (delivered.TryTake(out var left))
        {
            left.Dispose();
            Interlocked.Increment(ref _framesDropped);
        }

        delivered.Dispose();
        _delivered = null;
    }

    private sealed class Sequence(
        SyntheticCamera camera,
        FramePool pool,
        ushort[] scene,
        int width,
        int height,
        long frameCount,
        double? frameRate,
        BlockingCollection<Frame> delivered,
        CancellationToken stop)
    {
        public void Produce()
        {
            var clock = Stopwatch.StartNew();
            var period = frameRate is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
            try
            {
                for (long n = 0; frameCount == 0 || n < frameCount; n++)
                {
                    if (stop.IsCancellationRequested)
                    {
                        break;
                    }

                    Frame frame;
                    if (period == TimeSpan.Zero)
                    {
                        // Free-running for benchmarks: wait for a buffer rather than drop.
                        try
                        {
                            frame = pool.Rent(width, height, stop);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                    else
                    {
                        WaitUntil(clock, period * n);
                        if (stop.IsCancellationRequested)
                        {
                            break;
                        }

                        if (!pool.TryRent(width, height, out frame))
                        {
                            // The sensor does not wait: no free buffer means this exposure is lost.
                            Interlocked.Increment(ref camera._framesDropped);
                            continue;
                        }
                    }

                    SyntheticFrames.Render(scene, frame.Pixels<ushort>(), n);
                    frame.FrameNumber = n;
                    frame.Timestamp = clock.Elapsed;
                    delivered.Add(frame, CancellationToken.None);
                }
            }
            finally
            {
                delivered.CompleteAdding();
            }
        }

        private void WaitUntil(Stopwatch clock, TimeSpan due)
        {
            while (true)
            {
                var left = due - clock.Elapsed;
                if (left <= TimeSpan.Zero || stop.IsCancellationRequested)
                {
                    return;
                }

                // Sleep most of the wait, spin the last millisecond: Thread.Sleep alone is too coarse above ~500 fps.
                if (left > TimeSpan.FromMilliseconds(2))
                {
                    stop.WaitHandle.WaitOne(left - TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    Thread.SpinWait(64);
                }
            }
        }
    }
}
