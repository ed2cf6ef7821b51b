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
    // Every parameter struct the simulator checks against sizeof (dcam-abi.md: the library rejects a wrong size), with
    // the call the bindings make with it and the message DcamDevice.Check gives for that call.
    private static readonly (string Struct, string Function, int? Property, string Message)[] SizeChecked =
    [
        ("DCAMAPI_INIT", "dcamapi_init", null, "dcamapi_init() failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMDEV_OPEN", "dcamdev_open", null, "dcamdev_open(index 0) failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMDEV_STRING", "dcamdev_getstring", null, "dcamdev_getstring(string 0x04000102) failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMPROP_ATTR", "dcamprop_getattr", DcamProperties.ExposureTime, "dcamprop_getattr(EXPOSURE TIME (0x001F0110)) failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMBUF_ATTACH", "dcambuf_attach", null, "dcambuf_attach(2 buffers) failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMCAP_TRANSFERINFO", "dcamcap_transferinfo", null, "dcamcap_transferinfo() failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMWAIT_OPEN", "dcamwait_open", null, "dcamwait_open() failed: DCAMERR_INVALIDPARAM (0x80000808)"),
        ("DCAMWAIT_START", "dcamwait_start", null, "dcamwait_start() failed: DCAMERR_INVALIDPARAM (0x80000808)"),
    ];

    // Unset (a struct built without its size), 8 bytes short (an older, smaller header) and 8 bytes over.
    private static readonly string[] WrongSizeKinds = ["unset", "short", "long"];

    public static TheoryData<string, string> WrongSizes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (structure, _, _, _) in SizeChecked)
            {
                foreach (var kind in WrongSizeKinds)
                {
                    data.Add(structure, kind);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(WrongSizes))]
    public void A_wrong_struct_size_is_INVALIDPARAM(string structure, string kind)
    {
        var expected = SizeChecked.Single(c => c.Struct == structure);

        var e = CallWithWrongSize(structure, kind);

        AssertError(e, "INVALIDPARAM", 0x80000808, expected.Function, expected.Property);
        Assert.Equal(expected.Message, e.Message);
    }

    [Fact]
    public void The_wrong_size_cases_cover_every_struct_the_simulator_lays_out()
    {
        DcamSim.RequireBuilt();
        var count = 0;
        while (DcamSim.Layout(count, -1) != -1)
        {
            count++;
        }

        // A struct added to the simulator (and so to its size checks) needs its case in SizeChecked.
        Assert.Equal(SizeChecked.Length, count);
    }

    private static int WrongSize(int size, string kind) => kind switch
    {
        "unset" => 0,
        "short" => size - 8,
        "long" => size + 8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unset, short or long"),
    };

    // Makes the call with `structure` of a wrong size and checks that the library touched neither the struct's outputs
    // nor its own state: a size it does not know means it cannot know where the fields are.
    private static DcamException CallWithWrongSize(string structure, string kind)
    {
        DcamLibrary.Load(DcamSim.LibraryPath, null);
        int err;
        switch (structure)
        {
            case "DCAMAPI_INIT":
            {
                var init = new DcamApiInit { Size = WrongSize(sizeof(DcamApiInit), kind), DeviceCount = -1 };
                err = DcamNative.dcamapi_init(&init);
                var initialized = DcamSim.GetStats().Initialized;

                // The refused call still counts as an init; uninit after a failed init, as DcamApi and Hamamatsu's
                // samples do, keeps the counts balanced for SimulatorTest.
                _ = DcamNative.dcamapi_uninit();
                Assert.Equal((0, -1), (initialized, init.DeviceCount));
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamapi_init"));
            }

            case "DCAMDEV_OPEN":
            {
                using var lease = DcamApi.Acquire();
                var open = new DcamDevOpen { Size = WrongSize(sizeof(DcamDevOpen), kind), Index = 0 };
                err = DcamNative.dcamdev_open(&open);
                Assert.Equal((0, 0), (DcamSim.GetStats().OpenCameras, open.Hdcam));
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamdev_open", null, "index 0"));
            }

            case "DCAMDEV_STRING":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);
                var text = stackalloc byte[64];
                text[0] = (byte)'?';
                var param = new DcamDevString { Size = WrongSize(sizeof(DcamDevString), kind), StringId = DcamConstants.StringCameraId, Text = (nint)text, TextBytes = 64 };
                err = DcamNative.dcamdev_getstring(device.Handle, &param);
                Assert.Equal((byte)'?', text[0]);
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamdev_getstring", null, "string 0x04000102"));
            }

            case "DCAMPROP_ATTR":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);
                var attr = new DcamPropAttr { Size = WrongSize(sizeof(DcamPropAttr), kind), PropertyId = DcamProperties.ExposureTime };
                err = DcamNative.dcamprop_getattr(device.Handle, &attr);
                Assert.Equal((0, 0.0), (attr.Attribute, attr.ValueMax));
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamprop_getattr", DcamProperties.ExposureTime));
            }

            case "DCAMBUF_ATTACH":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);

                // Never written: the camera writes into attached buffers only once a capture starts.
                var frame = stackalloc byte[64];
                var buffers = stackalloc nint[2];
                buffers[0] = (nint)frame;
                buffers[1] = (nint)frame;
                var attach = new DcamBufAttach { Size = WrongSize(sizeof(DcamBufAttach), kind), Kind = DcamConstants.AttachKindFrame, Buffers = (nint)buffers, BufferCount = 2 };
                err = DcamNative.dcambuf_attach(device.Handle, &attach);
                Assert.Equal(0, DcamSim.GetStats().Attached);
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcambuf_attach", null, "2 buffers"));
            }

            case "DCAMCAP_TRANSFERINFO":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);
                var info = new DcamCapTransferInfo { Size = WrongSize(sizeof(DcamCapTransferInfo), kind), Kind = DcamConstants.TransferKindFrame, NewestFrameIndex = 1234, FrameCount = 1234 };
                err = DcamNative.dcamcap_transferinfo(device.Handle, &info);
                Assert.Equal((1234, 1234), (info.NewestFrameIndex, info.FrameCount));
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamcap_transferinfo"));
            }

            case "DCAMWAIT_OPEN":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);
                var wait = new DcamWaitOpen { Size = WrongSize(sizeof(DcamWaitOpen), kind), Hdcam = device.Handle };
                err = DcamNative.dcamwait_open(&wait);
                Assert.Equal((1, 0, 0), (DcamSim.GetStats().OpenWaits, wait.Hwait, wait.SupportEvent)); // the device's own wait only
                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamwait_open"));
            }

            case "DCAMWAIT_START":
            {
                using var lease = DcamApi.Acquire();
                using var device = DcamDevice.Open(0);

                // A wait handle of its own: DcamDevice builds its DCAMWAIT_START with the right size.
                var wait = new DcamWaitOpen { Size = sizeof(DcamWaitOpen), Hdcam = device.Handle };
                DcamDevice.Check(DcamNative.dcamwait_open(&wait), "dcamwait_open");
                try
                {
                    var start = new DcamWaitStart { Size = WrongSize(sizeof(DcamWaitStart), kind), EventMask = DcamConstants.EventFrameReady, Timeout = 0, EventHappened = -1 };
                    err = DcamNative.dcamwait_start(wait.Hwait, &start);
                    Assert.Equal(-1, start.EventHappened);
                }
                finally
                {
                    DcamDevice.Check(DcamNative.dcamwait_close(wait.Hwait), "dcamwait_close");
                }

                return Assert.Throws<DcamException>(() => DcamDevice.Check(err, "dcamwait_start"));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(structure), structure, "not a struct the simulator checks");
        }
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
