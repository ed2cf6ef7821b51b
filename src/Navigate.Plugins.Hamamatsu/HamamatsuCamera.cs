using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Interop;

namespace Navigate.Plugins.Hamamatsu;

/// <summary>
/// A Hamamatsu camera driven through DCAM-API 4, as navigate drives ORCA-Flash4.0, Fusion, Lightning and Quest:
/// exposure, binning, subarray ROI snapped to the camera's step, area or light-sheet (progressive) readout, readout
/// direction, line interval, trigger source / polarity / mode / active, and sequence acquisition with drop
/// accounting (see <see cref="StartSequence"/>).
/// </summary>
/// <remarks>
/// Opening a camera initialises DCAM-API for the process if no other camera holds it; disposing the last camera
/// uninitialises it. <see cref="WaitForFrame"/> is meant for one consumer thread; <see cref="StopSequence"/>,
/// <see cref="FireSoftwareTrigger"/> and cancellation may come from others.
/// </remarks>
public sealed unsafe partial class HamamatsuCamera : ICamera
{
    private readonly DcamApi.Lease _lease;
    private readonly DcamDevice _device;
    private readonly HamamatsuCameraOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private readonly int _subarrayHStep;
    private readonly int _subarrayVStep;
    private readonly int _subarrayHPosStep;
    private readonly int _subarrayVPosStep;
    private volatile CameraSettings _settings = new();
    private double? _frameRate;
    private int _width;
    private int _height;
    private int _rowBytes;
    private long _frameBytes;
    private PixelType _pixelType;
    private int _disposed;

    private HamamatsuCamera(DcamApi.Lease lease, DcamDevice device, HamamatsuCameraOptions options, ILogger logger)
    {
        _lease = lease;
        _device = device;
        _options = options;
        _logger = logger;

        var model = device.GetString(DcamConstants.StringModel);
        var serial = device.GetString(DcamConstants.StringCameraId);
        if (serial.StartsWith("S/N:", StringComparison.Ordinal))
        {
            serial = serial[4..].Trim();
        }

        // As navigate does on open: full sensor, then read the sensor size and subarray steps.
        device.SetGet(DcamProperties.SubarrayMode, DcamConstants.ModeOff);
        var hsize = device.GetAttr(DcamProperties.SubarrayHSize);
        var vsize = device.GetAttr(DcamProperties.SubarrayVSize);
        _subarrayHStep = StepOf(hsize);
        _subarrayVStep = StepOf(vsize);
        _subarrayHPosStep = StepOf(device.GetAttr(DcamProperties.SubarrayHPos));
        _subarrayVPosStep = StepOf(device.GetAttr(DcamProperties.SubarrayVPos));
        var bits = device.TryGet(DcamProperties.BitsPerChannel, out var b) ? (int)b : 16;
        var pixelUm = device.TryGet(DcamProperties.PixelWidth, out var um) ? um : 0;

        if (options.TriggerActive is { } active)
        {
            device.SetGet(DcamProperties.TriggerActive, (int)active);
        }

        if (options.TriggerMode is { } mode)
        {
            device.SetGet(DcamProperties.TriggerMode, (int)mode);
        }

        UpdateGeometry();
        _settings = ReadSettings();
        Info = new CameraInfo(options.Name, model, serial, (int)hsize.ValueMax, (int)vsize.ValueMax, _pixelType, bits, pixelUm);
    }

    /// <inheritdoc />
    public CameraInfo Info { get; }

    /// <inheritdoc />
    public CameraSettings Settings => _settings;

    /// <summary>The DCAM device index the camera was opened at.</summary>
    public int DeviceIndex => _device.Index;

    /// <summary>Frame width in pixels for the current ROI and binning (DCAM IMAGE WIDTH).</summary>
    public int FrameWidth => _width;

    /// <summary>Frame height in pixels for the current ROI and binning (DCAM IMAGE HEIGHT).</summary>
    public int FrameHeight => _height;

