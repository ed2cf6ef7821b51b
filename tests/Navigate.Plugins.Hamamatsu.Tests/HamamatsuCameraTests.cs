using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests;

public sealed class HamamatsuCameraTests : SimulatorTest
{
    [Fact]
    public void Opens_by_index_and_reads_model_serial_and_sensor()
    {
        using var flash = HamamatsuCamera.Open(0, DcamSim.Options());
        using var fusion = HamamatsuCamera.Open(1, DcamSim.Options() with { Name = "right" });

        Assert.Equal(new CameraInfo("hamamatsu", "C13440-20CU", "301234", 2048, 2048, PixelType.UInt16, 16, 6.5), flash.Info);
        Assert.Equal(new CameraInfo("right", "C15440-20UP", "500678", 2304, 2304, PixelType.UInt16, 16, 6.5), fusion.Info);
        Assert.Equal((2048, 2048), (flash.FrameWidth, flash.FrameHeight));
        Assert.Equal(1, DcamSim.GetStats().InitCalls);
    }

    [Theory]
    [InlineData("500678")]
    [InlineData("S/N: 500678")]
    public void Opens_by_serial_number(string serial)
    {
        using var camera = HamamatsuCamera.OpenBySerial(serial, DcamSim.Options());

        Assert.Equal(1, camera.DeviceIndex);
        Assert.Equal("C15440-20UP", camera.Info.Model);
        Assert.Equal("500678", camera.Info.SerialNumber);
        // Camera #0 was opened to read its serial number and closed again.
        var stats = DcamSim.GetStats();
        Assert.Equal((1, 1), (stats.OpenCameras, stats.OpenWaits));
    }

    [Fact]
    public void An_unknown_serial_number_lists_the_cameras_found()
    {
        var e = Assert.Throws<ArgumentException>(() => HamamatsuCamera.OpenBySerial("999999", DcamSim.Options()));

        Assert.Equal("serialNumber", e.ParamName);
        Assert.StartsWith("No DCAM camera has serial number '999999'. Cameras found: #0: 301234, #1: 500678.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_beyond_the_cameras_found_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HamamatsuCamera.Open(2, DcamSim.Options()));

        Assert.Equal("index", e.ParamName);
        Assert.Contains("DCAM-API found 2 camera(s); there is no camera at index 2.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_open_cameras_share_one_dcamapi_init_and_the_last_close_uninitialises()
    {
        var first = HamamatsuCamera.Open(0, DcamSim.Options());
        var second = HamamatsuCamera.Open(1, DcamSim.Options());
        first.Dispose();
        Assert.Equal(1, DcamSim.GetStats().Initialized);
        Assert.Equal(0, DcamSim.GetStats().UninitCalls);

        second.Dispose();

        var stats = DcamSim.GetStats();
        Assert.Equal((1, 1, 0), (stats.InitCalls, stats.UninitCalls, stats.Initialized));
    }

    [Fact]
    public void Settings_are_snapped_to_the_cameras_steps_and_ranges()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        var requested = camera.Settings with
        {
            ExposureSeconds = 0.0123456,
            SensorMode = SensorMode.LightSheet,
            LineIntervalSeconds = 75.33e-6,
            ReadoutDirection = ReadoutDirection.BottomToTop,
            TriggerSource = TriggerSource.External,
            TriggerPolarity = TriggerPolarity.Positive,
        };

        var applied = camera.Configure(requested);

        // EXPOSURE TIME on the C13440: 1 ms .. 10 s in steps of 9.74 µs from the minimum.
        var expectedExposure = 1e-3 + (Math.Round((0.0123456 - 1e-3) / 9.74e-6) * 9.74e-6);
        Assert.Equal(expectedExposure, applied.ExposureSeconds, 12);
        Assert.Equal(7.53e-5, applied.LineIntervalSeconds, 12); // 0.1 µs steps
        Assert.Equal(SensorMode.LightSheet, applied.SensorMode);
        Assert.Equal(ReadoutDirection.BottomToTop, applied.ReadoutDirection);
        Assert.Equal(TriggerSource.External, applied.TriggerSource);
        Assert.Equal(TriggerPolarity.Positive, applied.TriggerPolarity);
        Assert.Equal(applied, camera.Settings);
        Assert.Equal(applied.ExposureSeconds, camera.GetProperty(0x001F0110));
        Assert.Equal(12, camera.GetProperty(0x00400210));
        Assert.Equal(2, camera.GetProperty(0x00400130));
        Assert.Equal(2, camera.GetProperty(0x00100110));
        Assert.Equal(2, camera.GetProperty(0x00100220));
    }

    [Fact]
    public void Values_outside_the_range_are_clamped_as_navigate_does()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        Assert.Equal(10.0, camera.Configure(camera.Settings with { ExposureSeconds = 100 }).ExposureSeconds);
        Assert.Equal(1e-3, camera.Configure(camera.Settings with { ExposureSeconds = 1e-9 }).ExposureSeconds, 12);
    }

    [Fact]
    public void Settings_round_trip_through_a_second_configure()
    {
        using var camera = HamamatsuCamera.Open(1, DcamSim.Options());
        var first = camera.Configure(camera.Settings with
        {
            ExposureSeconds = 0.02,
            Binning = 2,
            Roi = new RegionOfInterest(512, 256, 1024, 768),
            ReadoutDirection = ReadoutDirection.Bidirectional,
            TriggerSource = TriggerSource.Software,
            FrameRate = 20,
        });

        var second = camera.Configure(first);

        Assert.Equal(first, second);
        Assert.Equal(20, second.FrameRate);
        Assert.Equal(ReadoutDirection.Bidirectional, second.ReadoutDirection);
        Assert.Null(camera.Configure(second with { FrameRate = null }).FrameRate);
    }

    [Fact]
    public void Roi_and_binning_are_snapped_and_set_the_frame_size()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var applied = camera.Configure(camera.Settings with { Binning = 2, Roi = new RegionOfInterest(101, 203, 250, 130) });

        // Positions and sizes snap down to the subarray step of 4 (a multiple of the binning).
        Assert.Equal(new RegionOfInterest(100, 200, 248, 128), applied.Roi);
        Assert.Equal(2, applied.Binning);
        Assert.Equal((124, 64), (camera.FrameWidth, camera.FrameHeight));
        Assert.Equal(2, camera.GetProperty(0x00402150)); // SUBARRAY MODE on
    }

