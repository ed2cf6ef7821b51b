namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>
/// Compresses and stores complete chunks in two stages: compression threads turn a chunk into its encoding, then write
/// threads store the encodings. A direct write blocks its thread until the device has the bytes; with both on one
/// thread, a core sat idle for every write in flight (on the 2-core VM, cores + 2 such workers left the cores 30-40 %
/// idle, and 12 reached the disk's pace only with 600 MB of buffers). Here the cores compress while the disk writes.
/// The writer hands a chunk over with <see cref="Enqueue"/>, which blocks while the decoded chunks queued or being
/// compressed exceed the budget (back-pressure: a camera faster than the disk slows the writer instead of filling
/// memory). An encoded chunk gives its decoded buffer back at once; at most one encoding per write thread waits for
/// the disk, and compression pauses while they do, so what the disk is behind on waits decoded, within the budget.
/// Chunks go to distinct store keys and each key is written atomically by the store, so their order on disk does not
/// matter; what is ordered is the bookkeeping: every chunk carries the number of frames that were fully handed over
/// when it was enqueued, and <see cref="DurableFrames"/> advances only when every chunk enqueued before it has been
/// stored. A failed write stops the queue and is rethrown to the writer.
/// </summary>
internal sealed class ChunkWriteQueue : IDisposable
{
    private readonly IChunkSink _sink;
    private readonly ChunkBufferPool _pool;
    private readonly EncodedBufferPool _encodedBuffers = new();
    private readonly long _budgetBytes;
    private readonly Queue<ChunkJob> _pending = new();
    private readonly Queue<(ChunkJob Job, EncodedChunk Encoded)> _encoded = new();
    private readonly Thread[] _compressors;
    private readonly Thread[] _writers;
    private readonly object _gate = new();

    // Completion bookkeeping, all under _gate: sequence numbers are handed out in enqueue order.
    private readonly Dictionary<long, long> _framesAtSequence = [];
    private readonly HashSet<long> _doneOutOfOrder = [];
    private long _nextSequence;
    private long _nextToRetire;
    private long _durableFrames;

    private long _bytesInUse;
    private int _compressing;
    private int _storing;
    private bool _stopping;
    private Exception? _failure;

    /// <param name="sink">Encodes chunks (concurrently for distinct chunks) and stores their encodings.</param>
    /// <param name="pool">Where decoded chunk buffers go back once encoded, or once stored when stored as they are.</param>
    /// <param name="threads">Compression threads.</param>
    /// <param name="writeThreads">Threads storing encodings; 0 only for a sink that stores while it encodes.</param>
    /// <param name="budgetBytes">
    /// Most decoded chunk bytes queued or being compressed at once (and, stored as they are, being written); one chunk
    /// is always admitted.
    /// </param>
    public ChunkWriteQueue(IChunkSink sink, ChunkBufferPool pool, int threads, int writeThreads, long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfNegative(writeThreads);
        _sink = sink;
        _pool = pool;
        _budgetBytes = Math.Max(1, budgetBytes);
        _compressors = Start(threads, Compress, "ome-zarr compress");
        _writers = Start(writeThreads, Write, "ome-zarr write");
    }

    /// <param name="write">
    /// Encodes and stores one chunk (called on a worker thread, concurrently for distinct chunks). It returns false when
    /// the chunk is not durable yet (an inner chunk of a shard still being packed): its sequence is then retired later,
    /// through <see cref="Stored"/>.
    /// </param>
    /// <param name="pool">Where chunk buffers go back once stored.</param>
    /// <param name="threads">Worker threads.</param>
    /// <param name="budgetBytes">Most chunk bytes queued or being written at once; one chunk is always admitted.</param>
    public ChunkWriteQueue(Func<ChunkJob, bool> write, ChunkBufferPool pool, int threads, long budgetBytes)
        : this(new OneStepSink(write), pool, threads, 0, budgetBytes)
    {
    }

    /// <summary>Frames all of whose chunks are stored.</summary>
    public long DurableFrames
    {
        get
        {
            lock (_gate)
            {
                return _durableFrames;
            }
        }
    }

    /// <summary>The first write failure, if any.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    private bool Busy => _pending.Count > 0 || _compressing > 0 || _encoded.Count > 0 || _storing > 0;

