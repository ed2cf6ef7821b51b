using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Navigate.Devices;

namespace MyLab.Plugins.Device;

/// <summary>How a simulated camera looks.</summary>
public sealed record SimulatedCameraOptions
{
    /// <summary>Sensor width in pixels.</summary>
    public int SensorWidth { get; init; } = 2048;

    /// <summary>Sensor height in pixels.</summary>
    public int SensorHeight { get; init; } = 2048;

    /// <summary>Pixel pitch on the sensor in µm.</summary>
    public double PixelSizeUm { get; init; } = 6.5;
}

/// <summary>Opens simulated cameras. The host calls <see cref="Open"/> only when the camera is used.</summary>
/// <param name="name">The device name.</param>
/// <param name="options">How the camera looks.</param>
public sealed class SimulatedCameraFactory(string name, SimulatedCameraOptions options) : ICameraFactory
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public ICamera Open() => new SimulatedCamera(name, options);
}

/// <summary>
/// A camera without hardware, built the way a driver is: a thread stands for the sensor and finishes an exposure every
/// frame period (or on each software trigger); each exposure is read out into a buffer rented from the caller's
/// <see cref="FramePool"/> and queued for <see cref="WaitForFrame"/>. When the pool has no free buffer the exposure is
/// lost and counted, as on a real camera whose consumer falls behind: the sensor never waits.
/// </summary>
/// <remarks>
/// To drive real hardware, keep the sequence logic and replace <see cref="ReadOut"/>, the ranges in
/// <see cref="Configure"/> and the pacing in the sensor loop with calls into the vendor's SDK. Frames show a diagonal
/// ramp that moves one step per frame, with the frame number (64-bit little-endian) in the first
/// <see cref="HeaderPixels"/> pixels, so a writer's test can tell where each frame landed.
/// </remarks>
public sealed class SimulatedCamera : ICamera
{
    /// <summary>Pixels at the start of each frame that hold the frame number.</summary>
    public const int HeaderPixels = 4;

    /// <summary>Region-of-interest sizes and offsets are multiples of this, like an sCMOS subarray.</summary>
    public const int RoiStep = 4;

    private const ushort Background = 100;
    private const int RampMask = 1023;
    private static readonly int[] Binnings = [1, 2, 4];

    private readonly Lock _gate = new();
    private CameraSettings _settings = new() { ExposureSeconds = 0.002 };
    private BlockingCollection<Frame>? _queue;
    private SemaphoreSlim? _triggers;
    private Thread? _sensor;
    private CancellationTokenSource? _stop;
    private long _framesDelivered;
    private long _framesDropped;
    private bool _disposed;

    /// <summary>Opens a simulated camera.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The options describe no usable sensor.</exception>
    public SimulatedCamera(string name, SimulatedCameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SensorWidth < RoiStep || options.SensorHeight < RoiStep || !(options.PixelSizeUm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Simulated camera '{name}': sensor {options.SensorWidth}×{options.SensorHeight}, pixel {options.PixelSizeUm} µm; expected at least {RoiStep}×{RoiStep} pixels of a size above 0 µm.");
        }

        Info = new CameraInfo(name, "Simulated sCMOS", "SIM-0001", options.SensorWidth, options.SensorHeight, PixelType.UInt16, 16, options.PixelSizeUm);
    }

    /// <inheritdoc />
    public CameraInfo Info { get; }

    /// <inheritdoc />
    public CameraSettings Settings => _settings;

    /// <inheritdoc />
    /// <remarks>False once the sequence has ended or was stopped, even while read-out frames wait to be taken.</remarks>
    public bool IsAcquiring => _sensor is { IsAlive: true };

    /// <inheritdoc />
    public CameraCounters Counters => new(Interlocked.Read(ref _framesDelivered), Interlocked.Read(ref _framesDropped));

    /// <summary>Width of delivered frames under the current settings.</summary>
    public int FrameWidth => (_settings.Roi?.Width ?? Info.SensorWidth) / _settings.Binning;

    /// <summary>Height of delivered frames under the current settings.</summary>
    public int FrameHeight => (_settings.Roi?.Height ?? Info.SensorHeight) / _settings.Binning;

    /// <summary>Reads the frame number a simulated frame carries in its first pixels.</summary>
    public static long ReadFrameNumber(ReadOnlySpan<ushort> pixels)
        => BinaryPrimitives.ReadInt64LittleEndian(MemoryMarshal.AsBytes(pixels[..HeaderPixels]));

