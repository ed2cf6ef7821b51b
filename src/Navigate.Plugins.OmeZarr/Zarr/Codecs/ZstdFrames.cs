using System.Buffers.Binary;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Reads the Zstandard frame header (RFC 8878, 3.1.1.1) without decoding, to check sizes before any work.</summary>
internal static class ZstdFrames
{
    public const ulong UnknownSize = ulong.MaxValue;
    private const uint Magic = 0xFD2FB528;

    /// <summary>The frame content size the first frame declares, or <see cref="UnknownSize"/> if it declares none or the header is unreadable.</summary>
    public static ulong DeclaredContentSize(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 6 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != Magic)
        {
            return UnknownSize;
        }

        byte descriptor = frame[4];
        int sizeFlag = descriptor >> 6;
        bool singleSegment = (descriptor & 0x20) != 0;
        int dictionaryIdSize = (descriptor & 3) switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 };
        int position = 5 + (singleSegment ? 0 : 1) + dictionaryIdSize;
        int fieldSize = sizeFlag switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 };
        if (fieldSize == 0 || frame.Length < position + fieldSize)
        {
            return UnknownSize;
        }

        ReadOnlySpan<byte> field = frame.Slice(position, fieldSize);
        return fieldSize switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16LittleEndian(field) + 256UL,
            4 => BinaryPrimitives.ReadUInt32LittleEndian(field),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(field),
        };
    }
}
