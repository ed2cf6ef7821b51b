using System.Collections.Concurrent;
using Navigate.Data;
using Navigate.Plugins.OmeZarr.Writing;

namespace Navigate.Plugins.OmeZarr.Tests.Writing;

public sealed class ChunkAssemblerTests
{
    private sealed class MemoryTarget
    {
        public ConcurrentDictionary<ChunkIndex, byte[]> Chunks { get; } = new();
    }

    private static (ChunkAssembler Assembler, ChunkWriteQueue Queue, MemoryTarget Target) Make(LevelGeometry geometry, int threads = 2, long budget = 1 << 20)
    {
        var pool = new ChunkBufferPool();
        var target = new MemoryTarget();
        var queue = new ChunkWriteQueue(
            job =>
            {
                ((MemoryTarget)job.Target).Chunks[job.Index] = job.Buffer.AsSpan(0, job.Length).ToArray();
                return true;
            },
            pool,
            threads,
            budget);
        return (new ChunkAssembler([geometry], pool, queue, (_, _) => target), queue, target);
    }

    private static byte[] Plane(int y, int x, int seed)
    {
        var plane = new byte[y * x];
        for (var i = 0; i < plane.Length; i++)
        {
            plane[i] = (byte)(seed * 31 + i);
        }

        return plane;
    }

    [Fact]
    public void Dropped_frames_cost_no_chunk_when_their_row_holds_nothing_else_and_read_as_zero_when_it_does()
    {
        // Chunks of 2 planes over a stack of 4: frames 0 and 1 dropped (a whole row), frame 3 dropped beside frame 2.
        const int Z = 4, Y = 3, X = 5;
        var geometry = new LevelGeometry(Z, Y, X, 2, Y, X, 1);
        var (assembler, queue, target) = Make(geometry);
        var full = new byte[Y * X];
        Array.Fill(full, (byte)0xAB);

        // A recycled buffer full of old pixels must not leak into the dropped plane: fill the pool with one first.
        assembler.Add(0, 1, 0, 0, 0, 0, full);
        assembler.Add(0, 1, 0, 0, 1, 1, full);
        assembler.EndFrame(1);
        queue.Drain();
        target.Chunks.Clear();

        assembler.AddEmpty(0, 0, 0, 0, 0, 0);
        assembler.EndFrame(0);
        assembler.AddEmpty(0, 0, 0, 0, 1, 1);
        assembler.EndFrame(1);
        assembler.Add(0, 0, 0, 0, 2, 2, Plane(Y, X, 2));
        assembler.EndFrame(2);
        assembler.AddEmpty(0, 0, 0, 0, 3, 3);
        assembler.EndFrame(3);
        queue.Drain();

        Assert.Equal(4, queue.DurableFrames);
        Assert.False(target.Chunks.ContainsKey(new ChunkIndex(0, 0, 0, 0, 0)));
        var chunk = target.Chunks[new ChunkIndex(0, 0, 1, 0, 0)];
        Assert.Equal(Plane(Y, X, 2), chunk[..(Y * X)]);
        Assert.All(chunk[(Y * X)..], b => Assert.Equal(0, b));
        Assert.Single(target.Chunks);
    }

    [Theory]
    [InlineData(true, 1, 5, 7)]   // one chunk per plane (navigate)
    [InlineData(true, 2, 2, 3)]   // edge chunks in every dimension
    [InlineData(false, 2, 2, 3)]  // per slice: several rows open at once
    [InlineData(false, 4, 5, 7)]  // chunk deeper than the stack: one partial z row
    public void Every_pixel_lands_in_its_chunk_and_padding_is_zero(bool perStack, int cz, int cy, int cx)
    {
        const int Z = 3, Y = 5, X = 7, C = 2, T = 2;
        var geometry = new LevelGeometry(Z, Y, X, cz, cy, cx, 1);
        var (assembler, queue, target) = Make(geometry);
        var metadata = new AcquisitionMetadata { Width = X, Height = Y, Channels = C, ZSteps = Z, Timepoints = T, PerStack = perStack };
        for (long f = 0; f < metadata.FrameCount; f++)
        {
            var i = metadata.IndexOf(f);
            assembler.Add(0, i.P, i.T, i.C, i.Z, f, Plane(Y, X, (int)f));
            assembler.EndFrame(f);
        }

        queue.Drain();
        Assert.Equal(0, assembler.OpenRows);
        Assert.Equal(T * C * geometry.GridZ * geometry.GridY * geometry.GridX, target.Chunks.Count);
        Assert.Equal(metadata.FrameCount, queue.DurableFrames);
        for (long f = 0; f < metadata.FrameCount; f++)
        {
            var i = metadata.IndexOf(f);
            var plane = Plane(Y, X, (int)f);
            for (var y = 0; y < Y; y++)
            {
                for (var x = 0; x < X; x++)
                {
                    var chunk = target.Chunks[new ChunkIndex(i.T, i.C, i.Z / cz, y / cy, x / cx)];
                    Assert.Equal(plane[y * X + x], chunk[((i.Z % cz) * cy + y % cy) * cx + x % cx]);
                }
            }
        }

        // Padding beyond the array's edge is the fill value.
        var corner = target.Chunks[new ChunkIndex(0, 0, geometry.GridZ - 1, geometry.GridY - 1, geometry.GridX - 1)];
        for (var z = 0; z < cz; z++)
        {
            for (var y = 0; y < cy; y++)
            {
                for (var x = 0; x < cx; x++)
                {
                    var outside = (geometry.GridZ - 1) * cz + z >= Z || (geometry.GridY - 1) * cy + y >= Y || (geometry.GridX - 1) * cx + x >= X;
                    if (outside)
                    {
                        Assert.Equal(0, corner[(z * cy + y) * cx + x]);
                    }
                }
            }
        }

        queue.Dispose();
    }