    /// <inheritdoc />
    public CameraSettings Configure(CameraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (IsAcquiring)
            {
                throw new InvalidOperationException($"Camera '{Info.Name}': settings cannot change while a sequence is running; stop it first.");
            }

            if (!(settings.ExposureSeconds >= 1e-4 && settings.ExposureSeconds <= 10))
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.ExposureSeconds, $"Camera '{Info.Name}': ExposureSeconds must be within [0.0001, 10] s.");
            }

            if (Array.IndexOf(Binnings, settings.Binning) < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Binning, $"Camera '{Info.Name}': Binning must be 1, 2 or 4.");
            }

            if (settings.FrameRate is { } rate && !(rate > 0 && rate <= 10_000))
            {
                throw new ArgumentOutOfRangeException(nameof(settings), rate, $"Camera '{Info.Name}': FrameRate must be within (0, 10000] frames/s, or null.");
            }

            if (!(settings.LineIntervalSeconds >= 1e-6 && settings.LineIntervalSeconds <= 1e-3))
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.LineIntervalSeconds, $"Camera '{Info.Name}': LineIntervalSeconds must be within [1e-6, 1e-3] s.");
            }

            if (settings.TriggerSource == TriggerSource.External)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.TriggerSource, $"Camera '{Info.Name}': the simulated camera has no trigger input; use Internal or Software.");
            }

            _settings = settings with { Roi = Snap(settings.Roi) };
            return _settings;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<CameraProperty> DescribeProperties() =>
    [
        new("exposure_time", _settings.ExposureSeconds, 1e-4, 10, 0, "s", true),
        new("binning", _settings.Binning, 1, 4, 1, "", true),
        new("image_width", FrameWidth, RoiStep, Info.SensorWidth, RoiStep, "px", false),
        new("image_height", FrameHeight, RoiStep, Info.SensorHeight, RoiStep, "px", false),
        new("frame_rate", _settings.FrameRate ?? 0, 0, 10_000, 0, "1/s", true),
        new("line_interval", _settings.LineIntervalSeconds, 1e-6, 1e-3, 0, "s", true),
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
                throw new InvalidOperationException($"Camera '{Info.Name}': a sequence is already running.");
            }

            var width = FrameWidth;
            var height = FrameHeight;
            var bytes = (long)width * height * sizeof(ushort);
            if (pool.PixelType != PixelType.UInt16 || bytes > pool.FrameCapacityBytes)
            {
                throw new ArgumentException($"Camera '{Info.Name}': frames are {width}×{height} UInt16 ({bytes} bytes); the pool holds {pool.FrameCapacityBytes}-byte {pool.PixelType} buffers.", nameof(pool));
            }

            DiscardUndelivered();
            _framesDelivered = 0;
            _framesDropped = 0;
            _queue = new BlockingCollection<Frame>(new ConcurrentQueue<Frame>());
            _triggers?.Dispose();
            _triggers = new SemaphoreSlim(0);
            _stop?.Dispose();
            _stop = new CancellationTokenSource();
            var sequence = new Sequence(this, pool, width, height, frameCount, _settings, _queue, _triggers, _stop.Token);
            _sensor = new Thread(sequence.Run) { IsBackground = true, Name = $"camera {Info.Name}" };
            _sensor.Start();
        }
    }

    /// <inheritdoc />
    public FrameWaitResult WaitForFrame(TimeSpan timeout, out Frame? frame, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var queue = _queue ?? throw new InvalidOperationException($"Camera '{Info.Name}': no sequence was started.");
        frame = null;
        var milliseconds = timeout == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        if (queue.TryTake(out var next, milliseconds, cancellationToken))
        {
            Interlocked.Increment(ref _framesDelivered);
            frame = next;
            return FrameWaitResult.Frame;
        }

        return queue.IsCompleted ? FrameWaitResult.Completed : FrameWaitResult.Timeout;
    }

    /// <inheritdoc />
    public void FireSoftwareTrigger()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_settings.TriggerSource != TriggerSource.Software)
        {
            throw new InvalidOperationException($"Camera '{Info.Name}': the trigger source is {_settings.TriggerSource}; set TriggerSource.Software to fire software triggers.");
        }

        _triggers?.Release();
    }

    /// <inheritdoc />
    public void StopSequence()
    {
        lock (_gate)
        {
            // Frames already read out stay queued: the caller takes them until WaitForFrame answers Completed.
            _stop?.Cancel();
            _sensor?.Join();
            _sensor = null;
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
        lock (_gate)
        {
            DiscardUndelivered();
            _stop?.Dispose();
            _triggers?.Dispose();
            _disposed = true;
        }
    }

    /// <summary>
    /// Reads one exposure out into <paramref name="pixels"/> (row-major, <paramref name="width"/> wide). This is where a
    /// driver copies, or better lets the SDK write, the sensor's image into the pooled buffer: no allocation per frame.
    /// </summary>
    private static void ReadOut(Span<ushort> pixels, int width, long frameNumber)
    {
        var height = pixels.Length / width;
        var shift = (int)(frameNumber & RampMask);
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * width, width);
            for (var x = 0; x < row.Length; x++)
            {
                row[x] = (ushort)(Background + ((x + y + shift) & RampMask));
            }
        }

        if (pixels.Length >= HeaderPixels)
        {
            BinaryPrimitives.WriteInt64LittleEndian(MemoryMarshal.AsBytes(pixels[..HeaderPixels]), frameNumber);
        }
    }

    private RegionOfInterest? Snap(RegionOfInterest? roi)
    {
        if (roi is not { } r)
        {
            return null;
        }

        // Like a real subarray: sizes and offsets to multiples of the step, inside the sensor.
        var width = Math.Clamp(r.Width / RoiStep * RoiStep, RoiStep, Info.SensorWidth);
        var height = Math.Clamp(r.Height / RoiStep * RoiStep, RoiStep, Info.SensorHeight);
        var left = Math.Clamp(r.Left / RoiStep * RoiStep, 0, Info.SensorWidth - width);
        var top = Math.Clamp(r.Top / RoiStep * RoiStep, 0, Info.SensorHeight - height);
        return width == Info.SensorWidth && height == Info.SensorHeight ? null : new RegionOfInterest(left, top, width, height);
    }

    private void DiscardUndelivered()
    {
        if (_queue is not { } queue)
        {
            return;
        }

        // Frames read out but never taken go back to the pool; they were exposed, so they count as dropped.
        while (queue.TryTake(out var left))
        {
            left.Dispose();
            Interlocked.Increment(ref _framesDropped);
        }

        queue.Dispose();
        _queue = null;
    }

    /// <summary>One acquisition sequence, run on the sensor thread.</summary>
    private sealed class Sequence(
        SimulatedCamera camera,
        FramePool pool,
        int width,
        int height,
        long frameCount,
        CameraSettings settings,
        BlockingCollection<Frame> queue,
        SemaphoreSlim triggers,
        CancellationToken stop)
    {
        public void Run()
        {
            var clock = Stopwatch.StartNew();
            var exposure = TimeSpan.FromSeconds(settings.ExposureSeconds);
            var period = settings.FrameRate is { } rate ? TimeSpan.FromSeconds(Math.Max(settings.ExposureSeconds, 1 / rate)) : exposure;
            var software = settings.TriggerSource == TriggerSource.Software;
            try
            {
                for (long n = 0; frameCount == 0 || n < frameCount; n++)
                {
                    // Exposure n ends at a fixed time (internal trigger) or one exposure after its trigger (software).
                    var ended = software
                        ? WaitForTrigger() && WaitUntil(clock, clock.Elapsed + exposure)
                        : WaitUntil(clock, period * (n + 1));
                    if (!ended)
                    {
                        break;
                    }

                    if (!pool.TryRent(width, height, out var frame))
                    {
                        Interlocked.Increment(ref camera._framesDropped);
                        continue;
                    }

                    ReadOut(frame.Pixels<ushort>(), width, n);
                    frame.FrameNumber = n;
                    frame.Timestamp = clock.Elapsed;
                    queue.Add(frame, CancellationToken.None);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        private bool WaitForTrigger()
        {
            try
            {
                triggers.Wait(stop);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Waits until <paramref name="due"/> on the sequence clock; false when the sequence was stopped first.</summary>
        private bool WaitUntil(Stopwatch clock, TimeSpan due)
        {
            while (!stop.IsCancellationRequested)
            {
                var left = due - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return true;
                }

                stop.WaitHandle.WaitOne(left);
            }

            return false;
        }
    }
}
