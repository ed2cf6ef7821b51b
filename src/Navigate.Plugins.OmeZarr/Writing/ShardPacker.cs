using System.Buffers.Binary;
using Navigate.Plugins.OmeZarr.Storage;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>
/// Packs Zarr v3 shards from inner chunks as they arrive: each inner chunk is compressed on the worker that got it
/// (so a stream of frames is compressed at the granularity of small chunks, on every worker), its encoded bytes are
/// appended to its shard's buffer, and the worker that adds the shard's last inner chunk writes the index and stores
/// the shard, once, complete (temporary file + rename, like any chunk). A shard's inner chunks sit in the order they
/// arrived; the index says where each one is. Memory: one buffer of at most the shard's encoded bound per open shard,
/// of which only the compressed bytes are touched, instead of the decoded shard.
/// </summary>
internal sealed class ShardPacker : IDisposable
{
    private readonly ChunkBufferPool _pool;
    private readonly Action<long[], int> _stored;
    private readonly Dictionary<(OmeZarrArray Array, ChunkIndex Shard), PendingShard> _open = [];
    private readonly object _gate = new();

    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <param name="pool">Where shard buffers come from and go back to.</param>
    /// <param name="stored">Told the queue sequences of a shard's inner chunks once the shard is stored.</param>
    public ShardPacker(ChunkBufferPool pool, Action<long[], int> stored)
    {
        _pool = pool;
        _stored = stored;
    }

    /// <summary>Shards with some but not all of their inner chunks.</summary>
    public int OpenShards
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>
    /// Adds one inner chunk (the job's index is in the inner chunk grid; a job of length 0 is an inner chunk that holds
    /// only dropped frames and is left out). Thread-safe for distinct inner chunks. Stores the shard when this was its
    /// last inner chunk.
    /// </summary>
    public void Add(OmeZarrArray array, ShardLayout layout, in ChunkJob job)
    {
        if (Pack(array, layout, job) is { } complete)
        {
            Store(complete);
        }
    }

    /// <summary>
    /// Adds one inner chunk like <see cref="Add"/>, but returns the shard it completed (or null) instead of storing it:
    /// the caller stores it with <see cref="Store"/>, on a thread that may wait for the disk.
    /// </summary>
    public PendingShard? Pack(OmeZarrArray array, ShardLayout layout, in ChunkJob job)
    {
        var local = Locate(layout, job.Index, out var shardIndex);
        var encodedLength = -1;
        byte[]? scratch = null;
        if (job.Length > 0)
        {
            scratch = t_scratch is { } s && s.Length >= layout.InnerMaxEncodedLength ? s : t_scratch = new byte[layout.InnerMaxEncodedLength];
            encodedLength = layout.EncodeInner(job.Buffer.AsSpan(0, job.Length), scratch, array.Path);
        }

        PendingShard shard;
        lock (_gate)
        {
            if (!_open.TryGetValue((array, shardIndex), out shard!))
            {
                shard = Open(array, layout, shardIndex);
                _open.Add((array, shardIndex), shard);
            }
        }

        bool complete;
        lock (shard)
        {
            var entry = shard.Index.AsSpan(local * 16, 16);
            if (encodedLength >= 0)
            {
                scratch.AsSpan(0, encodedLength).CopyTo(shard.Buffer.AsSpan(shard.Length));
                BinaryPrimitives.WriteUInt64LittleEndian(entry, (ulong)shard.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)encodedLength);
                shard.Length += encodedLength;
                shard.Stored++;
            }

            shard.Sequences[shard.Received++] = job.Sequence;
            complete = shard.Received == shard.Expected;
        }

        if (!complete)
        {
            return null;
        }

        lock (_gate)
        {
            _open.Remove((array, shardIndex));
        }

