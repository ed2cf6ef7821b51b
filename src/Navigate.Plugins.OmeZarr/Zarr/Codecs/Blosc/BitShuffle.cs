using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Blosc's bit shuffle (the bitshuffle algorithm): for element size T over n elements (n a multiple of 8), the output
/// holds 8·T rows of n bits; row <c>8·j + b</c> holds bit b of byte j of every element, element i at bit i % 8 of byte
/// i / 8 of the row. Blosc only bit-shuffles when the block's element count is a multiple of 8 (otherwise the block is
/// copied as is); bytes after the last whole element are always copied as they are.
/// </summary>
/// <remarks>
/// Done in two steps: a byte shuffle gathers byte j of every element into plane j, then each plane's bits are
/// transposed into its 8 rows, 16 elements at a time with vector most-significant-bit masks.
/// </remarks>
internal static class BitShuffle
{
    public static void Shuffle(ReadOnlySpan<byte> source, Span<byte> destination, int typeSize)
    {
        int n = source.Length / typeSize;
        if (n % 8 != 0)
        {
            source.CopyTo(destination);
            return;
        }

        int whole = n * typeSize;
        byte[] planes = ArrayPool<byte>.Shared.Rent(Math.Max(1, whole));
        try
        {
            ByteShuffle.Shuffle(source[..whole], planes, typeSize);
            int rowBytes = n / 8;
            for (int j = 0; j < typeSize; j++)
            {
                PlaneToRows(planes.AsSpan(j * n, n), destination.Slice(8 * j * rowBytes, 8 * rowBytes), rowBytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(planes);
        }

        source[whole..].CopyTo(destination[whole..source.Length]);
    }

    public static void Unshuffle(ReadOnlySpan<byte> source, Span<byte> destination, int typeSize)
    {
        int n = source.Length / typeSize;
        if (n % 8 != 0)
        {
            source.CopyTo(destination);
            return;
        }

        int whole = n * typeSize;
        byte[] planes = ArrayPool<byte>.Shared.Rent(Math.Max(1, whole));
        try
        {
            int rowBytes = n / 8;
            for (int j = 0; j < typeSize; j++)
            {
                RowsToPlane(source.Slice(8 * j * rowBytes, 8 * rowBytes), planes.AsSpan(j * n, n), rowBytes);
            }

            ByteShuffle.Unshuffle(planes.AsSpan(0, whole), destination[..whole], typeSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(planes);
        }

        source[whole..].CopyTo(destination[whole..source.Length]);
    }

    /// <summary>Transposes an 8×8 bit matrix held in a word (byte m = row m, bit k = column k): bit 8m+k moves to 8k+m.</summary>
    internal static ulong Transpose8x8(ulong x)
    {
        ulong t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAUL;
        x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCUL;
        x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0UL;
        x ^= t ^ (t << 28);
        return x;
    }

    /// <summary>One byte plane (n bytes) to its 8 bit rows (n/8 bytes each).</summary>
    private static void PlaneToRows(ReadOnlySpan<byte> plane, Span<byte> rows, int rowBytes)
    {
        int k = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; k + 16 <= plane.Length; k += 16)
            {
                // The most significant bits of 16 bytes are bit 7 of 16 elements; shifting left walks down to bit 0.
                Vector128<byte> v = Vector128.Create(plane.Slice(k, 16));
                for (int b = 7; b >= 0; b--)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(rows[((b * rowBytes) + (k / 8))..], (ushort)v.ExtractMostSignificantBits());
                    v = Vector128.ShiftLeft(v.AsUInt16(), 1).AsByte();
                }
            }
        }

        for (; k < plane.Length; k += 8)
        {
            ulong x = Transpose8x8(BinaryPrimitives.ReadUInt64LittleEndian(plane[k..]));
            for (int b = 0; b < 8; b++)
            {
                rows[(b * rowBytes) + (k / 8)] = (byte)(x >> (8 * b));
            }
        }
    }

    /// <summary>8 bit rows (n/8 bytes each) back to one byte plane (n bytes).</summary>
    private static void RowsToPlane(ReadOnlySpan<byte> rows, Span<byte> plane, int rowBytes)
    {
        int k = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<byte> select = Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
            for (; k + 16 <= plane.Length; k += 16)
            {
                Vector128<byte> acc = Vector128<byte>.Zero;
                for (int b = 0; b < 8; b++)
                {
                    // Spread the row's 16 bits over 16 lanes, keep lane m's own bit, and put it at bit b.
                    ushort r = BinaryPrimitives.ReadUInt16LittleEndian(rows[((b * rowBytes) + (k / 8))..]);
                    Vector128<byte> spread = Vector128.Create((r & 0xFFUL) * 0x0101010101010101UL, (ulong)(r >> 8) * 0x0101010101010101UL).AsByte();
                    Vector128<byte> hit = Vector128.Equals(spread & select, select);
                    acc |= hit & Vector128.Create((byte)(1 << b));
                }

                acc.CopyTo(plane.Slice(k, 16));
            }
        }

        for (; k < plane.Length; k += 8)
        {
            ulong x = 0;
            for (int b = 0; b < 8; b++)
            {
                x |= (ulong)rows[(b * rowBytes) + (k / 8)] << (8 * b);
            }

            BinaryPrimitives.WriteUInt64LittleEndian(plane[k..], Transpose8x8(x));
        }
    }
}
