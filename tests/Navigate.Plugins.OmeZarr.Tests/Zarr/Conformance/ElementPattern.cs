using System.Buffers.Binary;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;

/// <summary>Deterministic element values for a dtype, little endian: smooth with some jitter, negative values for signed types, large values for 64-bit ones.</summary>
internal static class ElementPattern
{
    public static byte[] Bytes(ZarrDataType type, long count)
    {
        var bytes = new byte[count * type.ItemSize];
        for (long i = 0; i < count; i++)
        {
            Span<byte> e = bytes.AsSpan((int)(i * type.ItemSize), type.ItemSize);
            long smooth = (i % 97 * 3) + (i / 50) + ((i * 7919) % 5);
            switch (type.Kind, type.ItemSize)
            {
                case (ZarrDataKind.UnsignedInteger, 1): e[0] = (byte)smooth; break;
                case (ZarrDataKind.SignedInteger, 1): e[0] = (byte)(sbyte)(smooth - 128); break;
                case (ZarrDataKind.UnsignedInteger, 2): BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)(1000 + smooth)); break;
                case (ZarrDataKind.SignedInteger, 2): BinaryPrimitives.WriteInt16LittleEndian(e, (short)(smooth - 700)); break;
                case (ZarrDataKind.UnsignedInteger, 4): BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)(3_000_000_000 + (smooth * 65537))); break;
                case (ZarrDataKind.SignedInteger, 4): BinaryPrimitives.WriteInt32LittleEndian(e, (int)((smooth - 300) * 100_003)); break;
                case (ZarrDataKind.UnsignedInteger, 8): BinaryPrimitives.WriteUInt64LittleEndian(e, 0xF000_0000_0000_0000UL + (ulong)(smooth * 1_000_000_007)); break;
                case (ZarrDataKind.SignedInteger, 8): BinaryPrimitives.WriteInt64LittleEndian(e, (smooth - 300) * 1_000_000_000_007); break;
                case (ZarrDataKind.Float, 4): BinaryPrimitives.WriteSingleLittleEndian(e, (float)((smooth * 0.25) - 40.5)); break;
                default: BinaryPrimitives.WriteDoubleLittleEndian(e, (smooth * 0.125) - 40.0625 + (i * 1e-9)); break;
            }
        }

        return bytes;
    }
}