        return shard;
    }

    /// <summary>
    /// Stores every open shard as it is (an early close): inner chunks that never arrived are left out, and read as
    /// the fill value. Call once no more inner chunks are coming (the queue is drained).
    /// </summary>
    public void FlushAll()
    {
        PendingShard[] open;
        lock (_gate)
        {
            open = [.. _open.Values];
            _open.Clear();
        }

        foreach (var shard in open)
        {
            Store(shard);
        }
    }

    /// <summary>Gives the buffers of shards never stored back to the pool (after a failure).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var shard in _open.Values)
            {
                _pool.Return(shard.Buffer);
            }

            _open.Clear();
        }
    }

    private PendingShard Open(OmeZarrArray array, ShardLayout layout, ChunkIndex shardIndex)
    {
        var grid = layout.InnerGrid;
        // The inner chunks this shard will get: those of its inner grid that lie inside the array (an edge shard is
        // stored full size, but the writer makes no inner chunk past the array's edge).
        var expected = 1;
        var at = (ReadOnlySpan<int>)[shardIndex.T, shardIndex.C, shardIndex.Z, shardIndex.Y, shardIndex.X];
        for (var d = 0; d < 5; d++)
        {
            var innerChunks = (int)((array.Shape[d] + layout.InnerShape[d] - 1) / layout.InnerShape[d]);
            expected *= Math.Min(grid[d], innerChunks - (at[d] * grid[d]));
        }

        var shard = new PendingShard
        {
            Array = array,
            Layout = layout,
            ShardIndex = shardIndex,
            Buffer = _pool.Rent(checked((int)layout.MaxEncodedLength), clear: false),
            Index = new byte[checked((int)layout.InnerCount * 16)],
            Sequences = new long[expected],
            Expected = expected,
        };
        shard.Index.AsSpan().Fill(0xFF); // every inner chunk missing until it arrives
        shard.Length = layout.IndexAtStart ? layout.IndexEncodedLength : 0;
        return shard;
    }

    /// <summary>
    /// Writes the shard's index and stores it (temporary file + rename), then retires its inner chunks' sequences and
    /// gives its buffer back.
    /// </summary>
    public void Store(PendingShard shard)
    {
        try
        {
            if (shard.Stored > 0)
            {
                var layout = shard.Layout;
                int length;
                if (layout.IndexAtStart)
                {
                    layout.EncodeIndex(shard.Index, shard.Buffer.AsSpan(0, layout.IndexEncodedLength), shard.Array.Path);
                    length = shard.Length;
                }
                else
                {
                    layout.EncodeIndex(shard.Index, shard.Buffer.AsSpan(shard.Length, layout.IndexEncodedLength), shard.Array.Path);
                    length = shard.Length + layout.IndexEncodedLength;
                }

                var s = shard.ShardIndex;
                shard.Array.Zarr.WriteEncodedChunk([s.T, s.C, s.Z, s.Y, s.X], shard.Buffer.AsSpan(0, length));
            }

            // A shard of nothing but dropped frames is not stored: a missing shard reads as the fill value.
            _stored(shard.Sequences, shard.Received);
        }
        finally
        {
            _pool.Return(shard.Buffer);
        }
    }

    /// <summary>The inner chunk's place (C order) inside its shard, and the shard's index.</summary>
    private static int Locate(ShardLayout layout, ChunkIndex inner, out ChunkIndex shard)
    {
        var grid = layout.InnerGrid;
        shard = new ChunkIndex(inner.T / grid[0], inner.C / grid[1], inner.Z / grid[2], inner.Y / grid[3], inner.X / grid[4]);
        var local = inner.T % grid[0];
        local = (local * grid[1]) + (inner.C % grid[1]);
        local = (local * grid[2]) + (inner.Z % grid[2]);
        local = (local * grid[3]) + (inner.Y % grid[3]);
        return (local * grid[4]) + (inner.X % grid[4]);
    }

    /// <summary>A shard being packed: its buffer, index and the queue sequences of the inner chunks in it.</summary>
    internal sealed class PendingShard
    {
        public required OmeZarrArray Array;
        public required ShardLayout Layout;
        public required ChunkIndex ShardIndex;
        public required byte[] Buffer;
        public required byte[] Index;
        public required long[] Sequences;
        public required int Expected;
        public int Length;
        public int Stored;
        public int Received;
    }
}
