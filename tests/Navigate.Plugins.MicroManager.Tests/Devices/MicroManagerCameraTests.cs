using System.Text.Json.Nodes;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Devices;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Devices;

[Collection(SharedJvm.Name)]
public sealed class MicroManagerCameraTests(JvmFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly JvmFixture _fixture = fixture;

    private static List<Frame> Drain(ICamera camera, int max = int.MaxValue)
    {
        var frames = new List<Frame>();
        while (frames.Count < max)
        {
            var result = camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken);
            if (result == FrameWaitResult.Completed)
            {
                break;
            }

            Assert.Equal(FrameWaitResult.Frame, result);
            frames.Add(frame!);
        }

        return frames;
    }

    [Fact]
    public void Opens_the_cores_current_camera_with_its_sensor_and_pixel_format()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        Assert.Equal("micromanager", rig.CameraFactory.Name);
        Assert.Equal(new CameraInfo("micromanager", "DemoCamera DCam", "", 512, 512, PixelType.UInt16, 16, 0), camera.Info);
        Assert.Equal("Camera", camera.Label);
        Assert.Equal(0.002, camera.Settings.ExposureSeconds, 9);
        Assert.Null(camera.Settings.Roi);
        Assert.False(camera.IsAcquiring);
    }

    [Fact]
    public void A_sequence_delivers_every_frame_in_order_with_the_frame_number_in_its_pixels()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(8, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.001 });

        camera.StartSequence(pool, 50);
        Assert.True(camera.IsAcquiring);
        var numbers = new List<long>();
        while (camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                Assert.Equal((512, 512, PixelType.UInt16), (frame!.Width, frame.Height, frame.PixelType));
                StandIn.AssertPixels(frame, frame.FrameNumber);
                numbers.Add(frame.FrameNumber);
            }
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), numbers);
        Assert.Equal(new CameraCounters(50, 0), camera.Counters);
        Assert.False(camera.IsAcquiring);
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(TimeSpan.Zero, out _, TestContext.Current.CancellationToken));
        Assert.Equal(8, pool.Available);
    }

    [Fact]
    public void Timestamps_come_from_the_core_and_increase()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(8, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.005 });
        camera.StartSequence(pool, 5);
        var frames = Drain(camera);
        var stamps = frames.Select(f => f.Timestamp).ToList();
        frames.ForEach(f => f.Dispose());
        Assert.Equal(5, stamps.Count);
        Assert.True(stamps.Zip(stamps.Skip(1)).All(p => p.Second > p.First), string.Join(", ", stamps));
        Assert.True(stamps[^1] >= TimeSpan.FromMilliseconds(20), string.Join(", ", stamps));
    }

    [Fact]
    public void Snap_delivers_one_image_per_call()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(2, 512, 512, PixelType.UInt16);
        for (var i = 0; i < 3; i++)
        {
            using var frame = camera.Snap(pool);
            Assert.Equal(i, frame.FrameNumber);
            StandIn.AssertPixels(frame, i);
        }
    }

    [Fact]
    public void A_region_of_interest_is_applied_in_sensor_pixels_and_read_back()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        var roi = new RegionOfInterest(64, 32, 128, 96);
        var effective = camera.Configure(camera.Settings with { Roi = roi, ExposureSeconds = 0 });
        Assert.Equal(roi, effective.Roi);
        Assert.Equal(roi, camera.Settings.Roi);

        using var pool = new FramePool(4, 512, 512, PixelType.UInt16);
        using (var snap = camera.Snap(pool))
        {
            Assert.Equal((128, 96), (snap.Width, snap.Height));
            StandIn.AssertPixels(snap, 0, left: 64, top: 32);
        }

        camera.StartSequence(pool, 3);
        var frames = Drain(camera);
        Assert.Equal(3, frames.Count);
        foreach (var frame in frames)
        {
            using (frame)
            {
                StandIn.AssertPixels(frame, frame.FrameNumber, left: 64, top: 32);
            }
        }

        Assert.Null(camera.Configure(camera.Settings with { Roi = null }).Roi);
        Assert.Equal(512 * 512, camera.Snap(pool).Pixels<ushort>().Length);
    }

    [Fact]
    public void Binning_uses_the_cameras_property_and_the_ROI_stays_in_sensor_pixels()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        var effective = camera.Configure(camera.Settings with { Binning = 2, Roi = new RegionOfInterest(64, 32, 128, 96), ExposureSeconds = 0 });
        Assert.Equal(2, effective.Binning);
        Assert.Equal(new RegionOfInterest(64, 32, 128, 96), effective.Roi);
        Assert.Equal("2", camera.GetProperty("Binning"));

        using var pool = new FramePool(2, 512, 512, PixelType.UInt16);
        using var frame = camera.Snap(pool);
        Assert.Equal((64, 48), (frame.Width, frame.Height));
        StandIn.AssertPixels(frame, 0, left: 64, top: 32, binning: 2);
    }

    [Fact]
    public void Settings_the_camera_cannot_take_are_refused_naming_the_setting()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        var binning = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { Binning = 3 }));
        Assert.StartsWith("Binning: camera 'Camera' allows 1, 2, 4, 8.", binning.Message);
        var roi = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { Roi = new RegionOfInterest(500, 0, 100, 10) }));
        Assert.StartsWith("Roi: 100×10 at (500, 0) does not fit the 512×512 sensor of camera 'Camera'.", roi.Message);
        var mode = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { SensorMode = SensorMode.LightSheet }));
        Assert.StartsWith("SensorMode: Micro-Manager cameras have no standard light-sheet readout", mode.Message);
        var trigger = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { TriggerSource = TriggerSource.External }));
        Assert.StartsWith("TriggerSource: only TriggerSource.Internal", trigger.Message);
        Assert.Throws<InvalidOperationException>(camera.FireSoftwareTrigger);
    }

    [Fact]
    public void Exposure_is_snapped_into_the_cameras_range()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        Assert.Equal(0.0125, camera.Configure(camera.Settings with { ExposureSeconds = 0.0125 }).ExposureSeconds, 9);
        Assert.Equal(10.0, camera.Configure(camera.Settings with { ExposureSeconds = 20 }).ExposureSeconds, 9);
        Assert.Equal("10000.0000", camera.GetProperty("Exposure"));
    }

    [Fact]
    public void Described_properties_carry_the_cameras_ranges()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        var properties = camera.DescribeProperties().ToDictionary(p => p.Name);
        Assert.Equal(new CameraProperty("exposure_time", 0.002, 0, 10, 0, "s", true), properties["exposure_time"]);
        Assert.Equal(new CameraProperty("binning", 1, 1, 8, 0, "", true), properties["binning"]);
        Assert.Equal(new CameraProperty("OnCameraCCDXSize", 512, 16, 8192, 0, "", true), properties["OnCameraCCDXSize"]);
    }

    [Fact]
    public void A_camera_that_is_acquiring_refuses_to_be_configured_or_started_again()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(4, 512, 512, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        Assert.Throws<InvalidOperationException>(() => camera.Configure(camera.Settings));
        Assert.Throws<InvalidOperationException>(() => camera.StartSequence(pool, 1));
        Assert.Throws<InvalidOperationException>(() => camera.Snap(pool));
        camera.StopSequence();
        Assert.False(camera.IsAcquiring);
    }

    [Fact]
    public void A_continuous_sequence_runs_until_stopped_and_then_delivers_what_the_camera_had_captured()
    {
        // A 128 MB buffer holds 256 frames: only a stall of 1.3 s on a loaded machine would make the core drop any,
        // and drops would show as gaps that the counters must account for.
        using var rig = MicroManagerRig.Create(settings: new JsonObject { ["circularBufferMB"] = 128 });
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(4, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.005 });
        camera.StartSequence(pool, 0);
        var before = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken));
            using (frame)
            {
                StandIn.AssertPixels(frame!, frame!.FrameNumber);
                before.Add(frame.FrameNumber);
            }
        }

        WaitForBufferedFrames(camera); // frames the camera captured but nobody took yet
        camera.StopSequence();
        Assert.False(camera.IsAcquiring);
        Assert.False(camera.Core.IsSequenceRunning());
        var after = new List<long>();
        while (camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                StandIn.AssertPixels(frame!, frame!.FrameNumber);
                after.Add(frame.FrameNumber);
            }
        }

        // Nothing captured before the stop is lost: the frames left in the buffer follow on without a gap.
        Assert.True(after.Count >= 2);
        Assert.Equal(Enumerable.Range((int)after[0], after.Count).Select(i => (long)i), after);
        var all = before.Concat(after).ToList();
        Assert.True(all.Zip(all.Skip(1)).All(p => p.Second > p.First));
        Assert.Equal(new CameraCounters(all.Count, all[^1] + 1 - all.Count), camera.Counters);
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(TimeSpan.Zero, out _, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Stopping_a_finite_sequence_early_counts_no_drops_and_a_new_start_discards_what_was_not_taken()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(4, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.002 });
        camera.StartSequence(pool, 1000);
        Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(Wait, out var first, TestContext.Current.CancellationToken));
        first!.Dispose();
        WaitForBufferedFrames(camera);
        camera.StopSequence();
        camera.StopSequence();
        Assert.False(camera.IsAcquiring);
        Assert.True(camera.Core.GetRemainingImageCount() > 0);

        // Not drained: the next start throws the stopped sequence's frames away and numbers from 0 again.
        camera.StartSequence(pool, 3);
        var frames = Drain(camera);
        Assert.Equal([0L, 1L, 2L], frames.Select(f => f.FrameNumber));
        frames.ForEach(f => f.Dispose());
        Assert.Equal(new CameraCounters(3, 0), camera.Counters);
    }

    [Fact]
    public void A_pool_with_no_free_buffer_drops_frames_and_counts_them()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(2, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.001 });
        camera.StartSequence(pool, 10);
        var kept = Drain(camera);
        Assert.Equal([0L, 1L], kept.Select(f => f.FrameNumber));
        Assert.Equal(new CameraCounters(2, 8), camera.Counters);
        kept.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Frames_lost_to_a_circular_buffer_overflow_are_counted_as_dropped()
    {
        // 2 MB hold four 512 KB frames; the camera runs at full speed while nobody reads, so the core clears its
        // buffer again and again (stopOnOverflow = false) and the lost frames leave gaps in the image numbers.
        using var rig = MicroManagerRig.Create(settings: new JsonObject { ["circularBufferMB"] = 2 });
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(8, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0 });
        camera.StartSequence(pool, 100);
        WaitUntilTheCameraStops(camera);

        var frames = Drain(camera);
        var numbers = frames.Select(f => f.FrameNumber).ToList();
        foreach (var frame in frames)
        {
            using (frame)
            {
                StandIn.AssertPixels(frame, frame.FrameNumber);
            }
        }

        Assert.InRange(frames.Count, 1, 4);
        Assert.Equal(99, numbers[^1]);
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.Second > p.First));
        Assert.Equal(new CameraCounters(frames.Count, 100 - frames.Count), camera.Counters);
    }

    [Fact]
    public void With_stopOnOverflow_the_core_stops_the_camera_and_the_rest_of_the_sequence_counts_as_dropped()
    {
        using var rig = MicroManagerRig.Create(settings: new JsonObject { ["circularBufferMB"] = 2, ["stopOnOverflow"] = true });
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(8, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0 });
        camera.StartSequence(pool, 100);
        WaitUntilTheCameraStops(camera);
        Assert.True(camera.Core.IsBufferOverflowed());

        var frames = Drain(camera);
        Assert.Equal([0L, 1L, 2L, 3L], frames.Select(f => f.FrameNumber));
        frames.ForEach(f => f.Dispose());
        Assert.Equal(new CameraCounters(4, 96), camera.Counters);
    }

    [Fact]
    public void A_device_error_mid_sequence_ends_it_with_an_exception_after_the_frames_that_were_acquired()
    {
        using var rig = MicroManagerRig.Create();
        using var camera = rig.OpenCamera();
        using var pool = new FramePool(8, 512, 512, PixelType.UInt16);
        camera.Configure(camera.Settings with { ExposureSeconds = 0.001 });
        camera.SetProperty("FailAfterImages", "5");
        camera.StartSequence(pool, 20);
        var frames = new List<Frame>();
        var e = Assert.Throws<MicroManagerAcquisitionException>(() =>
        {
            while (camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
            {
                frames.Add(frame!);
            }
        });
        Assert.Equal([0L, 1L, 2L, 3L, 4L], frames.Select(f => f.FrameNumber));
        frames.ForEach(f => f.Dispose());
        Assert.StartsWith("Camera 'Camera' stopped after 5 of 20 frames (5 delivered, 0 dropped): the device ended the sequence early", e.Message);
        Assert.False(camera.IsAcquiring);

        // The camera is usable again.
        camera.SetProperty("FailAfterImages", "0");
        camera.StartSequence(pool, 2);
        var again = Drain(camera);
        Assert.Equal([0L, 1L], again.Select(f => f.FrameNumber));
        again.ForEach(f => f.Dispose());
    }

    [Fact]
    public void The_JVM_survives_opening_and_closing_the_camera_again_and_again_with_garbage_collections()
    {
        using var rig = MicroManagerRig.Create();
        using var pool = new FramePool(4, 512, 512, PixelType.UInt16);
        for (var i = 0; i < 12; i++)
        {
            using (var camera = rig.OpenCamera())
            {
                camera.Configure(camera.Settings with { ExposureSeconds = 0 });
                using (var snap = camera.Snap(pool))
                {
                    StandIn.AssertPixels(snap, 0);
                }

                camera.StartSequence(pool, 3);
                var frames = Drain(camera);
                Assert.Equal([0L, 1L, 2L], frames.Select(f => f.FrameNumber));
                frames.ForEach(f => f.Dispose());
                if (i % 2 == 0)
                {
                    camera.StartSequence(pool, 0); // closed while acquiring
                }
            }

            using (var stage = rig.StageFactory("micromanager:focus").Open())
            {
                Assert.Equal(0, stage.GetPosition().Z);
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        Assert.Same(_fixture.Jvm, MicroManager.Jni.JavaVirtualMachine.Current);
    }

    private static void WaitForBufferedFrames(MicroManagerCamera camera)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (camera.Core.GetRemainingImageCount() < 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
    }

    private static void WaitUntilTheCameraStops(MicroManagerCamera camera)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (camera.Core.IsSequenceRunning() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        Assert.False(camera.Core.IsSequenceRunning());
    }
}
