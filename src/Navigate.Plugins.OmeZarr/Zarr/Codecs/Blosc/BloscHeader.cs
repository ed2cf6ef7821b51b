using System.Buffers.Binary;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>The 16-byte blosc 1 header (all little endian).</summary>
internal readonly record struct BloscHeader(
    byte Version, byte CodecVersion, byte Flags, byte TypeSize, int DecodedLength, int BlockSize, int EncodedLength)
{
    public const int Size = 16;
    public const byte FormatVersion = 2;
    public const byte FlagByteShuffle = 0x01;
    public const byte FlagMemcpy = 0x02;
    public const byte FlagBitShuffle = 0x04;
    public const byte FlagReserved = 0x08;
    public const byte FlagDontSplit = 0x10;

    public bool IsMemcpy => (Flags & FlagMemcpy) != 0;

    public bool ByteShuffled => (Flags & FlagByteShuffle) != 0;

    public bool BitShuffled => (Flags & FlagBitShuffle) != 0;

    public bool DontSplit => (Flags & FlagDontSplit) != 0;

    /// <summary>0 blosclz, 1 lz4/lz4hc, 2 snappy, 3 zlib, 4 zstd.</summary>
    public int CompressorCode => Flags >> 5;

    public static BloscHeader Read(ReadOnlySpan<byte> frame) => new(
        frame[0], frame[1], frame[2], frame[3],
        BinaryPrimitives.ReadInt32LittleEndian(frame[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(frame[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(frame[12..]));

    public void Write(Span<byte> frame)
    {
        frame[0] = Version;
        frame[1] = CodecVersion;
        frame[2] = Flags;
        frame[3] = TypeSize;
        BinaryPrimitives.WriteInt32LittleEndian(frame[4..], DecodedLength);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], BlockSize);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], EncodedLength);
    }

    public static string CompressorName(int code) => code switch
    {
        0 => "blosclz",
        1 => "lz4",
        2 => "snappy",
        3 => "zlib",
        4 => "zstd",
        _ => $"unknown ({code})",
    };
}
