using System.Diagnostics;
using System.Globalization;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Core;

namespace Navigate.Plugins.MicroManager.Devices;

/// <summary>
/// The Micro-Manager core's current camera (<c>getCameraDevice()</c>) as an <see cref="ICamera"/>: exposure, binning
/// (the camera's <c>Binning</c> property), ROI, snaps, and sequence acquisition through the core's circular buffer.
/// </summary>
/// <remarks>
/// <para>Frames are popped with <c>popNextImageMD</c> and copied once, from the Java <c>short[]</c>/<c>byte[]</c>
/// straight into the pooled frame's pinned buffer. Each frame's number is the core's <c>ImageNumber</c> tag (counted
/// from 0 for every frame the camera hands to the core), so frames the core lost when its circular buffer overflowed
/// show up as a gap and are counted as dropped; a sequence that ends short of its frame count with
/// <c>isBufferOverflowed()</c> set counts the missing frames as dropped too. Frames the pool had no buffer for are
/// popped, discarded and counted as dropped.</para>
/// <para>Micro-Manager has no standard light-sheet readout, external or software trigger, or frame-rate setting:
/// <see cref="Configure"/> refuses the first three and reports <see cref="CameraSettings.FrameRate"/> as null
/// (cameras pace themselves by exposure). Use <see cref="SetProperty"/> for camera-specific properties.</para>
/// </remarks>
public sealed unsafe class MicroManagerCamera : ICamera
{
    private const string BinningProperty = "Binning";
    private const string ExposureProperty = "Exposure";

    private readonly MicroManagerSession _session;
    private readonly MmCore _core;
    private readonly ImageTags _tags;
    private readonly bool _stopOnOverflow;
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = new();
    private bool _disposed;

    // Sequence state, written under _gate. _open: started and WaitForFrame has not yet answered Completed;
    // _stopRequested: StopSequence was called (the camera is stopped, buffered frames are still delivered).
    private volatile bool _open;
    private volatile bool _stopRequested;
    private FramePool? _pool;
    private long _frameCount;
    private long _delivered;
    private long _dropped;
    private long _nextNumber;
    private long _numberBase;
    private bool _firstFrame;
    private bool _useImageNumbers;
    private bool _useElapsedTime;
    private int _width;
    private int _height;
    private int _bytesPerPixel;
    private PixelType _pixelType;
    private long _snaps;

    internal MicroManagerCamera(string name, MicroManagerSession session)
    {
        _session = session;
        _stopOnOverflow = session.Settings.StopOnOverflow;
        _core = session.Acquire();
        try
        {
            Label = _core.GetCameraDevice();
            if (Label.Length == 0)
            {
                throw new MicroManagerConfigurationException(
                    $"The configuration '{session.Settings.ConfigFile}' assigns no camera: add a line 'Property,Core,Camera,<label>' for one of its camera devices.");
            }

            var pixelType = CurrentPixelType();
            var (sensorWidth, sensorHeight) = MeasureSensor();
            var model = $"{_core.GetDeviceLibrary(Label)} {_core.GetDeviceName(Label)}";
            var serial = _core.HasProperty(Label, "CameraID") ? _core.GetProperty(Label, "CameraID") : string.Empty;
            Info = new CameraInfo(name, model, serial, sensorWidth, sensorHeight, pixelType, (int)_core.GetImageBitDepth(), session.Settings.SensorPixelSizeUm);
            _tags = new ImageTags(_core);
        }
        catch
        {
            session.Release();
            throw;
        }
    }

    /// <summary>The camera's device label in the Micro-Manager configuration.</summary>
    public string Label { get; }

    /// <summary>The core the camera runs on (for tests that watch the core directly).</summary>
    internal MmCore Core => _core;

    /// <inheritdoc />
    public CameraInfo Info { get; }

    /// <inheritdoc />
    public bool IsAcquiring => _open && !_stopRequested;

