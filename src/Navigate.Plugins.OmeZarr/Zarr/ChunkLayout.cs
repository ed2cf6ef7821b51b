using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Converts between the stored layout of a chunk (F order, big endian) and the in-memory one (C order, little endian).</summary>
internal static class ChunkLayout
{
    /// <summary>Stored bytes to memory layout.</summary>
    public static void ToMemoryLayout(ReadOnlySpan<byte> stored, Span<byte> memory, ReadOnlySpan<int> chunks, int itemSize, ZarrOrder order, bool bigEndian) =>
        Convert(stored, memory, chunks, itemSize, order == ZarrOrder.F, bigEndian, fortranToC: true);

    /// <summary>Memory layout to stored bytes.</summary>
    public static void FromMemoryLayout(ReadOnlySpan<byte> memory, Span<byte> stored, ReadOnlySpan<int> chunks, int itemSize, ZarrOrder order, bool bigEndian) =>
        Convert(memory, stored, chunks, itemSize, order == ZarrOrder.F, bigEndian, fortranToC: false);

    /// <summary>Reverses the byte order of every element.</summary>
    public static void SwapBytes(ReadOnlySpan<byte> source, Span<byte> destination, int itemSize)
    {
        switch (itemSize)
        {
            case 1:
                source.CopyTo(destination);
                break;
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(source), MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(source), MemoryMarshal.Cast<byte, uint>(destination));
                break;
            default:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(source), MemoryMarshal.Cast<byte, ulong>(destination));
                break;
        }
    }

    private static void Convert(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<int> chunks, int itemSize, bool fortran, bool swap, bool fortranToC)
    {
        if (!fortran)
        {
            if (swap)
            {
                SwapBytes(source, destination, itemSize);
            }
            else
            {
                source.CopyTo(destination);
            }

            return;
        }

        // Walk the elements in C order (the in-memory side) and keep the matching F-order offset.
        int rank = chunks.Length;
        Span<long> fortranStride = stackalloc long[rank];
        Span<int> index = stackalloc int[rank];
        long stride = 1;
        for (int d = 0; d < rank; d++)
        {
            fortranStride[d] = stride;
            stride *= chunks[d];
        }

        long total = stride;
        index.Clear();
        long fortranOffset = 0;
        for (long c = 0; c < total; c++)
        {
            ReadOnlySpan<byte> from = fortranToC
                ? source.Slice((int)(fortranOffset * itemSize), itemSize)
                : source.Slice((int)(c * itemSize), itemSize);
            Span<byte> to = fortranToC
                ? destination.Slice((int)(c * itemSize), itemSize)
                : destination.Slice((int)(fortranOffset * itemSize), itemSize);
            from.CopyTo(to);
            if (swap)
            {
                to.Reverse();
            }

            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < chunks[d])
                {
                    fortranOffset += fortranStride[d];
                    break;
                }

                fortranOffset -= (long)(chunks[d] - 1) * fortranStride[d];
                index[d] = 0;
            }
        }
    }
}
