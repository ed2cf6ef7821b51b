using Navigate.Devices;

namespace Navigate.Abstractions.Tests.Devices;

public sealed class FramePoolTests
{
    [Fact]
    public void RentingFailsWhenAllBuffersAreOutAndSucceedsAfterAReturn()
    {
        using var pool = new FramePool(2, 64, 32, PixelType.UInt16);
        Assert.True(pool.TryRent(64, 32, out var a));
        Assert.True(pool.TryRent(32, 32, out var b));
        Assert.False(pool.TryRent(64, 32, out _));
        Assert.Equal(0, pool.Available);

        a.Dispose();
        a.Dispose(); // a second dispose must not free a buffer twice
        Assert.Equal(1, pool.Available);
        Assert.True(pool.TryRent(64, 32, out var c));
        Assert.Same(a, c); // the same object comes back: no allocation per frame
        Assert.Equal(64 * 32 * 2, c.Length);
        b.Dispose();
        c.Dispose();
        Assert.Equal(2, pool.Available);
    }

    [Fact]
    public void AFrameLargerThanTheBuffersIsRefusedWithItsSize()
    {
        using var pool = new FramePool(1, 16, 16, PixelType.UInt8);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => pool.TryRent(17, 16, out _));
        Assert.Contains("17×16", ex.Message);
    }

    [Fact]
    public void PixelsViewTheSameBytes()
    {
        using var pool = new FramePool(1, 4, 1, PixelType.UInt16);
        using var frame = pool.Rent(4, 1, TestContext.Current.CancellationToken);
        frame.Pixels<ushort>()[1] = 0x0102;
        Assert.Equal(0x02, frame.Bytes[2]);
        Assert.Equal(0x01, frame.Bytes[3]);
        Assert.NotEqual(0, frame.Address);
    }

    [Fact]
    public async Task RentWaitsUntilABufferIsReturned()
    {
        using var pool = new FramePool(1, 8, 8, PixelType.UInt8);
        var first = pool.Rent(8, 8, TestContext.Current.CancellationToken);
        var waiting = Task.Run(() => pool.Rent(8, 8), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Same(first, second);
    }
}
