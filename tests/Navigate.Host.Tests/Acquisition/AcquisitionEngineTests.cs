using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Host.Acquisition;
using Navigate.Host.Data;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Acquisition;

/// <summary>The engine with the real synthetic camera (through plugins.json) and an in-memory recording format.</summary>
public sealed class AcquisitionEngineTests
{
    private static (AcquisitionEngine Engine, RecordingFormat Format) Engine(RecordingFormat format)
    {
        var provider = new ServiceCollection().AddNavigate(o =>
        {
            o.PluginsFile = Path.Combine(TestPaths.RepoRoot, "plugins.json");
            o.Plugins.Add(format);
        }).BuildServiceProvider();
        return (new AcquisitionEngine(provider.GetRequiredService<DeviceCatalog>(), provider.GetRequiredService<FormatCatalog>()), format);
    }

    private static AcquisitionRequest Request(AcquisitionMetadata metadata, double? frameRate = null, int ring = 8) => new()
    {
        Metadata = metadata,
        OutputPath = Path.Combine(Path.GetTempPath(), "unused.rec"),
        Format = "recording",
        FrameRate = frameRate,
        RingFrames = ring,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryFrameLandsWhereItBelongs(bool perStack)
    {
        var metadata = new AcquisitionMetadata { Width = 64, Height = 32, Channels = 2, ZSteps = 3, Timepoints = 2, Positions = 2, PerStack = perStack, StagePositions = [new(1, 2, 3), new(4, 5, 6)] };
        var (engine, format) = Engine(new RecordingFormat());

        var summary = engine.Run(Request(metadata), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(metadata.FrameCount, summary.FramesWritten);
        Assert.Equal(0, summary.FramesDropped);
        Assert.False(summary.Interrupted);
        var source = format.Last!;
        Assert.True(source.Closed);
        for (long f = 0; f < metadata.FrameCount; f++)
        {
            Assert.Equal(f, source.FrameNumbers[metadata.IndexOf(f)]);
        }

        Assert.Equal([(0, new StagePosition(1, 2, 3)), (1, new StagePosition(4, 5, 6))], source.PositionsStarted);
    }

    [Fact]
    public void ASlowWriterCausesDropsThatAreCountedListedAndLeaveLaterFramesInPlace()
    {
        var metadata = new AcquisitionMetadata { Width = 64, Height = 32, Channels = 1, ZSteps = 100, Timepoints = 1, Positions = 1 };
        var (engine, format) = Engine(new RecordingFormat { WriteDelay = TimeSpan.FromMilliseconds(4) });

        // 1000 fps camera, ~250 fps writer, 2 buffers: most frames must be dropped.
        var summary = engine.Run(Request(metadata, frameRate: 1000, ring: 2), cancellationToken: TestContext.Current.CancellationToken);

        var source = format.Last!;
        Assert.True(summary.FramesDropped > 0);
        Assert.Equal(metadata.FrameCount, summary.FramesWritten + summary.FramesDropped);
        Assert.Equal(summary.FramesDropped, source.Skipped.Count);
        Assert.Equal(summary.DroppedFrames.Select(f => metadata.IndexOf(f)), source.Skipped);
        foreach (var (index, number) in source.FrameNumbers)
        {
            Assert.Equal(metadata.IndexOf(number), index); // a frame written after a drop is still in its own place
        }
    }

    [Fact]
    public void ADataSourceWithoutDropSupportGetsBlankFramesInTheGaps()
    {
        var metadata = new AcquisitionMetadata { Width = 64, Height = 32, ZSteps = 60 };
        var (engine, format) = Engine(new RecordingFormat { WriteDelay = TimeSpan.FromMilliseconds(4), RecordsDrops = false });

        var summary = engine.Run(Request(metadata, frameRate: 1000, ring: 2), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.FramesDropped > 0);
        var source = format.Last!;
        Assert.Equal(metadata.FrameCount, source.FramesWritten);
        foreach (var dropped in summary.DroppedFrames)
        {
            Assert.Equal(0, source.FrameNumbers[metadata.IndexOf(dropped)]);
        }
    }

    [Fact]
    public void CancellationStopsTheCameraWritesWhatWasCapturedAndCloses()
    {
        var metadata = new AcquisitionMetadata { Width = 64, Height = 32, ZSteps = 100_000 };
        var (engine, format) = Engine(new RecordingFormat());
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfter(cancel, frames: 50);

        // At 1000 fps the run would last 100 s, so the first progress report (every 250 ms) always comes before the
        // end; an unpaced camera can deliver all 100 000 small frames before any report and the run is never cancelled.
        // A paced camera may drop a frame while the test host is busy (JIT, parallel tests): the ring is deep and the
        // check counts drops, so every captured frame must be written and every gap must be a reported drop.
        var summary = engine.Run(Request(metadata, frameRate: 1000, ring: 256), progress, cancel.Token);

        Assert.True(summary.Interrupted);
        Assert.InRange(summary.FramesWritten, 50, metadata.FrameCount - 1);
        var source = format.Last!;
        Assert.True(source.Closed);
        Assert.Equal(summary.FramesWritten, source.FrameNumbers.Count);
        var accounted = source.FrameNumbers.Values.Concat(summary.DroppedFrames).Order();
        Assert.Equal(Enumerable.Range(0, (int)(summary.FramesWritten + summary.DroppedFrames.Count)).Select(i => (long)i), accounted);
    }

    [Fact]
    public void AFrameSizeTheCameraCannotDeliverIsRefusedBeforeAnythingIsCreated()
    {
        var (engine, format) = Engine(new RecordingFormat());
        var ex = Assert.Throws<AcquisitionException>(() => engine.Run(Request(new AcquisitionMetadata { Width = 4096, Height = 32 }), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("Camera 'synthetic' has a 2048×2048 sensor; the acquisition asks for 4096×32 frames.", ex.Message);
        Assert.Null(format.Last);
    }

    [Fact]
    public void ARegionTheCameraSnapsIsRefusedWithBothSizes()
    {
        var (engine, _) = Engine(new RecordingFormat());
        var ex = Assert.Throws<AcquisitionException>(() => engine.Run(Request(new AcquisitionMetadata { Width = 66, Height = 32 }), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("snaps a 66×32 region of interest to 64×32", ex.Message);
    }

    private sealed class CancelAfter(CancellationTokenSource cancel, long frames) : IProgress<AcquisitionProgress>
    {
        public void Report(AcquisitionProgress value)
        {
            if (value.FramesWritten >= frames)
            {
                cancel.Cancel();
            }
        }
    }
}
