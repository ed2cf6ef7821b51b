using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>
/// The two halves of storing a chunk, which <see cref="ChunkWriteQueue"/> runs on different threads: compression never
/// waits for the disk, and the disk is never idle while a core compresses.
/// </summary>
internal interface IChunkSink
{
    /// <summary>Compresses one chunk, on a compression thread; what it returns says what is left to store.</summary>
    /// <param name="job">The decoded chunk.</param>
    /// <param name="buffers">Where the encoding goes: rent one buffer, write the encoding at its start.</param>
    EncodedChunk Encode(in ChunkJob job, EncodedBufferPool buffers);

    /// <summary>Stores what <see cref="Encode"/> left to store, on a write thread.</summary>
    /// <param name="job">The chunk (its buffer still holds the decoded chunk only when it is stored as it is).</param>
    /// <param name="encoded">The encoding: <see cref="EncodedChunk.Buffer"/> or, stored as is, the job's buffer.</param>
    void Store(in ChunkJob job, in EncodedChunk encoded);
}

/// <summary>What <see cref="IChunkSink.Encode"/> left to do for a chunk.</summary>
internal readonly struct EncodedChunk
{
    private EncodedChunk(EncodedChunkKind kind, AlignedBuffer? buffer, int length, object? state = null)
    {
        Kind = kind;
        Buffer = buffer;
        Length = length;
        State = state;
    }

    /// <summary>Nothing: the chunk was stored during encoding and is durable.</summary>
    public static EncodedChunk Stored => new(EncodedChunkKind.Stored, null, 0);

    /// <summary>Nothing now: something else stores the chunk and retires it (a shard's inner chunk, by its packer).</summary>
    public static EncodedChunk Deferred => new(EncodedChunkKind.Deferred, null, 0);

    /// <summary>What to store.</summary>
    public EncodedChunkKind Kind { get; }

    /// <summary>For <see cref="EncodedChunkKind.Encoded"/>: the rented buffer whose first <see cref="Length"/> bytes are the encoding.</summary>
    public AlignedBuffer? Buffer { get; }

    /// <summary>Bytes to store.</summary>
    public int Length { get; }

    /// <summary>For <see cref="EncodedChunkKind.Packed"/>: what the sink stores (a completed shard).</summary>
    public object? State { get; }

    /// <summary>The encoding is the first <paramref name="length"/> bytes of <paramref name="buffer"/> (rented from the pool).</summary>
    public static EncodedChunk Encoded(AlignedBuffer buffer, int length) => new(EncodedChunkKind.Encoded, buffer, length);

    /// <summary>The chunk is its own encoding (no codec): the job's buffer is stored.</summary>
    public static EncodedChunk AsIs(int length) => new(EncodedChunkKind.AsIs, null, length);

    /// <summary>
    /// The chunk completed something larger that holds it (a shard) and that the sink stores from
    /// <paramref name="state"/>; storing it retires this chunk's sequence and those packed with it.
    /// </summary>
    public static EncodedChunk Packed(object state) => new(EncodedChunkKind.Packed, null, 0, state);
}

/// <summary>Kinds of <see cref="EncodedChunk"/>.</summary>
internal enum EncodedChunkKind
{
    /// <summary>Stored during encoding.</summary>
    Stored,

    /// <summary>Stored and retired by someone else.</summary>
    Deferred,

    /// <summary>An encoding in a rented buffer, to store.</summary>
    Encoded,

    /// <summary>The job's own buffer, to store.</summary>
    AsIs,

    /// <summary>Something holding the chunk, to store; storing it retires the chunks it holds.</summary>
    Packed,
}