    /// <summary>
    /// Queues a complete chunk. <paramref name="framesHandedOver"/> is the number of frames (from the first) none of
    /// whose chunks are still being assembled once this one is queued.
    /// </summary>
    /// <exception cref="IOException">An earlier chunk failed to write; nothing more is accepted.</exception>
    public void Enqueue(ChunkJob job, long framesHandedOver)
    {
        lock (_gate)
        {
            while (_failure is null && !_stopping && _bytesInUse > 0 && _bytesInUse + job.Length > _budgetBytes)
            {
                Monitor.Wait(_gate);
            }

            ThrowIfFailed();
            ObjectDisposedException.ThrowIf(_stopping, this);
            job.Sequence = _nextSequence++;
            _framesAtSequence[job.Sequence] = framesHandedOver;
            _bytesInUse += job.Length;
            _pending.Enqueue(job);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Records that <paramref name="framesHandedOver"/> frames are complete without a new chunk (e.g. nothing open).</summary>
    public void Mark(long framesHandedOver)
    {
        lock (_gate)
        {
            if (_nextToRetire == _nextSequence)
            {
                _durableFrames = Math.Max(_durableFrames, framesHandedOver);
            }
            else
            {
                // Attach the count to the last queued chunk: it becomes durable when that chunk (and all before) is.
                var last = _nextSequence - 1;
                _framesAtSequence[last] = Math.Max(_framesAtSequence.GetValueOrDefault(last), framesHandedOver);
            }
        }
    }

    /// <summary>Blocks until every queued chunk is stored; rethrows a write failure.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_failure is null && Busy)
            {
                Monitor.Wait(_gate);
            }

            ThrowIfFailed();
        }
    }

    /// <summary>Drains (ignoring failures) and stops the workers.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            while (_failure is null && Busy)
            {
                Monitor.Wait(_gate);
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        // Compression first: a chunk it finishes after a failure goes to the write stage or back to the pool.
        foreach (var thread in _compressors)
        {
            thread.Join();
        }

        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _writers)
        {
            thread.Join();
        }

        // Only after a failure is anything left: give its buffers back.
        while (_pending.TryDequeue(out var job))
        {
            ReturnDecoded(job);
        }

