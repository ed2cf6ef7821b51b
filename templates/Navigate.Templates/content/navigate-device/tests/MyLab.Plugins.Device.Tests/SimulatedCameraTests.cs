using Navigate.Devices;

namespace MyLab.Plugins.Device.Tests;

public sealed class SimulatedCameraTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly SimulatedCamera _camera = new("test-camera", new SimulatedCameraOptions { SensorWidth = 64, SensorHeight = 48 });

    public void Dispose() => _camera.Dispose();

    [Fact]
    public void DeliversExactlyTheFramesAskedForInOrderThenCompletes()
    {
        // More buffers than frames: nothing can be dropped however slowly this test takes them.
        using var pool = new FramePool(8, 64, 48, PixelType.UInt16);
        _camera.StartSequence(pool, frameCount: 5);

        var numbers = new List<long>();
        while (_camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) != FrameWaitResult.Completed)
        {
            using (frame)
            {
                Assert.NotNull(frame);
                Assert.Equal((64, 48), (frame.Width, frame.Height));
                numbers.Add(frame.FrameNumber);
                Assert.Equal(frame.FrameNumber, SimulatedCamera.ReadFrameNumber(frame.Pixels<ushort>()));
            }
        }

        Assert.Equal([0L, 1, 2, 3, 4], numbers);
        Assert.Equal(new CameraCounters(5, 0), _camera.Counters);
        Assert.False(_camera.IsAcquiring);
        Assert.Equal(pool.Capacity, pool.Available);
    }

    [Fact]
    public void AFullPoolDropsExposuresAndCountsThemInsteadOfWaiting()
    {
        // Two buffers, held until the end: the sensor cannot wait, so the other four exposures are lost and counted.
        using var pool = new FramePool(2, 64, 48, PixelType.UInt16);
        _camera.StartSequence(pool, frameCount: 6);

        var held = new List<Frame>();
        while (_camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) != FrameWaitResult.Completed)
        {
            held.Add(Assert.IsType<Frame>(frame));
        }

        Assert.Equal([0L, 1], held.Select(f => f.FrameNumber));
        Assert.Equal(new CameraCounters(2, 4), _camera.Counters);
        held.ForEach(f => f.Dispose());
    }

    [Fact]
    public void StopEndsAContinuousSequenceAndStillDeliversWhatWasReadOut()
    {
        using var pool = new FramePool(8, 64, 48, PixelType.UInt16);
        _camera.StartSequence(pool, frameCount: 0);
        var taken = 0L;
        var last = -1L;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(FrameWaitResult.Frame, _camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken));
            Assert.True(frame!.FrameNumber > last);
            last = frame.FrameNumber;
            taken++;
            frame.Dispose();
        }

        _camera.StopSequence();
        Assert.False(_camera.IsAcquiring);

        // Frames read out before the stop still come, in order, then the sequence completes.
        while (_camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
        {
            using (frame)
            {
                Assert.True(frame!.FrameNumber > last);
                last = frame.FrameNumber;
                taken++;
            }
        }

        Assert.Equal(taken, _camera.Counters.FramesDelivered);
        // Every exposure up to the last one delivered was either delivered or counted as dropped.
        Assert.True(_camera.Counters.FramesDelivered + _camera.Counters.FramesDropped >= last + 1);
        Assert.Equal(FrameWaitResult.Completed, _camera.WaitForFrame(TimeSpan.Zero, out _, TestContext.Current.CancellationToken));
        Assert.Equal(pool.Capacity, pool.Available);
    }

    [Fact]
    public void SoftwareTriggersReleaseOneExposureEach()
    {
        _camera.Configure(_camera.Settings with { TriggerSource = TriggerSource.Software });
        using var pool = new FramePool(4, 64, 48, PixelType.UInt16);
        _camera.StartSequence(pool, frameCount: 2);

        Assert.Equal(FrameWaitResult.Timeout, _camera.WaitForFrame(TimeSpan.FromMilliseconds(50), out _, TestContext.Current.CancellationToken));
        _camera.FireSoftwareTrigger();
        Assert.Equal(FrameWaitResult.Frame, _camera.WaitForFrame(Wait, out var first, TestContext.Current.CancellationToken));
        first!.Dispose();
        _camera.FireSoftwareTrigger();
        Assert.Equal(FrameWaitResult.Frame, _camera.WaitForFrame(Wait, out var second, TestContext.Current.CancellationToken));
        Assert.Equal(1, second!.FrameNumber);
        second.Dispose();
        Assert.Equal(FrameWaitResult.Completed, _camera.WaitForFrame(Wait, out _, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ARegionOfInterestIsSnappedToTheSubarrayStepAndSetsTheFrameSize()
    {
        var applied = _camera.Configure(_camera.Settings with { Roi = new RegionOfInterest(3, 5, 30, 22) });

        Assert.Equal(new RegionOfInterest(0, 4, 28, 20), applied.Roi);
        Assert.Equal((28, 20), (_camera.FrameWidth, _camera.FrameHeight));
        using var pool = new FramePool(2, 28, 20, PixelType.UInt16);
        _camera.StartSequence(pool, 1);
        Assert.Equal(FrameWaitResult.Frame, _camera.WaitForFrame(Wait, out var frame, TestContext.Current.CancellationToken));
        using (frame)
        {
            Assert.Equal((28, 20), (frame!.Width, frame.Height));
        }
    }

    [Fact]
    public void BadSettingsAreRefusedWithTheSettingNamed()
    {
        var exposure = Assert.Throws<ArgumentOutOfRangeException>(() => _camera.Configure(_camera.Settings with { ExposureSeconds = 20 }));
        Assert.Contains("ExposureSeconds must be within [0.0001, 10] s", exposure.Message, StringComparison.Ordinal);
        var binning = Assert.Throws<ArgumentOutOfRangeException>(() => _camera.Configure(_camera.Settings with { Binning = 3 }));
        Assert.Contains("Binning must be 1, 2 or 4", binning.Message, StringComparison.Ordinal);
        var trigger = Assert.Throws<ArgumentOutOfRangeException>(() => _camera.Configure(_camera.Settings with { TriggerSource = TriggerSource.External }));
        Assert.Contains("no trigger input", trigger.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsCannotChangeWhileAcquiringAndAPoolTooSmallIsRefused()
    {
        using var small = new FramePool(2, 16, 16, PixelType.UInt16);
        var tooSmall = Assert.Throws<ArgumentException>(() => _camera.StartSequence(small, 1));
        Assert.Contains("frames are 64×48 UInt16 (6144 bytes); the pool holds 512-byte UInt16 buffers", tooSmall.Message, StringComparison.Ordinal);

        using var pool = new FramePool(2, 64, 48, PixelType.UInt16);
        _camera.StartSequence(pool, frameCount: 0);
        var busy = Assert.Throws<InvalidOperationException>(() => _camera.Configure(_camera.Settings with { ExposureSeconds = 0.01 }));
        Assert.Equal("Camera 'test-camera': settings cannot change while a sequence is running; stop it first.", busy.Message);
        _camera.StopSequence();
    }
}
