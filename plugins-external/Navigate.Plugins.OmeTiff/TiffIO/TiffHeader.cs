using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Navigate.Plugins.OmeTiff.TiffIO;

/// <summary>One entry of an image file directory, as stored.</summary>
/// <param name="Position">Byte offset of the entry in the file.</param>
/// <param name="Tag">Tag number.</param>
/// <param name="Type">TIFF field type (2 = ASCII).</param>
/// <param name="Count">Number of values.</param>
/// <param name="ValueOrOffset">The value itself when it fits in the entry, else the offset of the values.</param>
internal readonly record struct TiffEntry(long Position, ushort Tag, ushort Type, ulong Count, ulong ValueOrOffset);

/// <summary>
/// The header and the chain of image file directories (IFDs) of a TIFF or BigTIFF file, read with exact bounds checks.
/// LibTiff.NET does the tag work; this walk exists to name the page and byte offset when a file is truncated or a
/// directory offset is wrong (LibTiff reports those only as "cannot read directory"), and to find the entry the
/// OME-XML rewrite patches.
/// </summary>
internal sealed class TiffHeader
{
    /// <summary>Directories with more entries than this are garbage read as a directory (real ones have ~20).</summary>
    private const int MaxEntries = 4096;

    private TiffHeader(string path, bool littleEndian, bool bigTiff, long length, IReadOnlyList<long> ifdOffsets)
    {
        Path = path;
        LittleEndian = littleEndian;
        BigTiff = bigTiff;
        Length = length;
        IfdOffsets = ifdOffsets;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Byte order "II" (true) or "MM".</summary>
    public bool LittleEndian { get; }

    /// <summary>BigTIFF (version 43, 64-bit offsets).</summary>
    public bool BigTiff { get; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Offset of each page's IFD, in chain order.</summary>
    public IReadOnlyList<long> IfdOffsets { get; }

    private int EntrySize => BigTiff ? 20 : 12;

    private int CountSize => BigTiff ? 8 : 2;

    private int OffsetSize => BigTiff ? 8 : 4;

    /// <summary>
    /// Reads the header and walks every IFD (or, with <paramref name="walkChain"/> false, only locates the first);
    /// throws <see cref="TiffFormatException"/> on the first problem.
    /// </summary>
    public static TiffHeader Read(string path, SafeFileHandle handle, bool walkChain = true)
    {
        var length = RandomAccess.GetLength(handle);
        Span<byte> head = stackalloc byte[16];
        var got = RandomAccess.Read(handle, head, 0);
        if (got < 8)
        {
            throw new NotATiffException(path, $"not a TIFF file: a TIFF header needs 8 bytes, the file has {length}.");
        }

        var littleEndian = head[0] == (byte)'I' && head[1] == (byte)'I';
        if (!littleEndian && !(head[0] == (byte)'M' && head[1] == (byte)'M'))
        {
            throw new NotATiffException(path, $"not a TIFF file: expected byte-order mark 'II' or 'MM', found {Hex(head[..4])}.");
        }

        var version = Read16(head[2..], littleEndian);
        var bigTiff = version == 43;
        if (version != 42 && !bigTiff)
        {
            throw new NotATiffException(path, $"not a TIFF file: expected version 42 (TIFF) or 43 (BigTIFF) after the byte-order mark, found {version}.");
        }

        long first;
        if (bigTiff)
        {
            if (got < 16)
            {
                throw new TruncatedTiffException(path, null, 0, $"BigTIFF header needs 16 bytes, the file has {length}.");
            }

            if (Read16(head[4..], littleEndian) != 8)
            {
                throw new InvalidTiffStructureException(path, null, 4, $"BigTIFF offset size: expected 8, found {Read16(head[4..], littleEndian)}.");
            }

            first = checked((long)Read64(head[8..], littleEndian));
        }
        else
        {
            first = Read32(head[4..], littleEndian);
        }

        var header = new TiffHeader(path, littleEndian, bigTiff, length, [first]);
        return walkChain ? new TiffHeader(path, littleEndian, bigTiff, length, header.WalkChain(handle, first)) : header;
    }

    /// <summary>The entries of the IFD at <paramref name="ifdOffset"/>.</summary>
    public TiffEntry[] ReadEntries(SafeFileHandle handle, int page, long ifdOffset)
    {
        var (entries, _, _) = ReadDirectory(handle, page, ifdOffset);
        return entries;
    }

    /// <summary>Writes <paramref name="count"/> and <paramref name="offset"/> into the count and value fields of an entry.</summary>
    public void PatchEntry(SafeFileHandle handle, TiffEntry entry, ulong count, ulong offset)
    {
        Span<byte> field = stackalloc byte[16];
        if (BigTiff)
        {
            Write64(field, count);
            Write64(field[8..], offset);
        }
        else
        {
            Write32(field, checked((uint)count));
            Write32(field[4..], checked((uint)offset));
        }

        // One write of both fields: readers see either the old (count, offset) pair or the new one.
        RandomAccess.Write(handle, field[..(BigTiff ? 16 : 8)], entry.Position + 4);
    }

    private List<long> WalkChain(SafeFileHandle handle, long first)
    {
        var offsets = new List<long>();
        var seen = new HashSet<long>();
        var next = first;
        var pointerAt = BigTiff ? 8L : 4L;
        while (next != 0)
        {
            var page = offsets.Count;
            if (next < (BigTiff ? 16 : 8))
            {
                throw new InvalidTiffStructureException(Path, page, pointerAt, $"IFD offset {next} points into the file header; expected an offset past byte {(BigTiff ? 16 : 8)}.");
            }

            if (next + CountSize > Length)
            {
                throw new TruncatedTiffException(Path, page, pointerAt, $"the IFD offset {next} (stored at byte {pointerAt}) lies beyond the end of the file ({Length} bytes): the file is truncated or the offset is wrong.");
            }

            if (!seen.Add(next))
            {
                throw new InvalidTiffStructureException(Path, page, pointerAt, $"the IFD chain loops: offset {next} (stored at byte {pointerAt}) is the IFD of page {offsets.IndexOf(next)} again.");
            }

            offsets.Add(next);
            (_, next, pointerAt) = ReadDirectory(handle, page, next);
        }

        if (offsets.Count == 0)
        {
            throw new InvalidTiffStructureException(Path, null, BigTiff ? 8 : 4, "the header's first IFD offset is 0: the file has no pages.");
        }

        return offsets;
    }

    private long EntryCount(SafeFileHandle handle, long ifdOffset)
    {
        Span<byte> buffer = stackalloc byte[8];
        RandomAccess.Read(handle, buffer[..CountSize], ifdOffset);
        return BigTiff ? (long)Read64(buffer, LittleEndian) : Read16(buffer, LittleEndian);
    }

    private (TiffEntry[] Entries, long Next, long NextPointerAt) ReadDirectory(SafeFileHandle handle, int page, long ifdOffset)
    {
        var count = EntryCount(handle, ifdOffset);
        if (count == 0 || count > MaxEntries)
        {
            throw new InvalidTiffStructureException(Path, page, ifdOffset, $"the IFD declares {count} entries; expected 1..{MaxEntries}. The offset of this IFD is probably wrong.");
        }

        var size = (count * EntrySize) + OffsetSize;
        var start = ifdOffset + CountSize;
        if (start + size > Length)
        {
            throw new TruncatedTiffException(Path, page, ifdOffset, $"the IFD's {count} entries and next-IFD offset need bytes {start}..{start + size}, but the file ends at {Length}.");
        }

        var buffer = new byte[size];
        RandomAccess.Read(handle, buffer, start);
        var entries = new TiffEntry[count];
        var previousTag = -1;
        for (var i = 0; i < count; i++)
        {
            var e = buffer.AsSpan(i * EntrySize, EntrySize);
            var tag = Read16(e, LittleEndian);
            if (tag <= previousTag)
            {
                throw new InvalidTiffStructureException(Path, page, ifdOffset, $"IFD entry {i} has tag {tag} after tag {previousTag}; TIFF requires ascending tags. This is not a directory: the offset pointing here is wrong.");
            }

            previousTag = tag;
            var type = Read16(e[2..], LittleEndian);
            var (entryCount, value) = BigTiff
                ? (Read64(e[4..], LittleEndian), Read64(e[12..], LittleEndian))
                : (Read32(e[4..], LittleEndian), (ulong)Read32(e[8..], LittleEndian));
            entries[i] = new TiffEntry(start + (i * (long)EntrySize), tag, type, entryCount, value);
            var bytes = TypeSize(type) * entryCount;
            if (bytes > (ulong)OffsetSize && (value > (ulong)Length || bytes > (ulong)Length - value))
            {
                throw new TruncatedTiffException(Path, page, (long)Math.Min(value, long.MaxValue), $"the values of tag {tag} ({entryCount} x type {type}) need bytes {value}..{value + bytes}, but the file ends at {Length}: the file is truncated or the tag's offset is wrong.");
            }
        }

        var nextSpan = buffer.AsSpan((int)(count * EntrySize));
        var next = BigTiff ? checked((long)Read64(nextSpan, LittleEndian)) : Read32(nextSpan, LittleEndian);
        return (entries, next, start + (count * EntrySize));
    }

    /// <summary>Bytes per value of a TIFF field type; 0 for types this check does not know.</summary>
    private static ulong TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private static ushort Read16(ReadOnlySpan<byte> b, bool le) => le ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint Read32(ReadOnlySpan<byte> b, bool le) => le ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong Read64(ReadOnlySpan<byte> b, bool le) => le ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);

    private void Write32(Span<byte> b, uint v)
    {
        if (LittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }
    }

    private void Write64(Span<byte> b, ulong v)
    {
        if (LittleEndian)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(b, v);
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexString(bytes);
        var text = new string([.. bytes.ToArray().Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.')]);
        return $"{string.Join(' ', Enumerable.Range(0, bytes.Length).Select(i => hex.Substring(i * 2, 2)))} (\"{text}\")";
    }
}