    /// <inheritdoc />
    public CameraCounters Counters => new(Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped));

    /// <inheritdoc />
    public CameraSettings Settings
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var binning = ReadBinning();
            var (x, y, w, h) = _core.GetRoi();
            var roi = new RegionOfInterest(x * binning, y * binning, w * binning, h * binning);
            var full = roi.Left == 0 && roi.Top == 0 && roi.Width >= Info.SensorWidth - (binning - 1) && roi.Height >= Info.SensorHeight - (binning - 1);
            return new CameraSettings
            {
                ExposureSeconds = _core.GetExposure() / 1000.0,
                Binning = binning,
                Roi = full ? null : roi,
                SensorMode = SensorMode.Normal,
                TriggerSource = TriggerSource.Internal,
                FrameRate = null,
            };
        }
    }

    /// <inheritdoc />
    public CameraSettings Configure(CameraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (IsAcquiring)
            {
                throw new InvalidOperationException($"Camera '{Info.Name}' ({Label}) is acquiring; stop the sequence before configuring it.");
            }

            DiscardStoppedSequence();

            if (settings.SensorMode != SensorMode.Normal)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.SensorMode, "SensorMode: Micro-Manager cameras have no standard light-sheet readout; only SensorMode.Normal is available.");
            }

            if (settings.TriggerSource != TriggerSource.Internal)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.TriggerSource, "TriggerSource: only TriggerSource.Internal is available through the Micro-Manager core API; hardware triggering is set up with camera-specific properties (SetProperty).");
            }

            if (!double.IsFinite(settings.ExposureSeconds) || settings.ExposureSeconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(settings), settings.ExposureSeconds, "ExposureSeconds must be a finite number of seconds, 0 or more.");
            }

            ApplyBinning(settings.Binning);
            ApplyRoi(settings.Roi);

            var ms = settings.ExposureSeconds * 1000.0;
            if (_core.HasProperty(Label, ExposureProperty) && _core.HasPropertyLimits(Label, ExposureProperty))
            {
                ms = Math.Clamp(ms, _core.GetPropertyLowerLimit(Label, ExposureProperty), _core.GetPropertyUpperLimit(Label, ExposureProperty));
            }

            _core.SetExposure(ms);
        }

        return Settings;
    }

    private void ApplyBinning(int binning)
    {
        if (!_core.HasProperty(Label, BinningProperty))
        {
            if (binning != 1)
            {
                throw new ArgumentOutOfRangeException(nameof(binning), binning, $"Binning: camera '{Label}' has no Binning property; only 1 is available.");
            }

            return;
        }

        var allowed = _core.GetAllowedPropertyValues(Label, BinningProperty);
        var match = allowed.FirstOrDefault(v => ParseBinning(v) == binning);
        if (match is null)
        {
            if (allowed.Length > 0)
            {
                throw new ArgumentOutOfRangeException(nameof(binning), binning, $"Binning: camera '{Label}' allows {string.Join(", ", allowed)}.");
            }

            match = binning.ToString(CultureInfo.InvariantCulture);
        }

        if (ParseBinning(_core.GetProperty(Label, BinningProperty)) != binning)
        {
            _core.SetProperty(Label, BinningProperty, match);
        }
    }

    private void ApplyRoi(RegionOfInterest? roi)
    {
        if (roi is not { } r)
        {
            _core.ClearRoi();
            return;
        }

        if (r.Left < 0 || r.Top < 0 || r.Width <= 0 || r.Height <= 0 || r.Left + r.Width > Info.SensorWidth || r.Top + r.Height > Info.SensorHeight)
        {
            throw new ArgumentOutOfRangeException(nameof(roi), r, $"Roi: {r.Width}×{r.Height} at ({r.Left}, {r.Top}) does not fit the {Info.SensorWidth}×{Info.SensorHeight} sensor of camera '{Label}'.");
        }

        // Micro-Manager's ROI is in binned pixels; ours is in sensor pixels.
        var b = ReadBinning();
        _core.SetRoi(r.Left / b, r.Top / b, Math.Max(1, r.Width / b), Math.Max(1, r.Height / b));
    }

    /// <inheritdoc />
    public IReadOnlyList<CameraProperty> DescribeProperties()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var properties = new List<CameraProperty>();
        var (lo, hi) = _core.HasProperty(Label, ExposureProperty) && _core.HasPropertyLimits(Label, ExposureProperty)
            ? (_core.GetPropertyLowerLimit(Label, ExposureProperty) / 1000.0, _core.GetPropertyUpperLimit(Label, ExposureProperty) / 1000.0)
            : (0.0, double.PositiveInfinity);
        properties.Add(new CameraProperty("exposure_time", _core.GetExposure() / 1000.0, lo, hi, 0, "s", true));

        if (_core.HasProperty(Label, BinningProperty))
        {
            var allowed = _core.GetAllowedPropertyValues(Label, BinningProperty).Select(ParseBinning).Where(b => b > 0).ToArray();
            var current = ReadBinning();
            properties.Add(new CameraProperty("binning", current, allowed.Length > 0 ? allowed.Min() : current, allowed.Length > 0 ? allowed.Max() : current, 0, "", !_core.IsPropertyReadOnly(Label, BinningProperty)));
        }
        else
        {
            properties.Add(new CameraProperty("binning", 1, 1, 1, 0, "", false));
        }

        foreach (var name in _core.GetDevicePropertyNames(Label))
        {
            if (name is ExposureProperty or BinningProperty || !_core.HasPropertyLimits(Label, name))
            {
                continue;
            }

            var value = MmCore.ParseNumber(_core.GetProperty(Label, name)) ?? double.NaN;
            properties.Add(new CameraProperty(name, value, _core.GetPropertyLowerLimit(Label, name), _core.GetPropertyUpperLimit(Label, name), 0, "", !_core.IsPropertyReadOnly(Label, name)));
        }

        return properties;
    }

    /// <summary>A property of the camera device (any Micro-Manager property, by its Micro-Manager name).</summary>
    /// <exception cref="JavaException">No such property.</exception>
    public string GetProperty(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _core.GetProperty(Label, name);
    }

    /// <summary>Sets a property of the camera device (any Micro-Manager property, by its Micro-Manager name).</summary>
    /// <exception cref="JavaException">No such property, or the value is not allowed (carries the device's message).</exception>
    /// <exception cref="InvalidOperationException">The camera is acquiring.</exception>
    public void SetProperty(string name, string value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (IsAcquiring)
            {
                throw new InvalidOperationException($"Camera '{Info.Name}' ({Label}) is acquiring; stop the sequence before changing properties.");
            }

            DiscardStoppedSequence();

            _core.SetProperty(Label, name, value);
        }
    }

    /// <summary>
    /// Snaps one image (<c>snapImage</c> + <c>getImage</c>) into a frame rented from <paramref name="pool"/>; the
    /// caller disposes it. Frame numbers count this camera's snaps from 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">The camera is acquiring, or every buffer of the pool is in use.</exception>
    public Frame Snap(FramePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_gate)
        {
            if (IsAcquiring)
            {
                throw new InvalidOperationException($"Camera '{Info.Name}' ({Label}) is acquiring; stop the sequence before snapping.");
            }

            DiscardStoppedSequence();

            var (w, h, bpp, pixelType) = CurrentGeometry(pool);
            if (!pool.TryRent(w, h, pixelType, out var frame))
            {
                throw new InvalidOperationException($"Every one of the pool's {pool.Capacity} buffers is in use; dispose frames before snapping.");
            }

            try
            {
                _core.SnapImage();
                _core.GetImage((void*)frame.Address, w * h, bpp);
                frame.FrameNumber = _snaps++;
                frame.Timestamp = TimeSpan.Zero;
                return frame;
            }
            catch
            {
                frame.Dispose();
                throw;
            }
        }
    }

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
                throw new InvalidOperationException($"Camera '{Info.Name}' ({Label}) is already acquiring.");
            }

            DiscardStoppedSequence();

            (_width, _height, _bytesPerPixel, _pixelType) = CurrentGeometry(pool);
            _pool = pool;
            _frameCount = frameCount;
            Interlocked.Exchange(ref _delivered, 0);
            Interlocked.Exchange(ref _dropped, 0);
            _nextNumber = 0;
            _numberBase = 0;
            _firstFrame = true;
            _stopRequested = false;

            // The interval argument is ignored by current cameras (MMCore passes it on as "unused"); they pace by exposure.
            if (frameCount == 0 || frameCount > int.MaxValue)
            {
                _core.StartContinuousSequenceAcquisition(0);
            }
            else
            {
                _core.StartSequenceAcquisition((int)frameCount, 0, _stopOnOverflow);
            }

            _clock.Restart();
            _open = true;
        }
    }

    /// <inheritdoc />
    public FrameWaitResult WaitForFrame(TimeSpan timeout, out Frame? frame, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        frame = null;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var idle = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                if (!_open)
                {
                    return FrameWaitResult.Completed;
                }

                switch (Poll(out frame))
                {
                    case PollResult.Frame:
                        return FrameWaitResult.Frame;
                    case PollResult.Completed:
                        return FrameWaitResult.Completed;
                    case PollResult.Retry:
                        idle = 0;
                        continue;
                }
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return FrameWaitResult.Timeout;
            }

            // MMCore has no blocking wait for the next image: poll, spinning briefly before sleeping.
            if (++idle < 20)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    private enum PollResult
    {
        Frame,
        Empty,
        Retry,
        Completed,
    }

    // Called under _gate while running.
    private PollResult Poll(out Frame? delivered)
    {
        delivered = null;
        var pixels = _width * _height;
        while (_core.GetRemainingImageCount() > 0)
        {
            if (!_pool!.TryRent(_width, _height, _pixelType, out var frame))
            {
                // No buffer: take the frame out of the core's buffer anyway (so it cannot overflow) and count it.
                _core.PopNextImage(_tags, null, pixels, _bytesPerPixel);
                Account(NextNumber(), delivered: false);
                if (Finished())
                {
                    return PollResult.Completed;
                }

                continue;
            }

            try
            {
                _core.PopNextImage(_tags, (void*)frame.Address, pixels, _bytesPerPixel);
                frame.FrameNumber = NextNumber();
                frame.Timestamp = _useElapsedTime && _tags.ElapsedMilliseconds() is { } ms ? TimeSpan.FromMilliseconds(ms) : _clock.Elapsed;
            }
            catch
            {
                frame.Dispose();
                End();
                throw;
            }

            Account(frame.FrameNumber, delivered: true);
            Finished();
            delivered = frame;
            return PollResult.Frame;
        }

        if (_core.IsSequenceRunning())
        {
            return PollResult.Empty;
        }

        // The camera stopped; a frame may have arrived between the two checks.
        if (_core.GetRemainingImageCount() > 0)
        {
            return PollResult.Retry;
        }

        var accounted = Interlocked.Read(ref _delivered) + Interlocked.Read(ref _dropped);
        var overflowed = _core.IsBufferOverflowed();
        End();
        if (_stopRequested)
        {
            // Stopped by the caller: every frame the camera captured was delivered; the rest was never exposed.
            return PollResult.Completed;
        }

        if (_frameCount > 0 && accounted < _frameCount)
        {
            if (overflowed)
            {
                // MMCore stopped the camera when its circular buffer overflowed (stopOnOverflow): the rest is lost.
                Interlocked.Add(ref _dropped, _frameCount - accounted);
                return PollResult.Completed;
            }

            throw new MicroManagerAcquisitionException(
                $"Camera '{Label}' stopped after {accounted} of {_frameCount} frames ({Interlocked.Read(ref _delivered)} delivered, {Interlocked.Read(ref _dropped)} dropped): "
                + "the device ended the sequence early, as Micro-Manager devices do when they report an error (the device's message is in Micro-Manager's CoreLog).");
        }

        if (_frameCount == 0)
        {
            throw new MicroManagerAcquisitionException(overflowed
                ? $"Camera '{Label}' stopped after {accounted} frames because the core's circular buffer overflowed; raise 'circularBufferMB' or consume frames faster."
                : $"Camera '{Label}' stopped after {accounted} frames of a continuous sequence: the device ended it, as Micro-Manager devices do when they report an error (see Micro-Manager's CoreLog).");
        }

        return PollResult.Completed;
    }

    // The number of the frame just popped: the core's ImageNumber when it provides one, else the next in sequence.
    private long NextNumber()
    {
        if (_firstFrame)
        {
            _firstFrame = false;
            _useElapsedTime = _tags.HasElapsedTime();
            _useImageNumbers = _tags.HasImageNumber() && _tags.ImageNumber() is not null;
            if (_useImageNumbers && _tags.ImageNumber() is { } first && (first < 0 || (_frameCount > 0 && first >= _frameCount)))
            {
                // A core that does not restart ImageNumber at each sequence: count from the first frame seen.
                _numberBase = first;
            }
        }

        if (_useImageNumbers)
        {
            if (_tags.ImageNumber() is { } n && n - _numberBase >= _nextNumber)
            {
                return n - _numberBase;
            }

            // Numbers went backwards or vanished: trust our own count from here on.
            _useImageNumbers = false;
        }

        return _nextNumber;
    }

    private void Account(long number, bool delivered)
    {
        var gap = number - _nextNumber;
        if (gap > 0)
        {
            Interlocked.Add(ref _dropped, gap);
        }

        if (delivered)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }

        _nextNumber = number + 1;
    }

    // True (and the sequence ended) once every frame of a finite sequence is delivered or counted as dropped.
    private bool Finished()
    {
        if (_frameCount > 0 && Interlocked.Read(ref _delivered) + Interlocked.Read(ref _dropped) >= _frameCount)
        {
            End();
            return true;
        }

        return false;
    }

    private void End()
    {
        _open = false;
        try
        {
            if (_core.IsSequenceRunning())
            {
                _core.StopSequenceAcquisition();
            }
        }
        finally
        {
            _pool = null;
        }
    }

    /// <inheritdoc />
    public void FireSoftwareTrigger()
        => throw new InvalidOperationException($"Camera '{Info.Name}' ({Label}) runs on its internal trigger: the Micro-Manager core API has no software trigger.");

    /// <inheritdoc />
    /// <remarks>
    /// The camera stops at once; frames it already handed to the core's circular buffer are still delivered by
    /// <see cref="WaitForFrame"/> until it answers <see cref="FrameWaitResult.Completed"/>. Starting, configuring or
    /// snapping again discards those not yet taken.
    /// </remarks>
    public void StopSequence()
    {
        lock (_gate)
        {
            if (!_open || _stopRequested)
            {
                return;
            }

            _stopRequested = true;
            _core.StopSequenceAcquisition();
        }
    }

    // Called under _gate: ends a stopped sequence whose remaining frames nobody took.
    private void DiscardStoppedSequence()
    {
        if (_open)
        {
            _open = false;
            _pool = null;
            _core.ClearCircularBuffer();
        }
    }

    /// <summary>Stops any sequence and gives the core back (the last device of the configuration unloads it).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            lock (_gate)
            {
                if (_open)
                {
                    _stopRequested = true;
                    _core.StopSequenceAcquisition();
                    DiscardStoppedSequence();
                }
            }
        }
        finally
        {
            try
            {
                _tags.Dispose();
            }
            finally
            {
                _session.Release();
            }
        }
    }

    private PixelType CurrentPixelType()
    {
        var bpp = _core.GetBytesPerPixel();
        var components = _core.GetNumberOfComponents();
        return (bpp, components) switch
        {
            (1, 1) => PixelType.UInt8,
            (2, 1) => PixelType.UInt16,
            _ => throw new MicroManagerConfigurationException(
                $"Camera '{Label}' delivers {bpp}-byte pixels with {components} component(s); Navigate takes 8- and 16-bit grey images (set the camera's PixelType property, e.g. to 16bit)."),
        };
    }

    private (int Width, int Height, int BytesPerPixel, PixelType PixelType) CurrentGeometry(FramePool pool)
    {
        var pixelType = CurrentPixelType();
        var w = (int)_core.GetImageWidth();
        var h = (int)_core.GetImageHeight();
        var bpp = pixelType.BytesPerPixel();
        var bytes = (long)w * h * bpp;
        if (bytes > pool.FrameCapacityBytes)
        {
            throw new ArgumentException($"The pool's {pool.FrameCapacityBytes}-byte buffers cannot hold camera '{Label}''s {w}×{h} {pixelType} frames ({bytes} bytes).", nameof(pool));
        }

        return (w, h, bpp, pixelType);
    }

    // The sensor size: the image size with the ROI cleared, times the binning; the ROI is put back afterwards.
    private (int Width, int Height) MeasureSensor()
    {
        var roi = _core.GetRoi();
        _core.ClearRoi();
        var binning = ReadBinning();
        var width = (int)_core.GetImageWidth();
        var height = (int)_core.GetImageHeight();
        if (roi.Width != width || roi.Height != height || roi.X != 0 || roi.Y != 0)
        {
            _core.SetRoi(roi.X, roi.Y, roi.Width, roi.Height);
        }

        return (width * binning, height * binning);
    }

    private int ReadBinning()
        => _core.HasProperty(Label, BinningProperty) && ParseBinning(_core.GetProperty(Label, BinningProperty)) is var b and > 0 ? b : 1;

    // "2" or "2x2": the number before an x.
    private static int ParseBinning(string text)
    {
        var span = text.AsSpan().Trim();
        var x = span.IndexOfAny('x', 'X');
        return int.TryParse(x >= 0 ? span[..x] : span, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : -1;
    }
}
