using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Blosc's byte shuffle: with element size T over n = length / T whole elements, output byte <c>j * n + i</c> is input
/// byte <c>i * T + j</c>; the bytes after the last whole element are copied as they are.
/// </summary>
internal static class ByteShuffle
{
    public static void Shuffle(ReadOnlySpan<byte> source, Span<byte> destination, int typeSize)
    {
        int n = source.Length / typeSize;
        int done = 0;
        if (typeSize == 2 && Ssse3.IsSupported)
        {
            done = Shuffle2Ssse3(source, destination, n);
        }
        else if (typeSize == 4 && Ssse3.IsSupported)
        {
            done = Shuffle4Ssse3(source, destination, n);
        }

        for (int j = 0; j < typeSize; j++)
        {
            Span<byte> plane = destination.Slice(j * n, n);
            for (int i = done; i < n; i++)
            {
                plane[i] = source[(i * typeSize) + j];
            }
        }

        int whole = n * typeSize;
        source[whole..].CopyTo(destination[whole..source.Length]);
    }

    public static void Unshuffle(ReadOnlySpan<byte> source, Span<byte> destination, int typeSize)
    {
        int n = source.Length / typeSize;
        int done = 0;
        if (typeSize == 2 && Sse2.IsSupported)
        {
            done = Unshuffle2Sse2(source, destination, n);
        }
        else if (typeSize == 4 && Sse2.IsSupported)
        {
            done = Unshuffle4Sse2(source, destination, n);
        }

        for (int j = 0; j < typeSize; j++)
        {
            ReadOnlySpan<byte> plane = source.Slice(j * n, n);
            for (int i = done; i < n; i++)
            {
                destination[(i * typeSize) + j] = plane[i];
            }
        }

        int whole = n * typeSize;
        source[whole..].CopyTo(destination[whole..source.Length]);
    }

    // 16 elements of 2 bytes per step: gather low bytes and high bytes with pshufb, then pair the halves.
    private static int Shuffle2Ssse3(ReadOnlySpan<byte> source, Span<byte> destination, int n)
    {
        Vector128<byte> split = Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte lo = ref MemoryMarshal.GetReference(destination);
        ref byte hi = ref Unsafe.Add(ref lo, n);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector128<ulong> a = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(i * 2)), split).AsUInt64();
            Vector128<ulong> b = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)((i * 2) + 16)), split).AsUInt64();
            Sse2.UnpackLow(a, b).AsByte().StoreUnsafe(ref lo, (nuint)i);
            Sse2.UnpackHigh(a, b).AsByte().StoreUnsafe(ref hi, (nuint)i);
        }

        return i;
    }

    // 16 elements of 4 bytes per step: pshufb groups each byte plane per register, then 32/64-bit unpacks transpose.
    private static int Shuffle4Ssse3(ReadOnlySpan<byte> source, Span<byte> destination, int n)
    {
        Vector128<byte> split = Vector128.Create((byte)0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte p0 = ref MemoryMarshal.GetReference(destination);
        ref byte p1 = ref Unsafe.Add(ref p0, n);
        ref byte p2 = ref Unsafe.Add(ref p1, n);
        ref byte p3 = ref Unsafe.Add(ref p2, n);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            nuint at = (nuint)(i * 4);
            Vector128<uint> a = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, at), split).AsUInt32();
            Vector128<uint> b = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, at + 16), split).AsUInt32();
            Vector128<uint> c = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, at + 32), split).AsUInt32();
            Vector128<uint> d = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, at + 48), split).AsUInt32();
            Vector128<ulong> ab01 = Sse2.UnpackLow(a, b).AsUInt64();
            Vector128<ulong> ab23 = Sse2.UnpackHigh(a, b).AsUInt64();
            Vector128<ulong> cd01 = Sse2.UnpackLow(c, d).AsUInt64();
            Vector128<ulong> cd23 = Sse2.UnpackHigh(c, d).AsUInt64();
            Sse2.UnpackLow(ab01, cd01).AsByte().StoreUnsafe(ref p0, (nuint)i);
            Sse2.UnpackHigh(ab01, cd01).AsByte().StoreUnsafe(ref p1, (nuint)i);
            Sse2.UnpackLow(ab23, cd23).AsByte().StoreUnsafe(ref p2, (nuint)i);
            Sse2.UnpackHigh(ab23, cd23).AsByte().StoreUnsafe(ref p3, (nuint)i);
        }

        return i;
    }

    private static int Unshuffle2Sse2(ReadOnlySpan<byte> source, Span<byte> destination, int n)
    {
        ref byte lo = ref MemoryMarshal.GetReference(source);
        ref byte hi = ref Unsafe.Add(ref lo, n);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector128<byte> a = Vector128.LoadUnsafe(ref lo, (nuint)i);
            Vector128<byte> b = Vector128.LoadUnsafe(ref hi, (nuint)i);
            Sse2.UnpackLow(a, b).StoreUnsafe(ref dst, (nuint)(i * 2));
            Sse2.UnpackHigh(a, b).StoreUnsafe(ref dst, (nuint)((i * 2) + 16));
        }

        return i;
    }

    private static int Unshuffle4Sse2(ReadOnlySpan<byte> source, Span<byte> destination, int n)
    {
        ref byte p0 = ref MemoryMarshal.GetReference(source);
        ref byte p1 = ref Unsafe.Add(ref p0, n);
        ref byte p2 = ref Unsafe.Add(ref p1, n);
        ref byte p3 = ref Unsafe.Add(ref p2, n);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector128<byte> a = Vector128.LoadUnsafe(ref p0, (nuint)i);
            Vector128<byte> b = Vector128.LoadUnsafe(ref p1, (nuint)i);
            Vector128<byte> c = Vector128.LoadUnsafe(ref p2, (nuint)i);
            Vector128<byte> d = Vector128.LoadUnsafe(ref p3, (nuint)i);
            Vector128<ushort> ab0 = Sse2.UnpackLow(a, b).AsUInt16();
            Vector128<ushort> ab1 = Sse2.UnpackHigh(a, b).AsUInt16();
            Vector128<ushort> cd0 = Sse2.UnpackLow(c, d).AsUInt16();
            Vector128<ushort> cd1 = Sse2.UnpackHigh(c, d).AsUInt16();
            nuint at = (nuint)(i * 4);
            Sse2.UnpackLow(ab0, cd0).AsByte().StoreUnsafe(ref dst, at);
            Sse2.UnpackHigh(ab0, cd0).AsByte().StoreUnsafe(ref dst, at + 16);
            Sse2.UnpackLow(ab1, cd1).AsByte().StoreUnsafe(ref dst, at + 32);
            Sse2.UnpackHigh(ab1, cd1).AsByte().StoreUnsafe(ref dst, at + 48);
        }

        return i;
    }
}
