using System.Collections.Concurrent;
using Navigate.Plugins.OmeZarr.Writing;

namespace Navigate.Plugins.OmeZarr.Tests.Writing;

/// <summary>The two-stage queue: compression threads encode, write threads store.</summary>
public sealed class ChunkWriteQueueTests
{
    /// <summary>
    /// A sink that "compresses" a chunk to its first <see cref="EncodedLength"/> bytes (or stores it as is) and keeps
    /// what it stores; a store can be held to play a slow disk.
    /// </summary>
    private sealed class RecordingSink(int encodedLength, bool asIs = false) : IChunkSink
    {
        public ManualResetEventSlim StoreGate { get; } = new(true);

        public ConcurrentDictionary<long, byte[]> Stored { get; } = new();

        public ConcurrentDictionary<int, bool> EncodingThreads { get; } = new();

        public ConcurrentDictionary<int, bool> StoringThreads { get; } = new();

        public int Encoded;

        public int StoresWaiting;

        public Exception? FailStore { get; set; }

        public int EncodedLength { get; } = encodedLength;

        public EncodedChunk Encode(in ChunkJob job, EncodedBufferPool buffers)
        {
            EncodingThreads[Environment.CurrentManagedThreadId] = true;
            Interlocked.Increment(ref Encoded);
            if (asIs)
            {
                return EncodedChunk.AsIs(job.Length);
            }

            var buffer = buffers.Rent(EncodedLength);
            job.Buffer.AsSpan(0, EncodedLength).CopyTo(buffer.Get(EncodedLength));
            return EncodedChunk.Encoded(buffer, EncodedLength);
        }

        public void Store(in ChunkJob job, in EncodedChunk encoded)
        {
            StoringThreads[Environment.CurrentManagedThreadId] = true;
            Interlocked.Increment(ref StoresWaiting);
            StoreGate.Wait(TimeSpan.FromSeconds(30));
            Interlocked.Decrement(ref StoresWaiting);
            if (FailStore is { } failure)
            {
                throw failure;
            }

            var bytes = encoded.Kind == EncodedChunkKind.AsIs ? job.Buffer.AsSpan(0, job.Length) : encoded.Buffer!.Get(encoded.Length);
            Stored[job.Sequence] = bytes.ToArray();
        }
    }

    private static ChunkJob Job(ChunkBufferPool pool, int length, byte value)
    {
        var buffer = pool.Rent(length, clear: false);
        Array.Fill(buffer, value);
        return new ChunkJob { Buffer = buffer, Length = length, Target = new object() };
    }

    [Fact]
    public void Encodings_are_stored_on_write_threads_not_on_the_compression_threads()
    {
        var pool = new ChunkBufferPool();
        var sink = new RecordingSink(encodedLength: 10);
        using (var queue = new ChunkWriteQueue(sink, pool, threads: 2, writeThreads: 3, budgetBytes: 1 << 20))
        {
            for (var f = 0; f < 50; f++)
            {
                queue.Enqueue(Job(pool, 100, (byte)f), f + 1);
            }

            queue.Drain();
            Assert.Equal(50, queue.DurableFrames);
        }

        Assert.Equal(50, sink.Stored.Count);
        for (var s = 0; s < 50; s++)
        {
            Assert.Equal(Enumerable.Repeat((byte)s, 10), sink.Stored[s]);
        }

        Assert.Empty(sink.EncodingThreads.Keys.Intersect(sink.StoringThreads.Keys));
    }

