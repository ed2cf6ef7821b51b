using System.Runtime.InteropServices;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Copies the intersection of a C-order region and a C-order chunk, one contiguous row at a time.</summary>
internal static class RegionCopy
{
    public static void RegionToChunk(
        ReadOnlySpan<byte> region, ReadOnlySpan<long> start, ReadOnlySpan<long> shape,
        Span<byte> chunk, ReadOnlySpan<long> chunkIndex, ReadOnlySpan<int> chunks, int itemSize) =>
        Copy(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(region), region.Length), start, shape, chunk, chunkIndex, chunks, itemSize, toChunk: true);

    public static void ChunkToRegion(
        ReadOnlySpan<byte> chunk, ReadOnlySpan<long> chunkIndex, ReadOnlySpan<int> chunks,
        Span<byte> region, ReadOnlySpan<long> start, ReadOnlySpan<long> shape, int itemSize) =>
        Copy(region, start, shape, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(chunk), chunk.Length), chunkIndex, chunks, itemSize, toChunk: false);

    // One loop for both directions; the read-only side is only ever read.
    private static void Copy(
        Span<byte> region, ReadOnlySpan<long> start, ReadOnlySpan<long> shape,
        Span<byte> chunk, ReadOnlySpan<long> chunkIndex, ReadOnlySpan<int> chunks, int itemSize, bool toChunk)
    {
        int rank = shape.Length;
        Span<long> regionOrigin = stackalloc long[rank];
        Span<long> chunkOrigin = stackalloc long[rank];
        Span<long> count = stackalloc long[rank];
        Span<long> regionStride = stackalloc long[rank];
        Span<long> chunkStride = stackalloc long[rank];
        Span<long> index = stackalloc long[rank];
        long rs = 1;
        long cs = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            long chunkStart = chunkIndex[d] * chunks[d];
            long lo = Math.Max(start[d], chunkStart);
            long hi = Math.Min(start[d] + shape[d], chunkStart + chunks[d]);
            regionOrigin[d] = lo - start[d];
            chunkOrigin[d] = lo - chunkStart;
            count[d] = hi - lo;
            regionStride[d] = rs;
            chunkStride[d] = cs;
            rs *= shape[d];
            cs *= chunks[d];
        }

        int rowBytes = checked((int)(count[rank - 1] * itemSize));
        index.Clear();
        while (true)
        {
            long regionOffset = 0;
            long chunkOffset = 0;
            for (int d = 0; d < rank; d++)
            {
                regionOffset += (regionOrigin[d] + index[d]) * regionStride[d];
                chunkOffset += (chunkOrigin[d] + index[d]) * chunkStride[d];
            }

            Span<byte> r = region.Slice(checked((int)(regionOffset * itemSize)), rowBytes);
            Span<byte> c = chunk.Slice(checked((int)(chunkOffset * itemSize)), rowBytes);
            if (toChunk)
            {
                r.CopyTo(c);
            }
            else
            {
                c.CopyTo(r);
            }

            int dim = rank - 2;
            while (dim >= 0)
            {
                if (++index[dim] < count[dim])
                {
                    break;
                }

                index[dim] = 0;
                dim--;
            }

            if (dim < 0)
            {
                return;
            }
        }
    }
}
