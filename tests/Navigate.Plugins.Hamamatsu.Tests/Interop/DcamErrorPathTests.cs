using System.Runtime.InteropServices;
using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Interop;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests.Interop;

/// <summary>
/// Each way DCAM-API fails, through the bindings, as a <see cref="DcamException"/> with the error's name, code,
/// function and property.
/// </summary>
public sealed unsafe class DcamErrorPathTests : SimulatorTest
{
    [Fact]
    public void A_wrong_struct_size_is_INVALIDPARAM()
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        using var device = DcamDevice.Open(0);
        var attr = new DcamPropAttr { Size = sizeof(DcamPropAttr) - 8, PropertyId = DcamProperties.ExposureTime };

        var err = DcamNative.dcamprop_getattr(device.Handle, &attr);
        var e = Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamprop_getattr", DcamProperties.ExposureTime));

        AssertError(e, "INVALIDPARAM", 0x80000808, "dcamprop_getattr", DcamProperties.ExposureTime);
        Assert.Equal("dcamprop_getattr(EXPOSURE TIME (0x001F0110)) failed: DCAMERR_INVALIDPARAM (0x80000808)", e.Message);
    }

    [Fact]
    public void A_bad_handle_is_INVALIDHANDLE()
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        double value;

        var err = DcamNative.dcamprop_getvalue(0x1234, DcamProperties.ExposureTime, &value);
        var e = Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamprop_getvalue", DcamProperties.ExposureTime));

        AssertError(e, "INVALIDHANDLE", 0x80000807, "dcamprop_getvalue", DcamProperties.ExposureTime);
    }

    [Fact]
    public void A_closed_handle_is_INVALIDHANDLE_too()
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        var device = DcamDevice.Open(0);
        var stale = device.Handle;
        device.Dispose();

        var err = DcamNative.dcamcap_stop(stale);
        var e = Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamcap_stop"));

        AssertError(e, "INVALIDHANDLE", 0x80000807, "dcamcap_stop", null);
        Assert.Equal("dcamcap_stop() failed: DCAMERR_INVALIDHANDLE (0x80000807)", e.Message);
    }

    [Fact]
    public void An_unknown_property_is_INVALIDPROPERTYID()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var e = Assert.Throws<DcamException>(() => camera.GetProperty(0x00999990));

        AssertError(e, "INVALIDPROPERTYID", 0x80000825, "dcamprop_getvalue", 0x00999990);
        Assert.Equal("property 0x00999990", e.PropertyName);
        Assert.Equal("dcamprop_getvalue(property 0x00999990) failed: DCAMERR_INVALIDPROPERTYID (0x80000825)", e.Message);
    }

    [Fact]
    public void A_value_out_of_range_is_OUTOFRANGE()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var e = Assert.Throws<DcamException>(() => camera.SetProperty(DcamProperties.ExposureTime, 99));

        AssertError(e, "OUTOFRANGE", 0x80000822, "dcamprop_setgetvalue", DcamProperties.ExposureTime);
        Assert.Equal("dcamprop_setgetvalue(EXPOSURE TIME (0x001F0110), value 99) failed: DCAMERR_OUTOFRANGE (0x80000822)", e.Message);
        Assert.Equal(0.01, camera.Settings.ExposureSeconds);
    }

    [Fact]
    public void Writing_a_read_only_property_is_NOTWRITABLE()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var e = Assert.Throws<DcamException>(() => camera.SetProperty(DcamProperties.ImageWidth, 1024));

        AssertError(e, "NOTWRITABLE", 0x80000823, "dcamprop_setgetvalue", DcamProperties.ImageWidth);
    }

    [Fact]
    public void Starting_without_buffers_is_NOTREADY()
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        using var device = DcamDevice.Open(0);

        var e = Assert.Throws<DcamException>(device.StartSequence);

        AssertError(e, "NOTREADY", 0x80000103, "dcamcap_start", null);
        Assert.Equal("dcamcap_start(SEQUENCE) failed: DCAMERR_NOTREADY (0x80000103)", e.Message);
    }

    [Fact]
    public void Attaching_while_capturing_is_BUSY()
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        using var device = DcamDevice.Open(0);
        device.SetGet(DcamProperties.TriggerSource, 2); // external: the camera waits, nothing is written
        var buffers = stackalloc nint[2];
        var memory = (nint)NativeMemory.Alloc(2048 * 2048 * 2 * 2);
        try
        {
            buffers[0] = memory;
            buffers[1] = memory + (2048 * 2048 * 2);
            device.Attach(buffers, 2);
            device.StartSequence();

            var e = Assert.Throws<DcamException>(() => device.Attach(buffers, 2));

            AssertError(e, "BUSY", 0x80000101, "dcambuf_attach", null);
            Assert.Equal("dcambuf_attach(2 buffers) failed: DCAMERR_BUSY (0x80000101)", e.Message);
            Assert.Equal("BUSY", Assert.Throws<DcamException>(device.Release).ErrorName);
            device.Stop();
            device.Release();
        }
        finally
        {
            NativeMemory.Free((void*)memory);
        }
    }

    [Fact]
    public void A_wait_that_times_out_is_TIMEOUT_and_the_camera_reports_it_as_a_timeout()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { TriggerSource = TriggerSource.External, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(2, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);

        Assert.Equal(FrameWaitResult.Timeout, camera.WaitForFrame(TimeSpan.FromMilliseconds(30), out var frame, TestContext.Current.CancellationToken));
        Assert.Null(frame);

        DcamLibrary.Load(DcamSim.LibraryPath, null);
        using var lease = DcamApi.Acquire();
        using var device = DcamDevice.Open(1);
        var err = device.WaitStart(DcamConstants.EventFrameReady, 10, out _);
        var e = Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamwait_start"));
        AssertError(e, "TIMEOUT", 0x80000106, "dcamwait_start", null);
    }

    [Fact]
    public void A_failing_dcamapi_init_is_reported_and_still_uninitialised()
    {
        DcamSim.FailNext("dcamapi_init", unchecked((int)0x80000205));

        var e = Assert.Throws<DcamException>(() => HamamatsuCamera.Open(0, DcamSim.Options()));

        AssertError(e, "NODRIVER", 0x80000205, "dcamapi_init", null);
        var stats = DcamSim.GetStats();
        Assert.Equal((1, 1), (stats.InitCalls, stats.UninitCalls));
    }

    [Fact]
    public void A_failure_while_opening_closes_what_was_opened()
    {
        DcamSim.FailNext("dcamwait_open", unchecked((int)0x80000201));

        var e = Assert.Throws<DcamException>(() => HamamatsuCamera.Open(1, DcamSim.Options()));

        AssertError(e, "NORESOURCE", 0x80000201, "dcamwait_open", null);
        Assert.Equal(0, DcamSim.GetStats().OpenCameras);
    }

    [Fact]
    public void No_camera_is_not_an_error_for_enumeration()
    {
        DcamSim.SetEnvironment("DCAMSIM_CAMERAS", "");

        var cameras = HamamatsuCamera.Enumerate(DcamSim.Options());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HamamatsuCamera.Open(0, DcamSim.Options()));

        Assert.Empty(cameras);
        Assert.Contains("DCAM-API found 0 camera(s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_error_codes_are_named_UNKNOWN_with_their_hex_code()
    {
        var e = new DcamException(unchecked((int)0x8ABCDEF0), "dcamcap_start");

        Assert.Equal("dcamcap_start() failed: DCAMERR_UNKNOWN (0x8ABCDEF0)", e.Message);
    }

    private static void AssertError(DcamException e, string name, uint code, string function, int? property)
    {
        Assert.Equal(name, e.ErrorName);
        Assert.Equal(unchecked((int)code), e.ErrorCode);
        Assert.Equal(function, e.Function);
        Assert.Equal(property, e.PropertyId);
        Assert.Contains($"DCAMERR_{name} (0x{code:X8})", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(function + "(", e.Message, StringComparison.Ordinal);
        if (property is { } id)
        {
            Assert.Contains($"0x{id:X8}", e.Message, StringComparison.Ordinal);
        }
    }
}
