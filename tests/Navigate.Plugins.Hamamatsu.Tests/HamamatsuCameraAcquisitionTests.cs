using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests;

public sealed class HamamatsuCameraAcquisitionTests : SimulatorTest
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_sequence_delivers_every_frame_once_in_order_with_its_pixels()
    {
        // 400 frames/s into 128 buffers (SEQUENCE: more frames than buffers): the consumer may stall 320 ms (a loaded CI
        // machine) without losing a frame.
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options(ringFrames: 128));
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, FrameRate = 400, Roi = new RegionOfInterest(96, 40, 64, 32) });
        using var pool = new FramePool(8, 64, 32, PixelType.UInt16);

        camera.StartSequence(pool, 200);
        Assert.True(camera.IsAcquiring);
        var numbers = new List<long>();
        while (camera.WaitForFrame(Long, out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                Assert.Equal((64, 32), (frame!.Width, frame.Height));
                DcamSim.AssertContent(frame, hpos: 96, vpos: 40, binning: 1);
                numbers.Add(frame.FrameNumber);
            }
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), numbers);
        Assert.Equal(new CameraCounters(200, 0), camera.Counters);
        Assert.False(camera.IsAcquiring);
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(TimeSpan.Zero, out _, Token));
        Assert.Equal((0, 0), (DcamSim.GetStats().Capturing, DcamSim.GetStats().Attached));
    }

    [Fact]
    public void Roi_and_binning_are_reflected_in_the_delivered_frames()
    {
        using var camera = HamamatsuCamera.Open(1, DcamSim.Options());
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-4, Binning = 4, Roi = new RegionOfInterest(1030, 515, 130, 66) });
        Assert.Equal(new RegionOfInterest(1028, 512, 128, 64), camera.Settings.Roi);
        using var pool = new FramePool(4, 32, 16, PixelType.UInt16);

        camera.StartSequence(pool, 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(Long, out var frame, Token));
            using (frame)
            {
                Assert.Equal((32, 16), (frame!.Width, frame.Height));
                DcamSim.AssertContent(frame, hpos: 1028, vpos: 512, binning: 4);
            }
        }

        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(Long, out _, Token));
    }

    [Fact]
    public void Full_frames_of_both_models_arrive_whole()
    {
        foreach (var (index, size) in new[] { (0, 2048), (1, 2304) })
        {
            using var camera = HamamatsuCamera.Open(index, DcamSim.Options(ringFrames: 3));
            camera.Configure(camera.Settings with { ExposureSeconds = 1e-3 });
            using var pool = new FramePool(2, size, size, PixelType.UInt16);
            camera.StartSequence(pool, 2);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(Long, out var frame, Token));
                using (frame)
                {
                    Assert.Equal(i, frame!.FrameNumber);
                    Assert.Equal((size, size), (frame.Width, frame.Height));
                    DcamSim.AssertContent(frame, 0, 0, 1);
                }
            }

            Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(Long, out _, Token));
        }
    }

    [Fact]
    public void Light_sheet_mode_acquires_at_exposure_plus_line_interval_pacing()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with
        {
            SensorMode = SensorMode.LightSheet,
            ExposureSeconds = 1e-3,
            LineIntervalSeconds = 1e-5,
            Roi = new RegionOfInterest(0, 0, 32, 32),
        });
        using var pool = new FramePool(4, 32, 32, PixelType.UInt16);

        camera.StartSequence(pool, 5);
        var numbers = Drain(camera);

        Assert.Equal([0, 1, 2, 3, 4], numbers);
        Assert.Equal(1e-3 + (32 * 1e-5), camera.GetProperty(0x00403020), 9); // TIMING CYCLIC TRIGGER PERIOD
    }

    [Fact]
    public void Frames_overwritten_before_they_are_read_are_counted_as_dropped_never_delivered()
    {
        // Software triggers make the overwrite deterministic: ten frames into a four-buffer ring before any is read.
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options(ringFrames: 4));
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, TriggerSource = TriggerSource.Software, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(8, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        for (var i = 0; i < 10; i++)
        {
            camera.FireSoftwareTrigger();
        }

        DcamSim.WaitCaptured(0, 10);
        var delivered = new List<long>();
        while (camera.WaitForFrame(TimeSpan.FromMilliseconds(50), out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                DcamSim.AssertContent(frame!, 0, 0, 1);
                delivered.Add(frame!.FrameNumber);
            }
        }

        // Count 10 with 4 buffers: frame k is intact while 10 - k < 4, so frames 7, 8 and 9.
        Assert.Equal([7, 8, 9], delivered);
        Assert.Equal(new CameraCounters(3, 7), camera.Counters);
        Assert.Equal(7, camera.FramesOverwritten);
        Assert.Equal(0, camera.FramesPoolExhausted);
        camera.StopSequence();
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(Long, out _, Token));
    }

    [Fact]
    public void A_deliberately_slow_consumer_loses_frames_but_never_gets_one_twice_or_out_of_order()
    {
        const int Frames = 60;
        const int Ring = 4;
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options(ringFrames: Ring));
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(0, 0, 32, 16) });
        using var pool = new FramePool(4, 32, 16, PixelType.UInt16);

        camera.StartSequence(pool, Frames);
        var delivered = new List<long>();
        while (camera.WaitForFrame(Long, out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                DcamSim.AssertContent(frame!, 0, 0, 1);
                delivered.Add(frame!.FrameNumber);
                // Slow: let the camera lap the ring before reading on.
                DcamSim.WaitCaptured(0, Math.Min(Frames, frame.FrameNumber + Ring + 2));
            }
        }

        Assert.Equal(delivered.Order().Distinct(), delivered);
        Assert.All(delivered, n => Assert.InRange(n, 0, Frames - 1));
        var counters = camera.Counters;
        Assert.Equal(delivered.Count, counters.FramesDelivered);
        Assert.Equal(Frames, counters.FramesDelivered + counters.FramesDropped);
        Assert.True(counters.FramesDropped >= Frames / (Ring + 2), $"dropped {counters.FramesDropped}");
        Assert.Equal(counters.FramesDropped, camera.FramesOverwritten);
    }

    [Fact]
    public void An_exhausted_frame_pool_counts_the_frame_as_dropped()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options(ringFrames: 8));
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, TriggerSource = TriggerSource.Software, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(2, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 5);
        for (var i = 0; i < 5; i++)
        {
            camera.FireSoftwareTrigger();
        }

        DcamSim.WaitCaptured(0, 5);
        var held = new List<Frame>();
        while (camera.WaitForFrame(Long, out var frame, Token) == FrameWaitResult.Frame)
        {
            held.Add(frame!); // never given back: the pool runs dry after two
        }

        Assert.Equal([0, 1], held.Select(f => f.FrameNumber));
        Assert.Equal(new CameraCounters(2, 3), camera.Counters);
        Assert.Equal(3, camera.FramesPoolExhausted);
        held.ForEach(f => f.Dispose());
    }

    [Fact]
    public void Software_triggers_take_one_frame_each()
    {
        using var camera = HamamatsuCamera.Open(1, DcamSim.Options());
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-4, TriggerSource = TriggerSource.Software, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(4, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 3);

        Assert.Equal(FrameWaitResult.Timeout, camera.WaitForFrame(TimeSpan.FromMilliseconds(30), out _, Token));
        var numbers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            camera.FireSoftwareTrigger();
            Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(Long, out var frame, Token));
            using (frame)
            {
                numbers.Add(frame!.FrameNumber);
            }
        }

        Assert.Equal([0, 1, 2], numbers);
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(Long, out _, Token));
    }

    [Fact]
    public void Software_triggers_need_the_software_trigger_source_and_a_sequence()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 16, 16), TriggerSource = TriggerSource.External });
        using var pool = new FramePool(2, 16, 16, PixelType.UInt16);

        var idle = Assert.Throws<InvalidOperationException>(camera.FireSoftwareTrigger);
        camera.StartSequence(pool, 0);
        var external = Assert.Throws<InvalidOperationException>(camera.FireSoftwareTrigger);

        Assert.Contains("needs a running sequence", idle.Message, StringComparison.Ordinal);
        Assert.Contains("The trigger source is External; set TriggerSource = Software", external.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_ends_a_wait_and_disposing_then_shuts_dcam_down_cleanly()
    {
        File.Delete(LogPath());
        DcamSim.SetEnvironment("DCAMSIM_LOG", LogPath());
        var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 16, 16), TriggerSource = TriggerSource.External });
        using var pool = new FramePool(2, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(50));

        Assert.ThrowsAny<OperationCanceledException>(() => camera.WaitForFrame(Timeout.InfiniteTimeSpan, out _, cancel.Token));
        Assert.True(camera.IsAcquiring);
        camera.Dispose();

        var calls = File.ReadAllLines(LogPath()).Select(l => l.Split(' ')[0]).Where(c => c is not ("dcamwait_start" or "dcamcap_transferinfo" or "dcamwait_abort")).ToList();
        var shutdown = calls.SkipWhile(c => c != "dcamcap_stop").ToList();
        Assert.Equal(["dcamcap_stop", "dcambuf_release", "dcamwait_close", "dcamdev_close", "dcamapi_uninit"], shutdown);
    }

    [Fact]
    public async Task A_consumer_cancelled_mid_stream_leaves_nothing_open()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var delivered = 0L;
        var consumer = Task.Run(() =>
        {
            using var camera = HamamatsuCamera.Open(1, DcamSim.Options());
            camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(0, 0, 32, 32) });
            using var pool = new FramePool(4, 32, 32, PixelType.UInt16);
            camera.StartSequence(pool, 0);
            while (true)
            {
                if (camera.WaitForFrame(Long, out var frame, cancel.Token) == FrameWaitResult.Frame)
                {
                    frame!.Dispose();
                    if (Interlocked.Increment(ref delivered) == 20)
                    {
                        cancel.Cancel();
                    }
                }
            }
        }, Token);

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer);
        Assert.Equal(cancel.Token, e.CancellationToken);
        Assert.True(Interlocked.Read(ref delivered) >= 20);
    }

    [Fact]
    public async Task StopSequence_from_another_thread_ends_a_blocked_wait_with_completed()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 16, 16), TriggerSource = TriggerSource.External });
        using var pool = new FramePool(2, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        using var started = new ManualResetEventSlim();

        var waiter = Task.Run(() =>
        {
            started.Set();
            return camera.WaitForFrame(Timeout.InfiniteTimeSpan, out _, Token);
        }, Token);
        started.Wait(Token);
        camera.StopSequence();

        Assert.Equal(FrameWaitResult.Completed, await waiter);
        Assert.False(camera.IsAcquiring);
        Assert.Equal(0, DcamSim.GetStats().Attached);
    }

    [Fact]
    public void Frames_captured_before_a_stop_are_still_delivered_then_completed()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options(ringFrames: 8));
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, TriggerSource = TriggerSource.Software, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(8, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        for (var i = 0; i < 3; i++)
        {
            camera.FireSoftwareTrigger();
        }

        DcamSim.WaitCaptured(0, 3);
        camera.StopSequence();

        Assert.Equal([0, 1, 2], Drain(camera));
        Assert.Equal(new CameraCounters(3, 0), camera.Counters);
    }

    [Fact]
    public void A_failed_start_releases_the_buffers_and_the_camera_can_start_again()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(4, 16, 16, PixelType.UInt16);
        DcamSim.FailNext("dcamcap_start", unchecked((int)0x80000103));

        var e = Assert.Throws<DcamException>(() => camera.StartSequence(pool, 2));

        Assert.Equal(("NOTREADY", "dcamcap_start"), (e.ErrorName, e.Function));
        Assert.Equal(0, DcamSim.GetStats().Attached);
        Assert.False(camera.IsAcquiring);
        camera.StartSequence(pool, 2);
        Assert.Equal([0, 1], Drain(camera));
    }

    [Fact]
    public void A_driver_error_during_the_wait_propagates_and_dispose_still_shuts_down()
    {
        var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(4, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        DcamSim.FailNext("dcamcap_transferinfo", unchecked((int)0x80000F07));

        var e = Assert.Throws<DcamException>(() => camera.WaitForFrame(Long, out _, Token));
        camera.Dispose();

        Assert.Equal("dcamcap_transferinfo() failed: DCAMERR_NOCONNECTION (0x80000F07)", e.Message);
        Assert.Equal(1, DcamSim.GetStats().UninitCalls);
    }

    [Fact]
    public void Disposing_while_acquiring_stops_releases_closes_and_uninitialises()
    {
        var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { ExposureSeconds = 1e-3, Roi = new RegionOfInterest(0, 0, 16, 16) });
        using var pool = new FramePool(4, 16, 16, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        DcamSim.WaitCaptured(0, 3);

        camera.Dispose();

        Assert.Equal(1, DcamSim.GetStats().UninitCalls);
        Assert.Throws<ObjectDisposedException>(() => camera.WaitForFrame(TimeSpan.Zero, out _, Token));
    }

    [Fact]
    public void A_pool_too_small_for_the_roi_is_refused_before_anything_starts()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());
        camera.Configure(camera.Settings with { Roi = new RegionOfInterest(0, 0, 64, 64) });
        using var pool = new FramePool(2, 32, 32, PixelType.UInt16);

        var e = Assert.Throws<ArgumentException>(() => camera.StartSequence(pool, 1));

        Assert.Equal("pool", e.ParamName);
        Assert.Contains("cannot hold this camera's 64×64 UInt16 frames (8192 bytes)", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, DcamSim.GetStats().Attached);
    }

    [Fact]
    public void Waiting_without_a_sequence_is_an_error()
    {
        using var camera = HamamatsuCamera.Open(0, DcamSim.Options());

        var e = Assert.Throws<InvalidOperationException>(() => camera.WaitForFrame(TimeSpan.Zero, out _, Token));

        Assert.Contains("call StartSequence first", e.Message, StringComparison.Ordinal);
    }

    private static List<long> Drain(HamamatsuCamera camera)
    {
        var numbers = new List<long>();
        while (camera.WaitForFrame(Long, out var frame, Token) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                DcamSim.AssertContent(frame!, camera.Settings.Roi?.Left ?? 0, camera.Settings.Roi?.Top ?? 0, camera.Settings.Binning);
                numbers.Add(frame!.FrameNumber);
            }
        }

        return numbers;
    }

    private static string LogPath() => Path.Combine(Path.GetTempPath(), $"dcamsim-{Environment.ProcessId}.log");
}
