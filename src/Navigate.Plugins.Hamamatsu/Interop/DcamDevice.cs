using System.Globalization;
using System.Text;

namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>
/// An open DCAM device (<c>HDCAM</c>) and its wait handle (<c>HDCAMWAIT</c>), with every call checked: a negative
/// <c>DCAMERR</c> becomes a <see cref="DcamException"/> naming the function and property.
/// </summary>
/// <remarks>DCAM-API is thread-safe; <see cref="AbortWait"/> and <see cref="FireTrigger"/> are called from other threads.</remarks>
internal sealed unsafe class DcamDevice : IDisposable
{
    private nint _hdcam;
    private nint _hwait;

    private DcamDevice(int index, nint hdcam)
    {
        Index = index;
        _hdcam = hdcam;
    }

    /// <summary>The device index it was opened with.</summary>
    public int Index { get; }

    /// <summary>The HDCAM.</summary>
    public nint Handle => _hdcam;

    /// <summary>Opens device <paramref name="index"/> and its wait handle (DCAM-API must be initialised).</summary>
    public static DcamDevice Open(int index)
    {
        var open = new DcamDevOpen { Size = sizeof(DcamDevOpen), Index = index };
        Check(DcamNative.dcamdev_open(&open), "dcamdev_open", null, string.Create(CultureInfo.InvariantCulture, $"index {index}"));
        var device = new DcamDevice(index, open.Hdcam);
        try
        {
            var wait = new DcamWaitOpen { Size = sizeof(DcamWaitOpen), Hdcam = open.Hdcam };
            Check(DcamNative.dcamwait_open(&wait), "dcamwait_open");
            device._hwait = wait.Hwait;
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="DcamException"/> when <paramref name="err"/> is negative.</summary>
    public static void Check(int err, string function, int? propertyId = null, string? detail = null)
    {
        if (err < 0)
        {
            throw new DcamException(err, function, propertyId, detail);
        }
    }

    /// <summary><c>dcamdev_getstring</c>.</summary>
    public string GetString(int stringId)
    {
        const int Capacity = 256;
        var text = stackalloc byte[Capacity];
        var param = new DcamDevString { Size = sizeof(DcamDevString), StringId = stringId, Text = (nint)text, TextBytes = Capacity };
        Check(DcamNative.dcamdev_getstring(_hdcam, &param), "dcamdev_getstring", null, string.Create(CultureInfo.InvariantCulture, $"string 0x{stringId:X8}"));
        var length = new ReadOnlySpan<byte>(text, Capacity).IndexOf((byte)0);
        return Encoding.UTF8.GetString(text, length < 0 ? Capacity : length);
    }

    /// <summary><c>dcamprop_getattr</c>.</summary>
    public DcamPropAttr GetAttr(int propertyId)
    {
        var attr = new DcamPropAttr { Size = sizeof(DcamPropAttr), PropertyId = propertyId };
        Check(DcamNative.dcamprop_getattr(_hdcam, &attr), "dcamprop_getattr", propertyId);
        return attr;
    }

    /// <summary><c>dcamprop_getattr</c>; false when the camera does not have the property.</summary>
    public bool TryGetAttr(int propertyId, out DcamPropAttr attr)
    {
        attr = new DcamPropAttr { Size = sizeof(DcamPropAttr), PropertyId = propertyId };
        fixed (DcamPropAttr* p = &attr)
        {
            var err = DcamNative.dcamprop_getattr(_hdcam, p);
            if (err is DcamErrors.InvalidPropertyId or DcamErrors.NotSupport)
            {
                return false;
            }

            Check(err, "dcamprop_getattr", propertyId);
            return true;
        }
    }

    /// <summary><c>dcamprop_getvalue</c>.</summary>
    public double Get(int propertyId)
    {
        double value;
        Check(DcamNative.dcamprop_getvalue(_hdcam, propertyId, &value), "dcamprop_getvalue", propertyId);
        return value;
    }

    /// <summary><c>dcamprop_getvalue</c>; false when the camera does not have the property.</summary>
    public bool TryGet(int propertyId, out double value)
    {
        double v;
        var err = DcamNative.dcamprop_getvalue(_hdcam, propertyId, &v);
        value = v;
        if (err is DcamErrors.InvalidPropertyId or DcamErrors.NotSupport)
        {
            return false;
        }

        Check(err, "dcamprop_getvalue", propertyId);
        return true;
    }

    /// <summary><c>dcamprop_setgetvalue</c>: sets and returns the value the camera actually took.</summary>
    public double SetGet(int propertyId, double value)
    {
        var v = value;
        Check(DcamNative.dcamprop_setgetvalue(_hdcam, propertyId, &v, 0), "dcamprop_setgetvalue", propertyId,
            string.Create(CultureInfo.InvariantCulture, $"value {value:R}"));
        return v;
    }

    /// <summary><c>dcambuf_attach</c> with a pointer list of <paramref name="count"/> frame buffers.</summary>
    public void Attach(nint* buffers, int count)
    {
        var attach = new DcamBufAttach { Size = sizeof(DcamBufAttach), Kind = DcamConstants.AttachKindFrame, Buffers = (nint)buffers, BufferCount = count };
        Check(DcamNative.dcambuf_attach(_hdcam, &attach), "dcambuf_attach", null, string.Create(CultureInfo.InvariantCulture, $"{count} buffers"));
    }

    /// <summary><c>dcambuf_release(FRAME)</c>.</summary>
    public void Release() => Check(DcamNative.dcambuf_release(_hdcam, DcamConstants.AttachKindFrame), "dcambuf_release");

    /// <summary><c>dcamcap_start(SEQUENCE)</c>.</summary>
    public void StartSequence() => Check(DcamNative.dcamcap_start(_hdcam, DcamConstants.CapStartSequence), "dcamcap_start", null, "SEQUENCE");

    /// <summary><c>dcamcap_start(SNAP)</c>: one pass over the attached buffers, then the camera stops by itself.</summary>
    public void StartSnap() => Check(DcamNative.dcamcap_start(_hdcam, DcamConstants.CapStartSnap), "dcamcap_start", null, "SNAP");

    /// <summary><c>dcamcap_stop</c>.</summary>
    public void Stop() => Check(DcamNative.dcamcap_stop(_hdcam), "dcamcap_stop");

    /// <summary><c>dcamcap_transferinfo</c>: the newest buffer index and frames captured since start.</summary>
    public (int NewestIndex, int FrameCount) TransferInfo()
    {
        var info = new DcamCapTransferInfo { Size = sizeof(DcamCapTransferInfo), Kind = DcamConstants.TransferKindFrame };
        Check(DcamNative.dcamcap_transferinfo(_hdcam, &info), "dcamcap_transferinfo");
        return (info.NewestFrameIndex, info.FrameCount);
    }

    /// <summary><c>dcamcap_firetrigger</c>.</summary>
    public void FireTrigger() => Check(DcamNative.dcamcap_firetrigger(_hdcam, 0), "dcamcap_firetrigger");

    /// <summary>
    /// <c>dcamwait_start</c>; returns the DCAMERR so the caller can tell TIMEOUT and ABORT from failures.
    /// </summary>
    public int WaitStart(int eventMask, int timeoutMilliseconds, out int happened)
    {
        var start = new DcamWaitStart { Size = sizeof(DcamWaitStart), EventMask = eventMask, Timeout = timeoutMilliseconds };
        var err = DcamNative.dcamwait_start(_hwait, &start);
        happened = start.EventHappened;
        return err;
    }

    /// <summary><c>dcamwait_abort</c>: ends a <see cref="WaitStart"/> in progress on another thread.</summary>
    public void AbortWait()
    {
        var hwait = _hwait;
        if (hwait != 0)
        {
            Check(DcamNative.dcamwait_abort(hwait), "dcamwait_abort");
        }
    }

    /// <summary>Closes the wait handle then the device (both even when the first fails); throws the first failure.</summary>
    public void Dispose()
    {
        DcamException? first = null;
        if (_hwait != 0)
        {
            var err = DcamNative.dcamwait_close(_hwait);
            _hwait = 0;
            if (err < 0)
            {
                first = new DcamException(err, "dcamwait_close");
            }
        }

        if (_hdcam != 0)
        {
            var err = DcamNative.dcamdev_close(_hdcam);
            _hdcam = 0;
            if (err < 0)
            {
                first ??= new DcamException(err, "dcamdev_close");
            }
        }

        if (first is not null)
        {
            throw first;
        }
    }
}
