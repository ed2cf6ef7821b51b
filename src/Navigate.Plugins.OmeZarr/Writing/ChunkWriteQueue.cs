namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>
/// Compresses and stores complete chunks on worker threads. The writer hands a chunk over with <see cref="Enqueue"/>,
/// which blocks while the bytes queued and in flight exceed the budget (back-pressure: a camera faster than the disk
/// slows the writer instead of filling memory). Chunks go to distinct store keys and each key is written atomically
/// by the store, so their order on disk does not matter; what is ordered is the bookkeeping: every chunk carries the
/// number of frames that were fully handed over when it was enqueued, and <see cref="DurableFrames"/> advances only
/// when every chunk enqueued before it has been stored. A failed write stops the queue and is rethrown to the writer.
/// </summary>
internal sealed class ChunkWriteQueue : IDisposable
{
    private readonly Func<ChunkJob, bool> _write;
    private readonly ChunkBufferPool _pool;
    private readonly long _budgetBytes;
    private readonly Queue<ChunkJob> _pending = new();
    private readonly Thread[] _workers;
    private readonly object _gate = new();

    // Completion bookkeeping, all under _gate: sequence numbers are handed out in enqueue order.
    private readonly Dictionary<long, long> _framesAtSequence = [];
    private readonly HashSet<long> _doneOutOfOrder = [];
    private long _nextSequence;
    private long _nextToRetire;
    private long _durableFrames;

    private long _bytesInUse;
    private int _inFlight;
    private bool _stopping;
    private Exception? _failure;

    /// <param name="write">
    /// Encodes and stores one chunk (called on a worker thread, concurrently for distinct chunks). It returns false when
    /// the chunk is not durable yet (an inner chunk of a shard still being packed): its sequence is then retired later,
    /// through <see cref="Stored"/>.
    /// </param>
    /// <param name="pool">Where chunk buffers go back once stored.</param>
    /// <param name="threads">Worker threads.</param>
    /// <param name="budgetBytes">Most chunk bytes queued or being written at once; one chunk is always admitted.</param>
    public ChunkWriteQueue(Func<ChunkJob, bool> write, ChunkBufferPool pool, int threads, long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        _write = write;
        _pool = pool;
        _budgetBytes = Math.Max(1, budgetBytes);
        _workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"ome-zarr chunk writer {i}" };
            _workers[i].Start();
        }
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
            while (_failure is null && (_pending.Count > 0 || _inFlight > 0))
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
            while (_failure is null && (_pending.Count > 0 || _inFlight > 0))
            {
                Monitor.Wait(_gate);
            }

            _stopping = true;
            while (_pending.TryDequeue(out var job))
            {
                if (job.Buffer.Length > 0)
                {
                    _pool.Return(job.Buffer);
                }
            }

            Monitor.PulseAll(_gate);
        }

        foreach (var worker in _workers)
        {
            worker.Join();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new IOException($"Writing a chunk failed, so the dataset stops accepting frames: {_failure.Message}", _failure);
        }
    }

    private void Work()
    {
        while (true)
        {
            ChunkJob job;
            lock (_gate)
            {
                while (_pending.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping && _pending.Count == 0)
                {
                    return;
                }

                job = _pending.Dequeue();
                _inFlight++;
            }

            Exception? error = null;
            var durable = false;
            try
            {
                durable = _write(job);
            }
#pragma warning disable CA1031 // Any failure of the store must reach the writer thread, not end the process.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }

            if (job.Buffer.Length > 0)
            {
                _pool.Return(job.Buffer);
            }

            lock (_gate)
            {
                _inFlight--;
                _bytesInUse -= job.Length;
                if (error is not null)
                {
                    _failure ??= error;
                }
                else if (durable)
                {
                    Retire(job.Sequence);
                }

                Monitor.PulseAll(_gate);
            }
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
