using System.IO.Compression;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Runs System.IO.Compression's gzip / zlib streams over caller spans (shared by <see cref="GzipCodec"/> and <see cref="ZlibCodec"/>).</summary>
internal static unsafe class DeflateStreams
{
    // zlib-ng's fastest level codes everything with the fixed Huffman table: up to 9 bits per byte.
    public static int MaxEncodedLength(int decodedLength) =>
        checked(decodedLength + (decodedLength >> 3) + (decodedLength >> 6) + 128);

    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination, int level, bool gzip)
    {
        byte empty = 0;
        fixed (byte* pinned = destination)
        {
            // fixed gives null for an empty span, which UnmanagedMemoryStream refuses.
            byte* d = pinned == null ? &empty : pinned;
            using var output = new UnmanagedMemoryStream(d, 0, destination.Length, FileAccess.Write);
            var options = new ZLibCompressionOptions { CompressionLevel = level };
            try
            {
                using (Stream compressor = gzip ? new GZipStream(output, options, leaveOpen: true) : new ZLibStream(output, options, leaveOpen: true))
                {
                    compressor.Write(source);
                }
            }
            catch (NotSupportedException e)
            {
                throw new ArgumentException($"The destination ({destination.Length} bytes) is too small for the compressed data.", nameof(destination), e);
            }

            return checked((int)output.Position);
        }
    }

    /// <summary>Decodes exactly <paramref name="destination"/>.Length bytes: returns that length, -1 for corrupt data, -2 for more data than fits.</summary>
    public static int TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, bool gzip)
    {
        byte empty = 0;
        fixed (byte* pinned = source)
        {
            byte* s = pinned == null ? &empty : pinned;
            using var input = new UnmanagedMemoryStream(s, source.Length);
            using Stream decompressor = gzip ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
            int total = 0;
            try
            {
                while (total < destination.Length)
                {
                    int n = decompressor.Read(destination[total..]);
                    if (n == 0)
                    {
                        return total;
                    }

                    total += n;
                }

                Span<byte> extra = stackalloc byte[1];
                return decompressor.Read(extra) != 0 ? -2 : total;
            }
            catch (InvalidDataException)
            {
                return -1;
            }
        }
    }

    public static void Decode(ReadOnlySpan<byte> source, Span<byte> destination, bool gzip, string name, string? key)
    {
        byte empty = 0;
        fixed (byte* pinned = source)
        {
            byte* s = pinned == null ? &empty : pinned;
            using var input = new UnmanagedMemoryStream(s, source.Length);
            using Stream decompressor = gzip ? new GZipStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
            int total = 0;
            try
            {
                while (total < destination.Length)
                {
                    int n = decompressor.Read(destination[total..]);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }

                if (total < destination.Length)
                {
                    throw new ZarrCodecException(
                        $"{name} data of chunk '{key}' ({source.Length} bytes) decodes to {total} bytes; the chunk needs {destination.Length}.", key);
                }

                Span<byte> extra = stackalloc byte[1];
                if (decompressor.Read(extra) != 0)
                {
                    throw new ZarrCodecException(
                        $"{name} data of chunk '{key}' ({source.Length} bytes) decodes to more than the {destination.Length} bytes the chunk needs.", key);
                }
            }
            catch (InvalidDataException e)
            {
                throw new ZarrCodecException(
                    $"{name} data of chunk '{key}' ({source.Length} bytes) is corrupt after {total} decoded bytes (input offset {input.Position}): {e.Message}", key, e);
            }
        }
    }
}
