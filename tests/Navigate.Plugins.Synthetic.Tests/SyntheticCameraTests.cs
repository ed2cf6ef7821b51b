using Navigate.Devices;

namespace Navigate.Plugins.Synthetic.Tests;

public sealed class SyntheticCameraTests
{
    private static readonly SyntheticCameraOptions Small = new() { SensorWidth = 256, SensorHeight = 128, Seed = 7 };

    [Fact]
    public void DeliversEveryFrameOnceInOrderWithItsNumberInThePixels()
    {
        using var camera = new SyntheticCamera(Small);
        using var pool = new FramePool(3, 256, 128, PixelType.UInt16);
        camera.StartSequence(pool, 50);
        var numbers = new List<long>();
        while (camera.WaitForFrame(TimeSpan.FromSeconds(5), out var frame, TestContext.Current.CancellationToken) is var result && result != FrameWaitResult.Completed)
        {
            Assert.Equal(FrameWaitResult.Frame, result);
            using (frame)
            {
                Assert.Equal(frame!.FrameNumber, SyntheticFrames.ReadFrameNumber(frame.Pixels<ushort>()));
                numbers.Add(frame.FrameNumber);
            }
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), numbers);
        Assert.Equal(new CameraCounters(50, 0), camera.Counters);
        Assert.False(camera.IsAcquiring);
    }

    [Fact]
    public void FramesAreCameraLikeAndDeterministic()
    {
        var a = SyntheticFrames.CreateScene(64, 64, seed: 3);
        var b = SyntheticFrames.CreateScene(64, 64, seed: 3);
        var c = SyntheticFrames.CreateScene(64, 64, seed: 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var frame0 = new ushort[64 * 64];
        var frame1 = new ushort[64 * 64];
        SyntheticFrames.Render(a, frame0, 0);
        SyntheticFrames.Render(a, frame1, 1);
        Assert.NotEqual(frame0[10..], frame1[10..]);
        var mean = frame0[SyntheticFrames.HeaderPixels..].Average(p => (double)p);
        Assert.InRange(mean, 90, 5000); // background ~100 counts plus specimen
        Assert.True(frame0.Distinct().Count() > 20, "noise makes many distinct values");
    }

    [Fact]
    public void AtAFixedRateASlowConsumerCausesCountedDropsNeverDuplicates()
    {
        using var camera = new SyntheticCamera(Small);
        camera.Configure(camera.Settings with { FrameRate = 1000 });
        using var pool = new FramePool(2, 256, 128, PixelType.UInt16);
        camera.StartSequence(pool, 200);
        var numbers = new List<long>();
        while (camera.WaitForFrame(TimeSpan.FromSeconds(5), out var frame, TestContext.Current.CancellationToken) != FrameWaitResult.Completed)
        {
            using (frame)
            {
                numbers.Add(frame!.FrameNumber);
                Thread.Sleep(5); // 200 fps consumer for a 1000 fps camera
            }
        }

        var counters = camera.Counters;
        Assert.True(counters.FramesDropped > 0, "the consumer was 5x too slow; frames must have been dropped");
        Assert.Equal(200, counters.FramesDelivered + counters.FramesDropped);
        Assert.Equal(numbers.Count, counters.FramesDelivered);
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.Second > p.First), "frame numbers strictly increase");
    }

    [Fact]
    public void StopEndsAContinuousSequence()
    {
        using var camera = new SyntheticCamera(Small);
        using var pool = new FramePool(4, 256, 128, PixelType.UInt16);
        camera.StartSequence(pool, 0);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(TimeSpan.FromSeconds(5), out var frame, TestContext.Current.CancellationToken));
            frame!.Dispose();
        }

        camera.StopSequence();
        // What was produced before the stop is still delivered, in order, then the sequence completes.
        var last = 9L;
        while (camera.WaitForFrame(TimeSpan.FromSeconds(1), out var rest, TestContext.Current.CancellationToken) == FrameWaitResult.Frame)
        {
            Assert.Equal(++last, rest!.FrameNumber);
            rest.Dispose();
        }

        Assert.False(camera.IsAcquiring);
        Assert.Equal(FrameWaitResult.Completed, camera.WaitForFrame(TimeSpan.FromMilliseconds(10), out _, TestContext.Current.CancellationToken));
        Assert.Equal(4, pool.Available);
    }

    [Fact]
    public void RoiIsSnappedToTheStepAndSetsTheFrameSize()
    {
        using var camera = new SyntheticCamera(Small);
        var effective = camera.Configure(camera.Settings with { Roi = new RegionOfInterest(3, 5, 101, 62), Binning = 2 });
        Assert.Equal(new RegionOfInterest(0, 4, 100, 60), effective.Roi);
        Assert.Equal(50, camera.FrameWidth);
        Assert.Equal(30, camera.FrameHeight);
    }

    [Theory]
    [InlineData(3, null, "Binning must be 1, 2 or 4.")]
    [InlineData(1, -1.0, "FrameRate must be in (0, 100000] frames/s, or null.")]
    public void BadSettingsNameTheSetting(int binning, double? rate, string message)
    {
        using var camera = new SyntheticCamera(Small);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => camera.Configure(camera.Settings with { Binning = binning, FrameRate = rate }));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void APoolTooSmallForTheFramesIsRefused()
    {
        using var camera = new SyntheticCamera(Small);
        using var pool = new FramePool(2, 64, 64, PixelType.UInt16);
        var ex = Assert.Throws<ArgumentException>(() => camera.StartSequence(pool, 1));
        Assert.Contains("frames are 256×128 UInt16 (65536 bytes); the pool holds 8192-byte UInt16 buffers", ex.Message);
    }
}
