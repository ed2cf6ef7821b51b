using System.Buffers;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Conveniences on <see cref="IZarrStore"/>.</summary>
public static class ZarrStoreExtensions
{
    /// <summary>
    /// Reads the value under <paramref name="key"/> into a buffer rented from <see cref="ArrayPool{T}.Shared"/>; the
    /// caller disposes it to return the buffer. Null if there is no value.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="key">A valid key.</param>
    /// <param name="maxLength">The longest value accepted; a longer one raises <see cref="ZarrChunkException"/> before anything is allocated.</param>
    public static IMemoryOwner<byte>? TryGetPooled(this IZarrStore store, string key, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!store.TryGetSize(key, out long size))
        {
            return null;
        }

        if (size > maxLength)
        {
            throw new ZarrChunkException($"Value '{key}' is {size} bytes; at most {maxLength} bytes were expected.", key);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)size);
        try
        {
            if (!store.TryGet(key, rented, out int length))
            {
                ArrayPool<byte>.Shared.Return(rented);
                return null;
            }

            return new PooledBytes(rented, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    /// <summary>Reads a whole value into a new array, or null if there is none. For small values (metadata documents).</summary>
    /// <param name="store">The store.</param>
    /// <param name="key">A valid key.</param>
    /// <param name="maxLength">The longest value accepted (metadata documents: 64 MiB by default).</param>
    public static byte[]? TryGetBytes(this IZarrStore store, string key, int maxLength = 64 << 20)
    {
        using IMemoryOwner<byte>? owner = store.TryGetPooled(key, maxLength);
        return owner?.Memory.ToArray();
    }

    /// <summary>
    /// The names directly below <paramref name="prefix"/> that are nodes themselves (hold <c>.zarray</c> or
    /// <c>.zgroup</c>), in ordinal order.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="prefix">A node path, empty for the root.</param>
    public static IReadOnlyList<string> ListChildNodes(this IZarrStore store, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        int skip = prefix.Length == 0 ? 0 : prefix.Length + 1;
        foreach (string key in store.List(prefix))
        {
            ReadOnlySpan<char> rest = key.AsSpan(skip);
            int slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> tail = rest[(slash + 1)..];
            if (tail.SequenceEqual(".zarray") || tail.SequenceEqual(".zgroup") || tail.SequenceEqual("zarr.json"))
            {
                names.Add(rest[..slash].ToString());
            }
        }

        return [.. names];
    }

    private sealed class PooledBytes(byte[] array, int length) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array is { } a ? a.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledBytes));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } a)
            {
                ArrayPool<byte>.Shared.Return(a);
            }
        }
    }
}