    [Fact]
    public void A_roi_past_the_sensor_edge_is_moved_inside()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var applied = camera.Configure(camera.Settings with { Roi = new RegionOfInterest(2000, 1990, 512, 256) });

        Assert.Equal(new RegionOfInterest(1536, 1792, 512, 256), applied.Roi);
    }

    [Fact]
    public void A_full_sensor_roi_turns_subarray_off()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 64, 64) });

        var applied = camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 2048, 2048) });

        Assert.Null(applied.Roi);
        Assert.Equal(1, camera.GetProperty(0x00402150));
        Assert.Equal((2048, 2048), (camera.FrameWidth, camera.FrameHeight));
    }

    [Fact]
    public void Binning_the_camera_cannot_do_names_the_setting_and_the_choices()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var odd = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { Binning = 3 }));
        var big = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { Binning = 8 }));

        Assert.Equal("settings.Binning", odd.ParamName);
        Assert.Contains("settings.Binning is 3; expected 1, 2, 4", odd.Message, StringComparison.Ordinal);
        Assert.Equal("settings.Binning", big.ParamName);
        Assert.Contains("settings.Binning is 8; this camera bins 1, 2, 4.", big.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readout_direction_the_model_lacks_is_refused_with_the_dcam_error_inside()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { ReadoutDirection = ReadoutDirection.Bidirectional }));

        Assert.Contains("settings.ReadoutDirection: the C13440-20CU does not accept READOUT DIRECTION (0x00400130) = 6 (OUTOFRANGE)", e.Message, StringComparison.Ordinal);
        var dcam = Assert.IsType<DcamException>(e.InnerException);
        Assert.Equal("OUTOFRANGE", dcam.ErrorName);
        Assert.Equal(0x00400130, dcam.PropertyId);
    }

    [Fact]
    public void Trigger_active_and_mode_are_set_from_options_and_properties()
    {
        using (var camera = HamamatsuCamera.Open(0, DcamSim.Options() with { TriggerActive = DcamTriggerActive.SyncReadout, TriggerMode = DcamTriggerMode.Start }))
        {
            Assert.Equal(DcamTriggerActive.SyncReadout, camera.TriggerActive);
            Assert.Equal(DcamTriggerMode.Start, camera.TriggerMode);
            camera.TriggerActive = DcamTriggerActive.Level;
            Assert.Equal(DcamTriggerActive.Level, camera.TriggerActive);
            Assert.Equal(2, camera.GetProperty(0x00100120));
        }
    }

    [Fact]
    public void Properties_report_dcam_ranges_steps_units_and_writability()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var properties = camera.DescribeProperties().ToDictionary(p => p.Name);

        Assert.Equal(new CameraProperty("exposure_time", 0.01, 1e-3, 10, 9.74e-6, "s", true), properties["exposure_time"]);
        Assert.Equal(new CameraProperty("subarray_hsize", 2048, 4, 2048, 4, "px", true), properties["subarray_hsize"]);
        Assert.Equal(new CameraProperty("image_width", 2048, 4, 2048, 0, "px", false), properties["image_width"]);
        Assert.Equal(new CameraProperty("pixel_width", 6.5, 6.5, 6.5, 0, "µm", false), properties["pixel_width"]);
        Assert.Equal(1, properties["sensor_mode"].Minimum);
        Assert.Equal(12, properties["sensor_mode"].Maximum);
        Assert.False(properties["readout_time"].Writable);
        Assert.Equal("s", properties["internal_line_interval"].Unit);
        Assert.Contains("trigger_source", properties.Keys);
        Assert.Contains("binning", properties.Keys);
    }

    [Fact]
    public void Settings_cannot_change_while_acquiring()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 64, 64), TriggerSource = TriggerSource.External });
        using var pool = new FramePool(2, 64, 64, PixelType.UInt16);
        camera.StartSequence(pool, 0);

        var e = Assert.Throws<InvalidOperationException>(() => camera.Configure(camera.Settings with { ExposureSeconds = 0.05 }));

        Assert.Contains("is acquiring; stop the sequence before changing settings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_camera_refuses_use_and_disposing_twice_is_harmless()
    {
        var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Dispose();
        camera.Dispose();

        Assert.Throws<ObjectDisposedException>(() => camera.Configure(new CameraSettings()));
        Assert.Throws<ObjectDisposedException>(() => camera.GetProperty(0x001F0110));
        camera.StopSequence();
    }
}