        while (_encoded.TryDequeue(out var left))
        {
            ReturnBuffers(left.Job, left.Encoded, decodedHeld: left.Encoded.Kind == EncodedChunkKind.AsIs);
        }
    }

    /// <summary>
    /// Retires chunks whose write returned false, now that what holds them is stored: the first
    /// <paramref name="count"/> sequences of <paramref name="sequences"/>.
    /// </summary>
    public void Stored(long[] sequences, int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                Retire(sequences[i]);
            }

            Monitor.PulseAll(_gate);
        }
    }

    private static Thread[] Start(int count, ThreadStart work, string name)
    {
        var threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            threads[i] = new Thread(work) { IsBackground = true, Name = $"{name} {i}" };
            threads[i].Start();
        }

        return threads;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException($"Writing a chunk failed, so the dataset stops accepting frames: {_failure.Message}", _failure);
        }
    }

    private void Compress()
    {
        while (TryTake(out var job))
        {
            EncodedChunk encoded;
            try
            {
                encoded = _sink.Encode(job, _encodedBuffers);
            }
#pragma warning disable CA1031 // Any failure of the codec or store must reach the writer thread, not end the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ReturnDecoded(job);
                Finish(onCompressor: true, job.Length, job.Sequence, e, retire: false);
                continue;
            }

            if (encoded.Kind is EncodedChunkKind.Stored or EncodedChunkKind.Deferred)
            {
                ReturnDecoded(job);
                Finish(onCompressor: true, job.Length, job.Sequence, null, retire: encoded.Kind == EncodedChunkKind.Stored);
            }
            else if (_writers.Length == 0)
            {
                // A sink that leaves work for a write stage the queue was built without: a programming error, reported
                // to the writer like any failure instead of waiting for a store that never comes.
                ReturnBuffers(job, encoded, decodedHeld: true);
                Finish(onCompressor: true, job.Length, job.Sequence, new InvalidOperationException($"The sink left a chunk to store ({encoded.Kind}), but the queue has no write threads."), retire: false);
            }
            else
            {
                // Once encoded, the decoded chunk is not needed: its buffer serves the next chunk while this one waits
                // for the disk. Only a chunk stored as it is keeps it, and keeps counting against the budget.
                var keepsDecoded = encoded.Kind == EncodedChunkKind.AsIs;
                if (!keepsDecoded)
                {
                    ReturnDecoded(job);
                }

                lock (_gate)
                {
                    _compressing--;
                    if (!keepsDecoded)
                    {
                        _bytesInUse -= job.Length;
                    }

                    _encoded.Enqueue((job, encoded));
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    private bool TryTake(out ChunkJob job)
    {
        lock (_gate)
        {
            // A full write stage (one encoding waiting per write thread) means the disk is behind: compressing more
            // would only hold more encodings in memory, so the raw chunks wait, within the budget, and then the writer.
            while ((_pending.Count == 0 || (_writers.Length > 0 && _encoded.Count >= _writers.Length)) && !_stopping)
            {
                Monitor.Wait(_gate);
            }

            // Stopping comes after a drain, or after a failure: then what is left is given back, not compressed.
            if (_stopping || !_pending.TryDequeue(out job))
            {
                job = default;
                return false;
            }

            _compressing++;
            return true;
        }
    }

    private void Write()
    {
        while (true)
        {
            (ChunkJob Job, EncodedChunk Encoded) next;
            lock (_gate)
            {
                // Stop only once compression has stopped: until then an encoding may still come.
                while (_encoded.Count == 0 && !(_stopping && _compressing == 0))
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping && _compressing == 0 || !_encoded.TryDequeue(out next))
                {
                    return;
                }

                _storing++;
                Monitor.PulseAll(_gate); // room in the write stage: a compression thread may take the next chunk
            }

            Store(next.Job, next.Encoded);
        }
    }

    private void Store(in ChunkJob job, in EncodedChunk encoded)
    {
        Exception? error = null;
        try
        {
            _sink.Store(job, encoded);
        }
#pragma warning disable CA1031 // Any failure of the store must reach the writer thread, not end the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }

        // The decoded buffer was given back at hand-over, unless it is what was stored.
        var decodedHeld = encoded.Kind == EncodedChunkKind.AsIs;
        ReturnBuffers(job, encoded, decodedHeld);

        // A packed chunk was retired with the shard that holds it.
        Finish(onCompressor: false, decodedHeld ? job.Length : 0, job.Sequence, error, retire: encoded.Kind != EncodedChunkKind.Packed);
    }

    private void Finish(bool onCompressor, long heldBytes, long sequence, Exception? error, bool retire)
    {
        lock (_gate)
        {
            if (onCompressor)
            {
                _compressing--;
            }
            else
            {
                _storing--;
            }

            _bytesInUse -= heldBytes;
            if (error is not null)
            {
                _failure ??= error;
            }
            else if (retire)
            {
                Retire(sequence);
            }

            Monitor.PulseAll(_gate);
        }
    }

    private void ReturnBuffers(in ChunkJob job, in EncodedChunk encoded, bool decodedHeld)
    {
        if (encoded.Buffer is { } rented)
        {
            _encodedBuffers.Return(rented);
        }

        if (decodedHeld)
        {
            ReturnDecoded(job);
        }
    }

    private void ReturnDecoded(in ChunkJob job)
    {
        if (job.Buffer.Length > 0)
        {
            _pool.Return(job.Buffer);
        }
    }

    private void Retire(long sequence)
    {
        _doneOutOfOrder.Add(sequence);
        while (_doneOutOfOrder.Remove(_nextToRetire))
        {
            if (_framesAtSequence.Remove(_nextToRetire, out var frames))
            {
                _durableFrames = Math.Max(_durableFrames, frames);
            }

            _nextToRetire++;
        }
    }

    /// <summary>A sink whose one callback encodes and stores (tests, and callers without a separate write stage).</summary>
    private sealed class OneStepSink(Func<ChunkJob, bool> write) : IChunkSink
    {
        public EncodedChunk Encode(in ChunkJob job, EncodedBufferPool buffers) => write(job) ? EncodedChunk.Stored : EncodedChunk.Deferred;

        public void Store(in ChunkJob job, in EncodedChunk encoded) => throw new InvalidOperationException("A one-step sink stores while it encodes.");
    }
}

/// <summary>One complete chunk to store.</summary>
internal struct ChunkJob
{
    /// <summary>What to write it into (the data source's per-array state).</summary>
    public object Target;

    /// <summary>Chunk grid index along (t, c, z, y, x).</summary>
    public ChunkIndex Index;

    /// <summary>The decoded chunk, C order; may be longer than <see cref="Length"/>.</summary>
    public byte[] Buffer;

    /// <summary>Bytes of the decoded chunk.</summary>
    public int Length;

    /// <summary>Enqueue order, set by the queue.</summary>
    public long Sequence;
}

/// <summary>A chunk's position in the chunk grid of a (t, c, z, y, x) array.</summary>
internal readonly record struct ChunkIndex(int T, int C, int Z, int Y, int X);
