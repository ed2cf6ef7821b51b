using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using K4os.Compression.LZ4;
using ZstdSharp;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// The blosc 1 frame: a 16-byte header (<see cref="BloscHeader"/>), then either the raw bytes (memcpy flag) or one
/// int32 start offset per block (from the frame start) followed by the blocks; each block holds one or
/// <c>typesize</c> streams ("splits"), each an int32 length and that many bytes, raw when the length equals the
/// stream's decoded length. Blocks are shuffled before they are split and compressed.
/// </summary>
internal static class BloscFrame
{
    private const int MinBufferSize = 128;
    private const int MaxSplits = 16;
    private const int L1 = 32 * 1024;
    private const int MaxBlockSize = (int.MaxValue - (255 * 4)) / 3;

    private static readonly ConcurrentBag<Decompressor> ZstdDecompressors = [];

    public static int MaxEncodedLength(int decodedLength) => checked(decodedLength + BloscHeader.Size);

    // ---------------------------------------------------------------- encoding

    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination, int itemSize, BloscCodec codec)
    {
        int nbytes = source.Length;
        if (nbytes > int.MaxValue - BloscHeader.Size)
        {
            throw new ArgumentException($"Blosc frames hold at most {int.MaxValue - BloscHeader.Size} bytes; got {nbytes}.", nameof(source));
        }

        if (destination.Length < nbytes + BloscHeader.Size)
        {
            throw new ArgumentException(
                $"The destination ({destination.Length} bytes) is smaller than the worst-case blosc frame ({nbytes + BloscHeader.Size} bytes).", nameof(destination));
        }

        int typeSize = itemSize is >= 1 and <= 255 ? itemSize : 1;
        BloscShuffle shuffle = codec.Shuffle == BloscShuffle.Auto
            ? (typeSize == 1 ? BloscShuffle.BitShuffle : BloscShuffle.ByteShuffle)
            : codec.Shuffle;
        int blockSize = ComputeBlockSize(codec.Compressor, codec.Level, typeSize, nbytes, codec.BlockSize);
        bool split = SplitBlock(codec.Compressor, typeSize, blockSize);
        int flags = (shuffle == BloscShuffle.ByteShuffle ? BloscHeader.FlagByteShuffle : 0)
            | (shuffle == BloscShuffle.BitShuffle ? BloscHeader.FlagBitShuffle : 0)
            | (split ? 0 : BloscHeader.FlagDontSplit)
            | (CompressorCode(codec.Compressor) << 5);

        int written = 0;
        if (codec.Level > 0 && nbytes >= MinBufferSize)
        {
            written = CompressBlocks(source, destination, codec, typeSize, blockSize, split, flags);
        }

        if (written == 0)
        {
            // clevel 0, tiny input, or incompressible: the frame is the header and the raw bytes.
            flags |= BloscHeader.FlagMemcpy;
            source.CopyTo(destination[BloscHeader.Size..]);
            written = nbytes + BloscHeader.Size;
        }

        new BloscHeader(BloscHeader.FormatVersion, 1, (byte)flags, (byte)typeSize, nbytes, blockSize, written).Write(destination);
        return written;
    }

    /// <summary>c-blosc 1.x's automatic block size (and its clamping of a forced one).</summary>
    internal static int ComputeBlockSize(BloscCompressor compressor, int level, int typeSize, int nbytes, int forced)
    {
        if (nbytes < typeSize)
        {
            return 1;
        }

        int blockSize = nbytes;
        bool highRatio = compressor is BloscCompressor.LZ4HC or BloscCompressor.Zlib or BloscCompressor.Zstd;
        if (forced > 0)
        {
            blockSize = Math.Clamp(forced, MinBufferSize, MaxBlockSize);
        }
        else if (nbytes >= L1)
        {
            blockSize = highRatio ? L1 * 2 : L1;
            blockSize = level switch
            {
                0 => blockSize / 4,
                1 => blockSize / 2,
                2 => blockSize,
                3 => blockSize * 2,
                4 or 5 => blockSize * 4,
                6 or 7 or 8 => blockSize * 8,
                _ => blockSize * 8 * (highRatio ? 2 : 1),
            };
        }

        if (level > 0 && SplitBlock(compressor, typeSize, blockSize))
        {
            blockSize = Math.Min(blockSize, 1 << 18) * typeSize;
            blockSize = Math.Clamp(blockSize, 1 << 16, 1024 * 1024);
        }

        blockSize = Math.Min(blockSize, nbytes);
        if (blockSize > typeSize)
        {
            blockSize = blockSize / typeSize * typeSize;
        }

        return blockSize;
    }

    private static bool SplitBlock(BloscCompressor compressor, int typeSize, int blockSize) =>
        compressor != BloscCompressor.Zstd && typeSize <= MaxSplits && blockSize / typeSize >= MinBufferSize;

    private static int CompressorCode(BloscCompressor compressor) => compressor switch
    {
        BloscCompressor.BloscLZ => 0,
        BloscCompressor.LZ4 or BloscCompressor.LZ4HC => 1,
        BloscCompressor.Zlib => 3,
        _ => 4,
    };

    /// <summary>Writes offsets and blocks after the header; returns the frame length, or 0 if it would not be smaller than a plain copy.</summary>
    private static int CompressBlocks(ReadOnlySpan<byte> source, Span<byte> destination, BloscCodec codec, int typeSize, int blockSize, bool split, int flags)
    {
        int nbytes = source.Length;
        int maxBytes = nbytes + BloscHeader.Size;
        int blocks = (nbytes / blockSize) + (nbytes % blockSize == 0 ? 0 : 1);
        long tableEnd = BloscHeader.Size + (4L * blocks);
        if (tableEnd > maxBytes)
        {
            return 0;
        }

        int written = (int)tableEnd;
        bool byteShuffle = (flags & BloscHeader.FlagByteShuffle) != 0 && typeSize > 1;
        bool bitShuffle = (flags & BloscHeader.FlagBitShuffle) != 0;
        byte[]? shuffled = byteShuffle || bitShuffle ? ArrayPool<byte>.Shared.Rent(blockSize) : null;
        Compressor? zstd = codec.Compressor == BloscCompressor.Zstd ? codec.RentZstdCompressor() : null;
        try
        {
            for (int j = 0; j < blocks; j++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(destination[(BloscHeader.Size + (4 * j))..], written);
                bool leftover = j == blocks - 1 && nbytes % blockSize != 0;
                int size = leftover ? nbytes % blockSize : blockSize;
                ReadOnlySpan<byte> block = source.Slice(j * blockSize, size);
                if (byteShuffle)
                {
                    ByteShuffle.Shuffle(block, shuffled, typeSize);
                    block = shuffled.AsSpan(0, size);
                }
                else if (bitShuffle && size >= typeSize)
                {
                    BitShuffle.Shuffle(block, shuffled, typeSize);
                    block = shuffled.AsSpan(0, size);
                }

                int splits = split && !leftover ? typeSize : 1;
                int streamSize = size / splits;
                for (int s = 0; s < splits; s++)
                {
                    written += 4;
                    int maxOut = Math.Min(streamSize, maxBytes - written);
                    if (maxOut <= 0)
                    {
                        return 0;
                    }

                    ReadOnlySpan<byte> stream = block.Slice(s * streamSize, streamSize);
                    int length = CompressStream(codec, zstd, stream, destination.Slice(written, maxOut));
                    if (length <= 0 || length >= streamSize)
                    {
                        if (written + streamSize > maxBytes)
                        {
                            return 0;
                        }

                        stream.CopyTo(destination[written..]);
                        length = streamSize;
                    }

                    BinaryPrimitives.WriteInt32LittleEndian(destination[(written - 4)..], length);
                    written += length;
                }
            }

            return written;
        }
        finally
        {
            if (shuffled is not null)
            {
                ArrayPool<byte>.Shared.Return(shuffled);
            }

            if (zstd is not null)
            {
                codec.ReturnZstdCompressor(zstd);
            }
        }
    }

    /// <summary>Compresses one stream into <paramref name="destination"/> (at most the stream's length); 0 if it does not fit.</summary>
    private static int CompressStream(BloscCodec codec, Compressor? zstd, ReadOnlySpan<byte> stream, Span<byte> destination)
    {
        switch (codec.Compressor)
        {
            case BloscCompressor.BloscLZ:
                return BloscLZ.Encode(stream, destination);
            case BloscCompressor.LZ4:
                return Math.Max(0, Lz4FastEncoder.Encode(stream, destination, Lz4Acceleration(codec.Level)));
            case BloscCompressor.LZ4HC:
                return Math.Max(0, LZ4Codec.Encode(stream, destination, (LZ4Level)Math.Max(3, codec.Level)));
            case BloscCompressor.Zlib:
                try
                {
                    return DeflateStreams.Encode(stream, destination, codec.Level, gzip: false);
                }
                catch (ArgumentException)
                {
                    return 0;
                }

            default:
                return zstd!.TryWrap(stream, destination, out int written) ? written : 0;
        }
    }

    /// <summary>c-blosc's mapping of clevel 1–9 to LZ4 acceleration: clevel 9 is acceleration 1 (best ratio).</summary>
    internal static int Lz4Acceleration(int level) => 10 - Math.Clamp(level, 1, 9);

    /// <summary>c-blosc's mapping of clevel 1–9 to zstd levels.</summary>
    internal static int ZstdLevel(int level) => level < 9 ? (level * 2) - 1 : Compressor.MaxCompressionLevel;

    // ---------------------------------------------------------------- decoding

    public static void Decode(ReadOnlySpan<byte> source, Span<byte> destination, string? key)
    {
        if (source.Length < BloscHeader.Size)
        {
            throw Corrupt(key, $"truncated header: the chunk has {source.Length} bytes, a blosc header needs {BloscHeader.Size}");
        }

        BloscHeader h = BloscHeader.Read(source);
        if (h.Version != BloscHeader.FormatVersion)
        {
            throw Corrupt(key, $"header byte 0 (format version) is {h.Version}, expected {BloscHeader.FormatVersion}");
        }

        if ((h.Flags & BloscHeader.FlagReserved) != 0)
        {
            throw Corrupt(key, $"header byte 2 (flags) is 0x{h.Flags:X2}: reserved flag 0x08 is set");
        }

        if (h.DecodedLength != destination.Length)
        {
            throw Corrupt(key, $"header bytes 4-7 (decoded size) say {h.DecodedLength} bytes, the chunk needs {destination.Length}");
        }

        if (h.EncodedLength < BloscHeader.Size || h.EncodedLength > source.Length)
        {
            throw Corrupt(key, $"header bytes 12-15 (frame size) say {h.EncodedLength} bytes, the chunk has {source.Length} (truncated or corrupt)");
        }

        int nbytes = h.DecodedLength;
        if (nbytes == 0)
        {
            return;
        }

        if (h.TypeSize == 0)
        {
            throw Corrupt(key, "header byte 3 (type size) is 0, expected 1 to 255");
        }

        if (h.BlockSize <= 0 || h.BlockSize > nbytes)
        {
            throw Corrupt(key, $"header bytes 8-11 (block size) say {h.BlockSize}, expected 1 to {nbytes}");
        }

        if (h.IsMemcpy)
        {
            if (h.EncodedLength != nbytes + BloscHeader.Size)
            {
                throw Corrupt(key, $"a plain-copy frame of {nbytes} bytes must be {nbytes + BloscHeader.Size} bytes long, the header says {h.EncodedLength}");
            }

            source.Slice(BloscHeader.Size, nbytes).CopyTo(destination);
            return;
        }

        int code = h.CompressorCode;
        if (code is not (0 or 1 or 3 or 4))
        {
            throw Corrupt(key, $"compressor {BloscHeader.CompressorName(code)} (flags 0x{h.Flags:X2}) is not supported: expected blosclz, lz4, zlib or zstd");
        }

        ReadOnlySpan<byte> frame = source[..h.EncodedLength];
        int blockSize = h.BlockSize;
        int typeSize = h.TypeSize;
        int blocks = (nbytes / blockSize) + (nbytes % blockSize == 0 ? 0 : 1);
        long tableEnd = BloscHeader.Size + (4L * blocks);
        if (tableEnd > frame.Length)
        {
            throw Corrupt(key, $"{blocks} blocks need an offset table up to byte {tableEnd}, but the frame is {frame.Length} bytes");
        }

        bool byteShuffle = h.ByteShuffled && typeSize > 1;
        bool bitShuffle = h.BitShuffled;
        byte[]? shuffled = byteShuffle || bitShuffle ? ArrayPool<byte>.Shared.Rent(blockSize) : null;
        try
        {
            for (int j = 0; j < blocks; j++)
            {
                bool leftover = j == blocks - 1 && nbytes % blockSize != 0;
                int size = leftover ? nbytes % blockSize : blockSize;
                Span<byte> output = destination.Slice(j * blockSize, size);
                bool unshuffleBytes = byteShuffle;
                bool unshuffleBits = !byteShuffle && bitShuffle && size >= typeSize;
                Span<byte> target = unshuffleBytes || unshuffleBits ? shuffled.AsSpan(0, size) : output;

                int offsetAt = BloscHeader.Size + (4 * j);
                int offset = BinaryPrimitives.ReadInt32LittleEndian(frame[offsetAt..]);
                if (offset < tableEnd || offset > frame.Length - 4)
                {
                    throw Corrupt(key, $"block {j} offset (at byte {offsetAt}) is {offset}, expected {tableEnd} to {frame.Length - 4}");
                }

                int splits = !h.DontSplit && typeSize <= MaxSplits && size / typeSize >= MinBufferSize && !leftover ? typeSize : 1;
                if (size % splits != 0)
                {
                    throw Corrupt(key, $"block {j} of {size} bytes cannot be split into {splits} streams (block size not a multiple of the type size)");
                }

                int streamSize = size / splits;
                for (int s = 0; s < splits; s++)
                {
                    if (offset > frame.Length - 4)
                    {
                        throw Corrupt(key, $"block {j} stream {s} length at byte {offset} lies beyond the frame end ({frame.Length})");
                    }

                    int length = BinaryPrimitives.ReadInt32LittleEndian(frame[offset..]);
                    offset += 4;
                    if (length < 0 || length > frame.Length - offset)
                    {
                        throw Corrupt(key, $"block {j} stream {s} at byte {offset - 4} declares {length} bytes, only {frame.Length - offset} remain");
                    }

                    Span<byte> streamOut = target.Slice(s * streamSize, streamSize);
                    ReadOnlySpan<byte> stream = frame.Slice(offset, length);
                    if (length == streamSize)
                    {
                        stream.CopyTo(streamOut);
                    }
                    else
                    {
                        int decoded = DecompressStream(code, stream, streamOut);
                        if (decoded != streamSize)
                        {
                            throw Corrupt(key,
                                $"block {j} stream {s} ({BloscHeader.CompressorName(code)}, {length} bytes at byte {offset}) "
                                + (decoded < 0 ? $"is corrupt, expected {streamSize} decoded bytes" : $"decodes to {decoded} bytes, expected {streamSize}"));
                        }
                    }

                    offset += length;
                }

                if (unshuffleBytes)
                {
                    ByteShuffle.Unshuffle(target, output, typeSize);
                }
                else if (unshuffleBits)
                {
                    BitShuffle.Unshuffle(target, output, typeSize);
                }
            }
        }
        finally
        {
            if (shuffled is not null)
            {
                ArrayPool<byte>.Shared.Return(shuffled);
            }
        }
    }

    /// <summary>Decodes one stream; the decoded length, or -1 if corrupt (-2: more data than fits).</summary>
    private static int DecompressStream(int code, ReadOnlySpan<byte> stream, Span<byte> destination)
    {
        switch (code)
        {
            case 0:
                return BloscLZ.Decode(stream, destination);
            case 1:
                return LZ4Codec.Decode(stream, destination);
            case 3:
                return DeflateStreams.TryDecode(stream, destination, gzip: false);
            default:
                Decompressor decompressor = ZstdDecompressors.TryTake(out Decompressor? d) ? d : new Decompressor();
                try
                {
                    return decompressor.TryUnwrap(stream, destination, out int written) ? written : -2;
                }
                catch (ZstdException)
                {
                    return -1;
                }
                finally
                {
                    ZstdDecompressors.Add(decompressor);
                }
        }
    }

    private static ZarrCodecException Corrupt(string? key, string message) =>
        new($"Blosc frame of chunk '{key}': {message}.", key);
}