    [Fact]
    public async Task While_the_disk_is_held_compression_fills_the_write_stage_then_waits_and_the_writer_blocks_within_the_budget()
    {
        // Chunks of 100 bytes that compress to 10, a budget of 300 decoded bytes, 1 compression and 2 write threads,
        // every store held: 2 encodings are being written, at most 1 + 2 wait for the disk (compression stops once
        // one per write thread waits), 3 decoded chunks fill the budget, and then the writer must block.
        var pool = new ChunkBufferPool();
        var sink = new RecordingSink(encodedLength: 10);
        sink.StoreGate.Reset();
        using var queue = new ChunkWriteQueue(sink, pool, threads: 1, writeThreads: 2, budgetBytes: 300);
        var handedOver = 0;
        var writer = Task.Run(() =>
        {
            for (var f = 0; f < 20; f++)
            {
                queue.Enqueue(Job(pool, 100, (byte)f), f + 1);
                Interlocked.Increment(ref handedOver);
            }
        }, TestContext.Current.CancellationToken);

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref sink.StoresWaiting) == 2, TimeSpan.FromSeconds(10)));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(writer.IsCompleted);
        Assert.InRange(Volatile.Read(ref handedOver), 2 + 2 + 3, 2 + 3 + 3);
        Assert.InRange(Volatile.Read(ref sink.Encoded), 2 + 2, 2 + 3);
        Assert.Equal(0, queue.DurableFrames);

        // Decoded buffers went back once encoded: the budget's 3, plus one being filled by the test.
        Assert.True(pool.AllocatedBytes <= 4 * 100, $"{pool.AllocatedBytes} bytes of decoded chunk buffers while stores were held");

        sink.StoreGate.Set();
        await writer.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        queue.Drain();
        Assert.Equal(20, queue.DurableFrames);
        Assert.Equal(20, sink.Stored.Count);
        Assert.True(pool.AllocatedBytes <= 4 * 100, $"{pool.AllocatedBytes} bytes of decoded chunk buffers for a 300-byte budget");
    }

    [Fact]
    public void A_chunk_stored_as_is_keeps_its_decoded_buffer_until_it_is_written()
    {
        var pool = new ChunkBufferPool();
        var sink = new RecordingSink(encodedLength: 0, asIs: true);
        using (var queue = new ChunkWriteQueue(sink, pool, threads: 2, writeThreads: 2, budgetBytes: 250))
        {
            for (var f = 0; f < 30; f++)
            {
                queue.Enqueue(Job(pool, 100, (byte)(f + 1)), f + 1);
            }

            queue.Drain();
            Assert.Equal(30, queue.DurableFrames);
        }

        // Had a buffer gone back to the pool before its write, a later chunk would have overwritten it.
        for (var s = 0; s < 30; s++)
        {
            Assert.Equal(Enumerable.Repeat((byte)(s + 1), 100), sink.Stored[s]);
        }

        // Two chunks of 100 fit the 250-byte budget, plus the one always admitted beyond it.
        Assert.True(pool.AllocatedBytes <= 3 * 100, $"{pool.AllocatedBytes} bytes of chunk buffers for a 250-byte budget");
    }

    [Fact]
    public void A_failing_write_stage_stops_the_writer_with_the_cause()
    {
        var pool = new ChunkBufferPool();
        var sink = new RecordingSink(encodedLength: 10) { FailStore = new IOException("disk full") };
        using var queue = new ChunkWriteQueue(sink, pool, threads: 1, writeThreads: 2, budgetBytes: 1 << 20);
        queue.Enqueue(Job(pool, 100, 1), 1);
        var e = Assert.Throws<IOException>(queue.Drain);
        Assert.Equal("Writing a chunk failed, so the dataset stops accepting frames: disk full", e.Message);
        Assert.Same(sink.FailStore, e.InnerException);
        Assert.Equal(0, queue.DurableFrames);
        Assert.Throws<IOException>(() => queue.Enqueue(Job(pool, 100, 2), 2));
    }

    [Fact]
    public void Durable_frames_follow_enqueue_order_when_writes_finish_out_of_order()
    {
        var pool = new ChunkBufferPool();
        var sink = new OrderedGateSink();
        using var queue = new ChunkWriteQueue(sink, pool, threads: 2, writeThreads: 2, budgetBytes: 1 << 20);
        queue.Enqueue(Job(pool, 100, 0), 1);
        queue.Enqueue(Job(pool, 100, 1), 2);
        Assert.True(SpinWait.SpinUntil(() => sink.Waiting.Count == 2, TimeSpan.FromSeconds(10)));

        // The second chunk's write completes first: nothing is durable until the first one is.
        sink.Release(1);
        Assert.True(SpinWait.SpinUntil(() => sink.Done.Contains(1), TimeSpan.FromSeconds(10)));
        Thread.Sleep(50);
        Assert.Equal(0, queue.DurableFrames);
        sink.Release(0);
        queue.Drain();
        Assert.Equal(2, queue.DurableFrames);
    }

    private sealed class OrderedGateSink : IChunkSink
    {
        private readonly ConcurrentDictionary<long, ManualResetEventSlim> _gates = new();

        public ConcurrentDictionary<long, bool> Waiting { get; } = new();

        public ConcurrentBag<long> Done { get; } = [];

        public EncodedChunk Encode(in ChunkJob job, EncodedBufferPool buffers) => EncodedChunk.Encoded(buffers.Rent(1), 1);

        public void Store(in ChunkJob job, in EncodedChunk encoded)
        {
            var gate = _gates.GetOrAdd(job.Sequence, _ => new ManualResetEventSlim(false));
            Waiting[job.Sequence] = true;
            gate.Wait(TimeSpan.FromSeconds(30));
            Done.Add(job.Sequence);
        }

        public void Release(long sequence) => _gates.GetOrAdd(sequence, _ => new ManualResetEventSlim(false)).Set();
    }
}
