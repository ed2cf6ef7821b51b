using System.Buffers;
using System.Buffers.Binary;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// BloscLZ, blosc's own LZ77 format (codec format 1), written from the format as c-blosc's decoder reads it:
/// a stream of instructions, the first always a literal run.
/// <list type="bullet">
/// <item>Literal run: a control byte <c>c &lt; 32</c>, then <c>c + 1</c> bytes.</item>
/// <item>Match: a control byte <c>L &lt;&lt; 5 | H</c> with <c>L</c> in 1..7 and <c>H</c> the high 5 bits of the distance;
/// when <c>L == 7</c> length bytes follow (added up while they are 255); then the low distance byte <c>D</c>.
/// Length = <c>L + 2</c> (or 9 + the length bytes), distance = <c>H·256 + D + 1</c>; when <c>H = 31</c> and
/// <c>D = 255</c> a 16-bit big-endian <c>F</c> follows and the distance is <c>F + 8192</c>.</item>
/// </list>
/// The decoder stops after a literal run that reaches the end of the input; c-blosc's does the same, so a stream
/// always ends with a literal run (a match at the very end is never copied). Our encoder is a simple greedy one with a
/// 4-byte hash; it ends every stream with a literal run.
/// </summary>
internal static class BloscLZ
{
    private const int MaxNearDistance = 8191;
    private const int MaxFarDistance = 8192 + 65535;
    private const int HashLog = 13;
    private const int MinInput = 16;

    /// <summary>Decodes into <paramref name="destination"/>; returns the decoded length, or -1 if the stream is malformed (never reads or writes outside the spans).</summary>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int n = source.Length;
        int outLength = destination.Length;
        if (n == 0)
        {
            return 0;
        }

        int ip = 0;
        int op = 0;
        int ctrl = source[ip++] & 31;
        while (true)
        {
            if (ctrl >= 32)
            {
                long length = (ctrl >> 5) - 1;
                int distance = (ctrl & 31) << 8;
                int code;
                if (length == 6)
                {
                    do
                    {
                        if (ip + 1 >= n)
                        {
                            return -1;
                        }

                        code = source[ip++];
                        length += code;
                        if (length > outLength)
                        {
                            return -1;
                        }
                    }
                    while (code == 255);
                }
                else if (ip + 1 >= n)
                {
                    return -1;
                }

                code = source[ip++];
                length += 3;
                distance += code;
                if (code == 255 && distance == (31 << 8) + 255)
                {
                    if (ip + 1 >= n)
                    {
                        return -1;
                    }

                    distance = (source[ip] << 8) + source[ip + 1] + MaxNearDistance;
                    ip += 2;
                }

                int from = op - distance - 1;
                if (op + length > outLength || from < 0)
                {
                    return -1;
                }

                if (ip >= n)
                {
                    break;
                }

                ctrl = source[ip++];
                int len = (int)length;
                if (distance + 1 >= len)
                {
                    destination.Slice(from, len).CopyTo(destination.Slice(op, len));
                }
                else if (distance == 0)
                {
                    destination.Slice(op, len).Fill(destination[from]);
                }
                else
                {
                    // Overlapping match: each byte may be one this match just wrote.
                    for (int k = 0; k < len; k++)
                    {
                        destination[op + k] = destination[from + k];
                    }
                }

                op += len;
            }
            else
            {
                int count = ctrl + 1;
                if (op + count > outLength || ip + count > n)
                {
                    return -1;
                }

                source.Slice(ip, count).CopyTo(destination.Slice(op, count));
                op += count;
                ip += count;
                if (ip >= n)
                {
                    break;
                }

                ctrl = source[ip++];
            }
        }

        return op;
    }

    /// <summary>Encodes into <paramref name="destination"/>; returns the encoded length, or 0 if the result would not be shorter than the input or not fit.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int n = source.Length;
        if (n < MinInput)
        {
            return 0;
        }

        int limit = Math.Min(destination.Length, n - 1);
        int[] table = ArrayPool<int>.Shared.Rent(1 << HashLog);
        try
        {
            table.AsSpan(0, 1 << HashLog).Fill(-1);
            int op = 0;
            int anchor = 0;
            int ip = 1; // the stream starts with a literal run
            int matchEnd = n - 1; // and ends with one: matches never reach the last byte
            while (ip + 4 <= matchEnd)
            {
                uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(source[ip..]);
                int h = (int)((sequence * 2654435761U) >> (32 - HashLog));
                int candidate = table[h];
                table[h] = ip;
                int distance = ip - candidate;
                if (candidate < 0 || distance > MaxFarDistance || BinaryPrimitives.ReadUInt32LittleEndian(source[candidate..]) != sequence)
                {
                    ip++;
                    continue;
                }

                int length = 4;
                while (ip + length < matchEnd && source[candidate + length] == source[ip + length])
                {
                    length++;
                }

                op = EmitLiterals(source[anchor..ip], destination, op, limit);
                if (op < 0)
                {
                    return 0;
                }

                op = EmitMatch(destination, op, limit, length, distance);
                if (op < 0)
                {
                    return 0;
                }

                ip += length;
                anchor = ip;
                if (ip - 2 > 0 && ip + 2 <= matchEnd)
                {
                    table[(int)((BinaryPrimitives.ReadUInt32LittleEndian(source[(ip - 2)..]) * 2654435761U) >> (32 - HashLog))] = ip - 2;
                }
            }

            op = EmitLiterals(source[anchor..], destination, op, limit);
            return op < 0 ? 0 : op;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    private static int EmitLiterals(ReadOnlySpan<byte> literals, Span<byte> destination, int op, int limit)
    {
        while (literals.Length > 0)
        {
            int count = Math.Min(32, literals.Length);
            if (op + 1 + count > limit)
            {
                return -1;
            }

            destination[op++] = (byte)(count - 1);
            literals[..count].CopyTo(destination[op..]);
            op += count;
            literals = literals[count..];
        }

        return op;
    }

    private static int EmitMatch(Span<byte> destination, int op, int limit, int length, int distance)
    {
        // Worst case: control, length bytes, distance byte, 2 far bytes.
        if (op + 5 + (length / 255) > limit)
        {
            return -1;
        }

        int d = distance - 1;
        bool far = d >= MaxNearDistance;
        int high = far ? 31 : d >> 8;
        if (length <= 8)
        {
            destination[op++] = (byte)(((length - 2) << 5) | high);
        }
        else
        {
            destination[op++] = (byte)((7 << 5) | high);
            int rest = length - 9;
            while (rest >= 255)
            {
                destination[op++] = 255;
                rest -= 255;
            }

            destination[op++] = (byte)rest;
        }

        if (far)
        {
            int f = distance - 8192;
            destination[op++] = 255;
            destination[op++] = (byte)(f >> 8);
            destination[op++] = (byte)f;
        }
        else
        {
            destination[op++] = (byte)d;
        }

        return op;
    }
}