    [Fact]
    public void PlaneBuffer_is_the_planes_place_in_a_whole_plane_chunk_and_adding_it_there_keeps_it()
    {
        // Chunks of 3 planes of the whole 2×3 plane: plane z sits at z % 3 × 6 bytes of its chunk.
        var geometry = new LevelGeometry(4, 2, 3, 3, 2, 3, 1);
        var (assembler, queue, target) = Make(geometry);
        for (long f = 0; f < 4; f++)
        {
            var buffer = assembler.PlaneBuffer(0, 0, 0, 0, (int)f, f);
            Assert.Equal(((int)f % 3 * 6, 6), (buffer.Offset, buffer.Count));
            Plane(2, 3, (int)f).CopyTo(buffer.AsSpan());
            assembler.Add(0, 0, 0, 0, (int)f, f, buffer);
            assembler.EndFrame(f);
        }

        queue.Drain();
        Assert.Equal([.. Plane(2, 3, 0), .. Plane(2, 3, 1), .. Plane(2, 3, 2)], target.Chunks[new ChunkIndex(0, 0, 0, 0, 0)]);
        // The last chunk row holds one plane; the rest is the fill value.
        Assert.Equal([.. Plane(2, 3, 3), .. new byte[12]], target.Chunks[new ChunkIndex(0, 0, 1, 0, 0)]);
        Assert.Equal(4, queue.DurableFrames);
        queue.Dispose();
    }

    [Fact]
    public void PlaneBuffer_is_empty_when_a_plane_spans_several_chunks()
    {
        var (assembler, queue, _) = Make(new LevelGeometry(2, 4, 6, 1, 4, 3, 1));
        Assert.Equal(0, assembler.PlaneBuffer(0, 0, 0, 0, 0, 0).Count);
        Assert.Equal(0, assembler.OpenRows);
        queue.Dispose();
    }

    [Fact]
    public void Frames_in_an_open_row_are_not_counted_as_durable_until_flushed()
    {
        var geometry = new LevelGeometry(4, 2, 2, 4, 2, 2, 1);
        var (assembler, queue, target) = Make(geometry);
        for (long f = 0; f < 3; f++)
        {
            assembler.Add(0, 0, 0, 0, (int)f, f, Plane(2, 2, (int)f));
            assembler.EndFrame(f);
        }

        queue.Drain();
        Assert.Empty(target.Chunks);
        Assert.Equal(0, queue.DurableFrames);

        assembler.FlushAll(3);
        queue.Drain();
        Assert.Equal(3, queue.DurableFrames);
        var chunk = target.Chunks[new ChunkIndex(0, 0, 0, 0, 0)];
        Assert.Equal(Plane(2, 2, 2), chunk[8..12]);
        Assert.Equal(new byte[4], chunk[12..16]); // the plane that never came is the fill value
        queue.Dispose();
    }

    [Fact]
    public void A_failing_store_stops_the_writer_with_the_cause()
    {
        var pool = new ChunkBufferPool();
        using var queue = new ChunkWriteQueue(_ => throw new IOException("disk full"), pool, 1, 1 << 20);
        var assembler = new ChunkAssembler([new LevelGeometry(1, 2, 2, 1, 2, 2, 1)], pool, queue, (_, _) => new object());
        assembler.Add(0, 0, 0, 0, 0, 0, new byte[4]);
        assembler.EndFrame(0);
        var e = Assert.Throws<IOException>(queue.Drain);
        Assert.Equal("Writing a chunk failed, so the dataset stops accepting frames: disk full", e.Message);
        Assert.Equal("disk full", e.InnerException!.Message);
        Assert.Throws<IOException>(() => queue.Enqueue(new ChunkJob { Buffer = new byte[4], Length = 4, Target = new object() }, 1));
    }

    [Fact]
    public async Task Enqueue_blocks_while_the_budget_is_used_and_memory_stays_bounded()
    {
        using var release = new ManualResetEventSlim(false);
        var inFlightMax = 0;
        var inFlight = 0;
        var pool = new ChunkBufferPool();
        using var queue = new ChunkWriteQueue(
            _ =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref inFlightMax, now);
                release.Wait(TestContext.Current.CancellationToken);
                Interlocked.Decrement(ref inFlight);
                return true;
            },
            pool,
            threads: 2,
            budgetBytes: 3 * 100);
        var assembler = new ChunkAssembler([new LevelGeometry(1, 10, 10, 1, 10, 10, 1)], pool, queue, (_, _) => new object());

        var writer = Task.Run(() =>
        {
            for (long f = 0; f < 20; f++)
            {
                assembler.Add(0, 0, (int)f, 0, 0, f, new byte[100]);
                assembler.EndFrame(f);
            }
        }, TestContext.Current.CancellationToken);

        // Three chunks fit the budget: the writer must be stuck on the fourth while the store is held.
        SpinWait.SpinUntil(() => Volatile.Read(ref inFlight) == 2, TimeSpan.FromSeconds(10));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(writer.IsCompleted);
        Assert.True(pool.AllocatedBytes <= 4 * 100, $"{pool.AllocatedBytes} bytes of chunk buffers for a 300-byte budget");
        release.Set();
        await writer.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        queue.Drain();
        Assert.Equal(20, queue.DurableFrames);
        Assert.True(pool.AllocatedBytes <= 4 * 100, $"{pool.AllocatedBytes} bytes of chunk buffers for a 300-byte budget");
        Assert.Equal(2, inFlightMax);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
