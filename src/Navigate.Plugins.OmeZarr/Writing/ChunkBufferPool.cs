using System.Collections.Concurrent;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>
/// Reusable chunk buffers by size. A stream of frames needs only as many buffers as chunks are open, queued or being
/// compressed at once (bounded by <see cref="ChunkWriteQueue"/>), so after the first few chunks nothing is allocated.
/// </summary>
internal sealed class ChunkBufferPool
{
    private readonly ConcurrentDictionary<int, ConcurrentBag<byte[]>> _free = new();
    private long _allocatedBytes;

    /// <summary>Bytes held by all buffers ever made (in use or free).</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    /// <summary>A buffer of exactly <paramref name="size"/> bytes, zeroed when <paramref name="clear"/>.</summary>
    public byte[] Rent(int size, bool clear)
    {
        if (_free.GetOrAdd(size, static _ => []).TryTake(out var buffer))
        {
            if (clear)
            {
                Array.Clear(buffer);
            }

            return buffer;
        }

        Interlocked.Add(ref _allocatedBytes, size);
        // A new array is zeroed unless asked for uninitialised memory.
        return clear ? new byte[size] : GC.AllocateUninitializedArray<byte>(size);
    }

    /// <summary>Gives <paramref name="buffer"/> back for reuse.</summary>
    public void Return(byte[] buffer) => _free.GetOrAdd(buffer.Length, static _ => []).Add(buffer);
}