    /// <summary>DCAM TRIGGER ACTIVE (edge, level, synchronous readout).</summary>
    /// <exception cref="InvalidOperationException">Set while acquiring.</exception>
    public DcamTriggerActive TriggerActive
    {
        get => (DcamTriggerActive)(int)GetProperty(DcamProperties.TriggerActive);
        set => SetProperty(DcamProperties.TriggerActive, (int)value);
    }

    /// <summary>DCAM TRIGGER MODE (normal, start).</summary>
    /// <exception cref="InvalidOperationException">Set while acquiring.</exception>
    public DcamTriggerMode TriggerMode
    {
        get => (DcamTriggerMode)(int)GetProperty(DcamProperties.TriggerMode);
        set => SetProperty(DcamProperties.TriggerMode, (int)value);
    }

    /// <summary>Opens the camera at DCAM device index <paramref name="index"/>.</summary>
    /// <exception cref="DcamLibraryNotFoundException">DCAM-API could not be loaded.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no camera at that index.</exception>
    /// <exception cref="DcamException">DCAM-API failed to open or set up the camera.</exception>
    public static HamamatsuCamera Open(int index, HamamatsuCameraOptions? options = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return OpenCore(options, logger, lease =>
        {
            if (index >= lease.DeviceCount)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index,
                    string.Create(CultureInfo.InvariantCulture, $"DCAM-API found {lease.DeviceCount} camera(s); there is no camera at index {index}."));
            }

            return DcamDevice.Open(index);
        });
    }

    /// <summary>Opens the camera whose serial number is <paramref name="serialNumber"/> (with or without "S/N: ").</summary>
    /// <exception cref="ArgumentException">No camera has that serial number (the message lists those found).</exception>
    public static HamamatsuCamera OpenBySerial(string serialNumber, HamamatsuCameraOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serialNumber);
        var wanted = serialNumber.StartsWith("S/N:", StringComparison.Ordinal) ? serialNumber[4..].Trim() : serialNumber.Trim();
        return OpenCore(options, logger, lease =>
        {
            // DCAM gives serial numbers only for open devices: open each until one matches.
            var seen = new List<string>();
            for (var i = 0; i < lease.DeviceCount; i++)
            {
                DcamDevice device;
                try
                {
                    device = DcamDevice.Open(i);
                }
                catch (DcamException e)
                {
                    seen.Add(string.Create(CultureInfo.InvariantCulture, $"#{i}: cannot open ({e.ErrorName})"));
                    continue;
                }

                string serial;
                try
                {
                    serial = SerialOf(device);
                }
                catch
                {
                    device.Dispose();
                    throw;
                }

                if (serial == wanted)
                {
                    return device;
                }

                seen.Add(string.Create(CultureInfo.InvariantCulture, $"#{i}: {serial}"));
                device.Dispose();
            }

            var found = seen.Count == 0 ? "none" : string.Join(", ", seen);
            throw new ArgumentException($"No DCAM camera has serial number '{wanted}'. Cameras found: {found}.", nameof(serialNumber));
        });
    }

    /// <summary>
    /// Lists the cameras DCAM-API finds, with model and serial number. DCAM reports the serial number only for an
    /// open device, so this opens and closes each camera in turn (a camera in use elsewhere is listed without them).
    /// </summary>
    public static IReadOnlyList<DcamCameraListing> Enumerate(HamamatsuCameraOptions? options = null, ILogger? logger = null)
    {
        options ??= new HamamatsuCameraOptions();
        logger ??= NullLogger.Instance;
        DcamLibrary.Load(options.LibraryPath, DcamLibrary.PluginDirectory);
        using var lease = DcamApi.Acquire();
        var cameras = new List<DcamCameraListing>(lease.DeviceCount);
        for (var i = 0; i < lease.DeviceCount; i++)
        {
            try
            {
                using var device = DcamDevice.Open(i);
                cameras.Add(new DcamCameraListing(i, device.GetString(DcamConstants.StringModel), SerialOf(device)));
            }
            catch (DcamException e)
            {
                logger.LogWarning("DCAM camera #{Index} could not be opened to read its model and serial number: {Error}", i, e.Message);
                cameras.Add(new DcamCameraListing(i, null, null));
            }
        }

        return cameras;
    }

    private static string SerialOf(DcamDevice device)
    {
        var text = device.GetString(DcamConstants.StringCameraId);
        return text.StartsWith("S/N:", StringComparison.Ordinal) ? text[4..].Trim() : text.Trim();
    }

    private static HamamatsuCamera OpenCore(HamamatsuCameraOptions? options, ILogger? logger, Func<DcamApi.Lease, DcamDevice> openDevice)
    {
        options ??= new HamamatsuCameraOptions();
        logger ??= NullLogger.Instance;
        if (options.RingFrames < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RingFrames, "RingFrames must be at least 3.");
        }

        DcamLibrary.Load(options.LibraryPath, DcamLibrary.PluginDirectory);
        var lease = DcamApi.Acquire();
        DcamDevice? device = null;
        try
        {
            device = openDevice(lease);
            return new HamamatsuCamera(lease, device, options, logger);
        }
        catch
        {
            // Close what was opened and give DCAM-API back; a failure here must not hide the original one.
            try
            {
                device?.Dispose();
            }
            catch (DcamException e)
            {
                logger.LogWarning("Closing DCAM camera after a failed open: {Error}", e.Message);
            }

            try
            {
                lease.Dispose();
            }
            catch (DcamException e)
            {
                logger.LogWarning("dcamapi_uninit after a failed open: {Error}", e.Message);
            }

            throw;
        }
    }

    /// <summary>Reads a DCAM property by id (dcamprop.h <c>DCAM_IDPROP_*</c>).</summary>
    /// <exception cref="DcamException">The camera has no such property, or cannot read it.</exception>
    public double GetProperty(int propertyId)
    {
        ThrowIfDisposed();
        return _device.Get(propertyId);
    }

    /// <summary>
    /// Writes a DCAM property by id with <c>dcamprop_setgetvalue</c> and returns the value the camera took. For
    /// properties <see cref="CameraSettings"/> does not cover (defect correction, readout speed, trigger delay...).
    /// </summary>
    /// <exception cref="InvalidOperationException">The camera is acquiring.</exception>
    /// <exception cref="DcamException">The camera refused the value (OUTOFRANGE, INVALIDVALUE, NOTWRITABLE...).</exception>
    public double SetProperty(int propertyId, double value)
    {
        ThrowIfDisposed();
        lock (_sync)
        {
            ThrowIfAcquiring();
            try
            {
                return _device.SetGet(propertyId, value);
            }
            finally
            {
                UpdateGeometry();
                _settings = ReadSettings() with { FrameRate = _frameRate };
            }
        }
    }

    /// <inheritdoc />
    public CameraSettings Configure(CameraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfDisposed();
        Require(double.IsFinite(settings.ExposureSeconds) && settings.ExposureSeconds > 0, nameof(settings.ExposureSeconds), settings.ExposureSeconds, "a positive number of seconds");
        Require(settings.Binning >= 1 && int.IsPow2(settings.Binning), nameof(settings.Binning), settings.Binning, "1, 2, 4 or another power of two the camera supports");
        Require(double.IsFinite(settings.LineIntervalSeconds) && settings.LineIntervalSeconds > 0, nameof(settings.LineIntervalSeconds), settings.LineIntervalSeconds, "a positive number of seconds");
        Require(settings.FrameRate is null || (double.IsFinite(settings.FrameRate.Value) && settings.FrameRate > 0), nameof(settings.FrameRate), settings.FrameRate ?? 0, "a positive number of frames per second, or null");

        lock (_sync)
        {
            ThrowIfAcquiring();
            try
            {
                // Order matters: sensor mode and binning change the ranges of what follows.
                Set(nameof(settings.SensorMode), DcamProperties.SensorMode, settings.SensorMode == SensorMode.LightSheet ? 12 : 1);
                SetBinning(settings.Binning);
                SetRoi(settings.Roi, settings.Binning);
                if (_device.TryGetAttr(DcamProperties.ReadoutDirection, out _))
                {
                    Set(nameof(settings.ReadoutDirection), DcamProperties.ReadoutDirection, ReadoutDirectionValue(settings.ReadoutDirection));
                }

                Set(nameof(settings.TriggerSource), DcamProperties.TriggerSource, settings.TriggerSource switch
                {
                    TriggerSource.External => 2,
                    TriggerSource.Software => 3,
                    _ => 1,
                });
                Set(nameof(settings.TriggerPolarity), DcamProperties.TriggerPolarity, settings.TriggerPolarity == TriggerPolarity.Positive ? 2 : 1);
                SetSnapped(nameof(settings.ExposureSeconds), DcamProperties.ExposureTime, settings.ExposureSeconds);
                if (settings.SensorMode == SensorMode.LightSheet)
                {
                    SetSnapped(nameof(settings.LineIntervalSeconds), DcamProperties.InternalLineInterval, settings.LineIntervalSeconds);
                }

                SetFrameRate(settings.FrameRate);
            }
            finally
            {
                UpdateGeometry();
                _settings = ReadSettings() with { FrameRate = _frameRate };
            }

            return _settings;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<CameraProperty> DescribeProperties()
    {
        ThrowIfDisposed();
        var list = new List<CameraProperty>(DcamProperties.Described.Count);
        foreach (var known in DcamProperties.Described)
        {
            if (!_device.TryGetAttr(known.Id, out var attr) || !_device.TryGet(known.Id, out var value))
            {
                continue;
            }

            list.Add(new CameraProperty(known.Key, value, attr.ValueMin, attr.ValueMax, attr.HasStep ? attr.ValueStep : 0,
                DcamProperties.Unit(known.Id, attr.Unit), attr.IsWritable));
        }

        return list;
    }

    private static void Require(bool ok, string setting, double value, string expected)
    {
        if (!ok)
        {
            throw SettingOutOfRange(setting, value, $"settings.{setting} is {value.ToString(CultureInfo.InvariantCulture)}; expected {expected}.");
        }
    }

    private static ArgumentOutOfRangeException SettingOutOfRange(string setting, object? value, string message)
        => new($"settings.{setting}", value, message);

    private static int StepOf(in DcamPropAttr attr) => attr.HasStep ? Math.Max(1, (int)attr.ValueStep) : 1;

    private static int ReadoutDirectionValue(ReadoutDirection direction) => direction switch
    {
        ReadoutDirection.BottomToTop => 2,
        ReadoutDirection.Bidirectional => 6,
        ReadoutDirection.ReverseBidirectional => 7,
        _ => 1,
    };

    private static double Snap(double value, in DcamPropAttr attr)
    {
        var v = Math.Clamp(value, attr.ValueMin, attr.ValueMax);
        if (attr.HasStep && v < attr.ValueMax)
        {
            v = attr.ValueMin + (Math.Round((v - attr.ValueMin) / attr.ValueStep) * attr.ValueStep);
            if (v > attr.ValueMax)
            {
                v -= attr.ValueStep;
            }
        }

        return v;
    }

    // A value the camera refuses becomes the ICamera contract's ArgumentOutOfRangeException, naming the setting and
    // carrying the DcamException; other DCAM failures propagate as they are.
    private double Set(string setting, int propertyId, double value)
    {
        try
        {
            return _device.SetGet(propertyId, value);
        }
        catch (DcamException e) when (e.ErrorCode is DcamErrors.InvalidValue or DcamErrors.OutOfRange)
        {
            throw new ArgumentOutOfRangeException(
                $"settings.{setting}: the {Info?.Model ?? "camera"} does not accept {DcamProperties.Describe(propertyId)} = {value.ToString(CultureInfo.InvariantCulture)} ({e.ErrorName}).", e);
        }
    }

    private double SetSnapped(string setting, int propertyId, double value)
    {
        var attr = _device.GetAttr(propertyId);
        return Set(setting, propertyId, Snap(value, attr));
    }

    private void SetBinning(int binning)
    {
        var attr = _device.GetAttr(DcamProperties.Binning);
        if (binning < attr.ValueMin || binning > attr.ValueMax)
        {
            var choices = new List<int>();
            for (var b = 1; b <= attr.ValueMax; b *= 2)
            {
                if (b >= attr.ValueMin)
                {
                    choices.Add(b);
                }
            }

            throw SettingOutOfRange("Binning", binning, $"settings.Binning is {binning}; this camera bins {string.Join(", ", choices)}.");
        }

        Set("Binning", DcamProperties.Binning, binning);
    }

    private void SetRoi(RegionOfInterest? roi, int binning)
    {
        var sensorWidth = (int)_device.GetAttr(DcamProperties.SubarrayHSize).ValueMax;
        var sensorHeight = (int)_device.GetAttr(DcamProperties.SubarrayVSize).ValueMax;
        if (roi is not { } r)
        {
            _device.SetGet(DcamProperties.SubarrayMode, DcamConstants.ModeOff);
            return;
        }

        if (r.Width <= 0 || r.Height <= 0 || r.Left < 0 || r.Top < 0 || r.Left >= sensorWidth || r.Top >= sensorHeight)
        {
            throw SettingOutOfRange("Roi", r, $"settings.Roi {r} does not overlap the {sensorWidth}×{sensorHeight} sensor with a positive size.");
        }

        // Sizes snap down to the subarray step (and whole binned pixels), positions down to their step, and the
        // region is moved inside the sensor if needed: navigate's rule.
        var (left, width) = SnapSpan(r.Left, r.Width, sensorWidth, Lcm(_subarrayHStep, binning), _subarrayHPosStep);
        var (top, height) = SnapSpan(r.Top, r.Height, sensorHeight, Lcm(_subarrayVStep, binning), _subarrayVPosStep);
        _device.SetGet(DcamProperties.SubarrayMode, DcamConstants.ModeOff);
        if (left == 0 && top == 0 && width == sensorWidth && height == sensorHeight)
        {
            return;
        }

        _device.SetGet(DcamProperties.SubarrayHPos, left);
        _device.SetGet(DcamProperties.SubarrayHSize, width);
        _device.SetGet(DcamProperties.SubarrayVPos, top);
        _device.SetGet(DcamProperties.SubarrayVSize, height);
        _device.SetGet(DcamProperties.SubarrayMode, DcamConstants.ModeOn);
    }

    private static (int Position, int Size) SnapSpan(int position, int size, int sensor, int sizeStep, int positionStep)
    {
        var maxSize = sensor / sizeStep * sizeStep;
        var snappedSize = Math.Clamp(size / sizeStep * sizeStep, sizeStep, maxSize);
        var snappedPosition = position / positionStep * positionStep;
        if (snappedPosition + snappedSize > sensor)
        {
            snappedPosition = (sensor - snappedSize) / positionStep * positionStep;
        }

        return (snappedPosition, snappedSize);
    }

    private static int Lcm(int a, int b)
    {
        static int Gcd(int x, int y) => y == 0 ? x : Gcd(y, x % y);
        return a / Gcd(a, b) * b;
    }

    private void SetFrameRate(double? frameRate)
    {
        if (!_device.TryGetAttr(DcamProperties.InternalFrameRate, out var attr) || !attr.IsWritable)
        {
            if (frameRate is not null)
            {
                throw SettingOutOfRange("FrameRate", frameRate,
                    $"settings.FrameRate is {frameRate}; the {Info?.Model ?? "camera"} has no writable INTERNAL FRAME RATE, so it can only run as fast as exposure and readout allow (FrameRate null).");
            }

            _frameRate = null;
            return;
        }

        if (frameRate is null)
        {
            // As fast as exposure and readout allow.
            _device.SetGet(DcamProperties.InternalFrameRate, attr.ValueMax);
            _frameRate = null;
            return;
        }

        _frameRate = Set("FrameRate", DcamProperties.InternalFrameRate, Snap(frameRate.Value, attr));
    }

    private void UpdateGeometry()
    {
        _width = (int)_device.Get(DcamProperties.ImageWidth);
        _height = (int)_device.Get(DcamProperties.ImageHeight);
        var dcamPixelType = _device.TryGet(DcamProperties.ImagePixelType, out var type) ? (int)type : DcamConstants.PixelTypeMono16;
        _pixelType = dcamPixelType switch
        {
            DcamConstants.PixelTypeMono8 => PixelType.UInt8,
            DcamConstants.PixelTypeMono16 => PixelType.UInt16,
            _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"The camera delivers DCAM pixel type {dcamPixelType}; the plugin supports MONO8 (1) and MONO16 (2).")),
        };

        var packedRow = _width * _pixelType.BytesPerPixel();
        _rowBytes = _device.TryGet(DcamProperties.ImageRowBytes, out var rowBytes) ? (int)rowBytes : packedRow;
        _frameBytes = _device.TryGet(DcamProperties.ImageFrameBytes, out var frameBytes) ? (long)frameBytes : (long)_rowBytes * _height;
        if (_rowBytes < packedRow || _frameBytes < (long)_rowBytes * _height)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture,
                $"The camera reports {_width}×{_height} frames with {_rowBytes} bytes per row and {_frameBytes} per frame; rows need at least {packedRow}."));
        }
    }

    private CameraSettings ReadSettings()
    {
        RegionOfInterest? roi = null;
        if ((int)_device.Get(DcamProperties.SubarrayMode) == DcamConstants.ModeOn)
        {
            roi = new RegionOfInterest(
                (int)_device.Get(DcamProperties.SubarrayHPos),
                (int)_device.Get(DcamProperties.SubarrayVPos),
                (int)_device.Get(DcamProperties.SubarrayHSize),
                (int)_device.Get(DcamProperties.SubarrayVSize));
        }

        return new CameraSettings
        {
            ExposureSeconds = _device.Get(DcamProperties.ExposureTime),
            Binning = (int)_device.Get(DcamProperties.Binning),
            Roi = roi,
            SensorMode = (int)_device.Get(DcamProperties.SensorMode) == 12 ? SensorMode.LightSheet : SensorMode.Normal,
            ReadoutDirection = _device.TryGet(DcamProperties.ReadoutDirection, out var direction)
                ? (int)direction switch
                {
                    2 => ReadoutDirection.BottomToTop,
                    6 => ReadoutDirection.Bidirectional,
                    7 => ReadoutDirection.ReverseBidirectional,
                    _ => ReadoutDirection.TopToBottom,
                }
                : ReadoutDirection.TopToBottom,
            LineIntervalSeconds = _device.TryGet(DcamProperties.InternalLineInterval, out var line) ? line : new CameraSettings().LineIntervalSeconds,
            TriggerSource = (int)_device.Get(DcamProperties.TriggerSource) switch
            {
                1 => TriggerSource.Internal,
                3 => TriggerSource.Software,
                _ => TriggerSource.External,
            },
            TriggerPolarity = (int)_device.Get(DcamProperties.TriggerPolarity) == 2 ? TriggerPolarity.Positive : TriggerPolarity.Negative,
            FrameRate = null,
        };
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void ThrowIfAcquiring()
    {
        if (_capturing)
        {
            throw new InvalidOperationException($"Camera '{Info?.Name}' is acquiring; stop the sequence before changing settings.");
        }
    }
}

/// <summary>A camera DCAM-API found.</summary>
/// <param name="Index">DCAM device index.</param>
/// <param name="Model">Model (DCAM_IDSTR_MODEL), or null when the camera could not be opened to ask.</param>
/// <param name="SerialNumber">Serial number without "S/N: ", or null when the camera could not be opened to ask.</param>
public sealed record DcamCameraListing(int Index, string? Model, string? SerialNumber);
