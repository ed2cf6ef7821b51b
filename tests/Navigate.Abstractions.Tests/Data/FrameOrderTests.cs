using Navigate.Data;

namespace Navigate.Abstractions.Tests.Data;

public sealed class FrameOrderTests
{
    [Fact]
    public void PerStackVariesZFastestThenChannel()
    {
        // C=2, Z=3, T=2: frames 0..2 are c0 z0..2, frames 3..5 are c1 z0..2, then t advances.
        var order = Enumerable.Range(0, 12).Select(f => FrameOrder.IndexOf(f, c: 2, z: 3, t: 2, perStack: true)).ToArray();
        Assert.Equal(new FrameIndex(0, 0, 0, 0), order[0]);
        Assert.Equal(new FrameIndex(0, 2, 0, 0), order[2]);
        Assert.Equal(new FrameIndex(1, 0, 0, 0), order[3]);
        Assert.Equal(new FrameIndex(1, 2, 0, 0), order[5]);
        Assert.Equal(new FrameIndex(0, 0, 1, 0), order[6]);
        Assert.Equal(new FrameIndex(1, 2, 1, 0), order[11]);
    }

    [Fact]
    public void PerSliceVariesChannelFastestThenZ()
    {
        var order = Enumerable.Range(0, 6).Select(f => FrameOrder.IndexOf(f, c: 2, z: 3, t: 1, perStack: false)).ToArray();
        Assert.Equal(
            new[] { new FrameIndex(0, 0, 0, 0), new FrameIndex(1, 0, 0, 0), new FrameIndex(0, 1, 0, 0), new FrameIndex(1, 1, 0, 0), new FrameIndex(0, 2, 0, 0), new FrameIndex(1, 2, 0, 0) },
            order);
    }

    [Fact]
    public void PositionsVarySlowerThanTime()
    {
        // C=1, Z=2, T=3: the position changes only after all timepoints of the previous one.
        Assert.Equal(new FrameIndex(0, 1, 2, 0), FrameOrder.IndexOf(5, 1, 2, 3, perStack: true));
        Assert.Equal(new FrameIndex(0, 0, 0, 1), FrameOrder.IndexOf(6, 1, 2, 3, perStack: true));
    }

    [Fact]
    public void WithoutZStackChannelVariesFastestThenTime()
    {
        // navigate's time-series branch: c = f % C, t = (f // C) % T, p = f // (C*T).
        Assert.Equal(new FrameIndex(1, 0, 0, 0), FrameOrder.IndexOf(1, 2, 1, 3, perStack: true));
        Assert.Equal(new FrameIndex(0, 0, 1, 0), FrameOrder.IndexOf(2, 2, 1, 3, perStack: true));
        Assert.Equal(new FrameIndex(1, 0, 2, 0), FrameOrder.IndexOf(5, 2, 1, 3, perStack: false));
        Assert.Equal(new FrameIndex(0, 0, 0, 1), FrameOrder.IndexOf(6, 2, 1, 3, perStack: false));
    }

    [Fact]
    public void MetadataIndexOfUsesItsOwnCountsAndOrder()
    {
        var metadata = new AcquisitionMetadata { Channels = 3, ZSteps = 4, Timepoints = 2, Positions = 2, PerStack = false };
        Assert.Equal(48, metadata.FrameCount);
        Assert.Equal(FrameOrder.IndexOf(29, 3, 4, 2, false), metadata.IndexOf(29));
    }

    [Theory]
    [InlineData(0, "Width")]
    [InlineData(-1, "Width")]
    public void ValidateNamesTheBadField(int width, string field)
    {
        var ex = Assert.Throws<ArgumentException>(() => new AcquisitionMetadata { Width = width }.Validate());
        Assert.Contains(field, ex.Message);
        Assert.Contains("expected at least 1", ex.Message);
    }
}
