namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Blosc's bit shuffle (the bitshuffle algorithm): for element size T over n elements (n a multiple of 8), the output
/// holds 8·T rows of n bits; row <c>8·j + b</c> holds bit b of byte j of every element, element i at bit i % 8 of byte
/// i / 8 of the row. Blosc only bit-shuffles when the block's element count is a multiple of 8 (otherwise the block is
/// copied as is); bytes after the last whole element are always copied as they are.
/// </summary>
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

        int rowBytes = n / 8;
        for (int j = 0; j < typeSize; j++)
        {
            for (int q = 0; q < rowBytes; q++)
            {
                // Byte j of elements 8q .. 8q+7 as the 8 bytes of one word; transpose the 8×8 bit matrix.
                int at = (8 * q * typeSize) + j;
                ulong x = 0;
                for (int m = 0; m < 8; m++)
                {
                    x |= (ulong)source[at + (m * typeSize)] << (8 * m);
                }

                x = Transpose8x8(x);
                int row = 8 * j * rowBytes;
                for (int b = 0; b < 8; b++)
                {
                    destination[row + (b * rowBytes) + q] = (byte)(x >> (8 * b));
                }
            }
        }

        int whole = n * typeSize;
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

        int rowBytes = n / 8;
        for (int j = 0; j < typeSize; j++)
        {
            int row = 8 * j * rowBytes;
            for (int q = 0; q < rowBytes; q++)
            {
                ulong x = 0;
                for (int b = 0; b < 8; b++)
                {
                    x |= (ulong)source[row + (b * rowBytes) + q] << (8 * b);
                }

                x = Transpose8x8(x);
                int at = (8 * q * typeSize) + j;
                for (int m = 0; m < 8; m++)
                {
                    destination[at + (m * typeSize)] = (byte)(x >> (8 * m));
                }
            }
        }

        int whole = n * typeSize;
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
}
