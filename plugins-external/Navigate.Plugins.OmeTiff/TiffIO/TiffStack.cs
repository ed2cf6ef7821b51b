using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using BitMiracle.LibTiff.Classic;
using Microsoft.Win32.SafeHandles;
using Navigate.Devices;

namespace Navigate.Plugins.OmeTiff.TiffIO;

/// <summary>Where one page's pixels are.</summary>
/// <param name="StripOffsets">Byte offset of each strip.</param>
/// <param name="StripByteCounts">Stored bytes of each strip.</param>
/// <param name="RowsPerStrip">Rows in each strip (the last may have fewer).</param>
/// <param name="Compression">TIFF compression.</param>
internal sealed record PageStrips(ulong[] StripOffsets, ulong[] StripByteCounts, int RowsPerStrip, Compression Compression);

/// <summary>
/// A TIFF stack opened for reading: every page checked to be one grey plane of the same size and type with all its
/// strips inside the file. Uncompressed strips are read straight into the caller's buffer; compressed ones are
/// decoded by LibTiff.NET.
/// </summary>
internal sealed class TiffStack
{
    private readonly PageStrips[] _pages;

    private TiffStack(string path, TiffHeader header, int width, int height, PixelType pixelType, PageStrips[] pages, byte[]? description, (double X, double Y, ResUnit Unit)? resolution)
    {
        Path = path;
        Header = header;
        Width = width;
        Height = height;
        PixelType = pixelType;
        _pages = pages;
        Description = description is null ? null : DecodeDescription(description);
        Resolution = resolution;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Header and directory chain.</summary>
    public TiffHeader Header { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Pixel type.</summary>
    public PixelType PixelType { get; }

    /// <summary>Number of pages.</summary>
    public int Pages => _pages.Length;

    /// <summary>Page 0's ImageDescription, or null.</summary>
    public string? Description { get; }

    /// <summary>Page 0's X/Y resolution and unit, when present.</summary>
    public (double X, double Y, ResUnit Unit)? Resolution { get; }

    /// <summary>Bytes of one row.</summary>
    public int RowBytes => Width * PixelType.BytesPerPixel();

    /// <summary>Opens and checks <paramref name="path"/>; throws <see cref="TiffFormatException"/> naming page and offset.</summary>
    public static TiffStack Open(string path)
    {
        TiffHeader header;
        using (var handle = File.OpenHandle(path))
        {
            header = TiffHeader.Read(path, handle);
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 4096);
        var stream = new LibTiffStream(file);
        using var tiff = stream.Open("r")
            ?? throw new InvalidTiffStructureException(path, 0, header.IfdOffsets[0], $"LibTiff cannot read the first directory: {stream.TakeErrors()}");

        var pages = new PageStrips[header.IfdOffsets.Count];
        int width = 0, height = 0;
        var pixelType = PixelType.UInt16;
        byte[]? description = null;
        (double, double, ResUnit)? resolution = null;
        for (var page = 0; page < pages.Length; page++)
        {
            var ifd = header.IfdOffsets[page];
            if (page > 0 && !tiff.ReadDirectory())
            {
                throw new InvalidTiffStructureException(path, page, ifd, $"LibTiff cannot read this directory: {stream.TakeErrors()}");
            }

            var (w, h, type) = PageGeometry(path, tiff, page, ifd);
            if (page == 0)
            {
                (width, height, pixelType) = (w, h, type);
                description = tiff.GetField(TiffTag.IMAGEDESCRIPTION)?[0].GetBytes();
                if (tiff.GetField(TiffTag.XRESOLUTION) is { } xr && tiff.GetField(TiffTag.YRESOLUTION) is { } yr)
                {
                    var unit = (ResUnit)(tiff.GetFieldDefaulted(TiffTag.RESOLUTIONUNIT)?[0].ToInt() ?? (int)ResUnit.INCH);
                    resolution = (xr[0].ToDouble(), yr[0].ToDouble(), unit);
                }
            }
            else if ((w, h, type) != (width, height, pixelType))
            {
                throw new InvalidTiffStructureException(path, page, ifd, $"the page is {w}x{h} {type}, page 0 is {width}x{height} {pixelType}: every page of a stack must have one size and type.");
            }

            pages[page] = PageLayout(path, tiff, page, ifd, header.Length, w, h, type);
        }

        return new TiffStack(path, header, width, height, pixelType, pages, description, resolution);
    }

    /// <summary>
    /// Reads rows <paramref name="y0"/> .. <paramref name="y0"/> + rows of page <paramref name="page"/> (full width,
    /// little-endian) into <paramref name="destination"/>.
    /// </summary>
    public void ReadRows(SafeFileHandle handle, Lazy<Tiff> decoder, int page, int y0, int rows, Span<byte> destination)
    {
        var layout = _pages[page];
        var rowBytes = RowBytes;
        var y = y0;
        var end = y0 + rows;
        byte[]? decoded = null;
        while (y < end)
        {
            var strip = y / layout.RowsPerStrip;
            var stripFirstRow = strip * layout.RowsPerStrip;
            var take = Math.Min(end, Math.Min(stripFirstRow + layout.RowsPerStrip, Height)) - y;
            var target = destination.Slice((y - y0) * rowBytes, take * rowBytes);
            if (layout.Compression == Compression.NONE)
            {
                var offset = (long)layout.StripOffsets[strip] + ((long)(y - stripFirstRow) * rowBytes);
                var read = RandomAccess.Read(handle, target, offset);
                if (read != target.Length)
                {
                    throw new TruncatedTiffException(Path, page, offset, $"strip {strip} ended after {read} of {target.Length} bytes: the file changed or is truncated.");
                }

                if (!Header.LittleEndian)
                {
                    SwapToLittleEndian(target);
                }
            }
            else
            {
                var tiff = decoder.Value;
                if (tiff.CurrentDirectory() != page && !tiff.SetDirectory((short)page))
                {
                    throw new InvalidTiffStructureException(Path, page, Header.IfdOffsets[page], "LibTiff cannot read this directory.");
                }

                var stripRows = Math.Min(layout.RowsPerStrip, Height - stripFirstRow);
                decoded ??= new byte[layout.RowsPerStrip * rowBytes];
                var got = tiff.ReadEncodedStrip(strip, decoded, 0, stripRows * rowBytes);
                if (got != stripRows * rowBytes)
                {
                    throw new InvalidTiffStructureException(Path, page, (long)layout.StripOffsets[strip], $"strip {strip} ({layout.Compression}) decoded to {got} bytes; expected {stripRows * rowBytes}: {(((LibTiffStream)tiff.Clientdata()).TakeErrors())}");
                }

                decoded.AsSpan((y - stripFirstRow) * rowBytes, take * rowBytes).CopyTo(target);
            }

            y += take;
        }
    }

    private void SwapToLittleEndian(Span<byte> bytes)
    {
        switch (PixelType.BytesPerPixel())
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }

    private static (int Width, int Height, PixelType Type) PageGeometry(string path, Tiff tiff, int page, long ifd)
    {
        var width = tiff.GetField(TiffTag.IMAGEWIDTH)?[0].ToInt() ?? throw Missing(path, page, ifd, "ImageWidth (256)");
        var height = tiff.GetField(TiffTag.IMAGELENGTH)?[0].ToInt() ?? throw Missing(path, page, ifd, "ImageLength (257)");
        var bits = tiff.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)[0].ToInt();
        var samples = tiff.GetFieldDefaulted(TiffTag.SAMPLESPERPIXEL)[0].ToInt();
        var format = (SampleFormat)tiff.GetFieldDefaulted(TiffTag.SAMPLEFORMAT)[0].ToInt();
        if (width <= 0 || height <= 0)
        {
            throw new InvalidTiffStructureException(path, page, ifd, $"the page is {width}x{height}; expected a positive width and height.");
        }

        if (samples != 1)
        {
            throw new InvalidTiffStructureException(path, page, ifd, $"SamplesPerPixel is {samples}; a stack page is one grey plane (expected 1).");
        }

        if (tiff.IsTiled())
        {
            throw new InvalidTiffStructureException(path, page, ifd, "the page is tiled; expected strips.");
        }

        PixelType? type = (format, bits) switch
        {
            (SampleFormat.UINT, 8) => PixelType.UInt8,
            (SampleFormat.UINT, 16) => PixelType.UInt16,
            (SampleFormat.INT, 16) => PixelType.Int16,
            (SampleFormat.UINT, 32) => PixelType.UInt32,
            (SampleFormat.IEEEFP, 32) => PixelType.Float32,
            (SampleFormat.IEEEFP, 64) => PixelType.Float64,
            _ => null,
        };
        return (width, height, type ?? throw new InvalidTiffStructureException(path, page, ifd,
            $"{bits}-bit {format} samples are not supported; expected uint8, uint16, int16, uint32, float32 or float64."));
    }

    private static PageStrips PageLayout(string path, Tiff tiff, int page, long ifd, long fileLength, int width, int height, PixelType type)
    {
        var offsets = tiff.GetField(TiffTag.STRIPOFFSETS)?[0].Value as ulong[] ?? throw Missing(path, page, ifd, "StripOffsets (273)");
        var counts = tiff.GetField(TiffTag.STRIPBYTECOUNTS)?[0].Value as ulong[] ?? throw Missing(path, page, ifd, "StripByteCounts (279)");
        var rowsPerStrip = (int)Math.Min(tiff.GetFieldDefaulted(TiffTag.ROWSPERSTRIP)[0].ToUInt(), (uint)height);
        var compression = (Compression)tiff.GetFieldDefaulted(TiffTag.COMPRESSION)[0].ToInt();
        var planar = (PlanarConfig)tiff.GetFieldDefaulted(TiffTag.PLANARCONFIG)[0].ToInt();
        if (planar != PlanarConfig.CONTIG)
        {
            throw new InvalidTiffStructureException(path, page, ifd, $"PlanarConfiguration is {planar}; expected CONTIG.");
        }

        var strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        if (offsets.Length < strips || counts.Length < strips)
        {
            throw new InvalidTiffStructureException(path, page, ifd, $"{height} rows at {rowsPerStrip} rows per strip need {strips} strips; StripOffsets has {offsets.Length}, StripByteCounts {counts.Length}.");
        }

        var rowBytes = (long)width * type.BytesPerPixel();
        for (var s = 0; s < strips; s++)
        {
            var rows = Math.Min(rowsPerStrip, height - (s * rowsPerStrip));
            if (compression == Compression.NONE && counts[s] < (ulong)(rows * rowBytes))
            {
                throw new InvalidTiffStructureException(path, page, (long)offsets[s], $"strip {s} holds {counts[s]} bytes; {rows} rows of {width} {type} pixels need {rows * rowBytes}.");
            }

            if (offsets[s] + counts[s] > (ulong)fileLength)
            {
                throw new TruncatedTiffException(path, page, (long)offsets[s], $"strip {s} needs bytes {offsets[s]}..{offsets[s] + counts[s]}, but the file ends at {fileLength}: the file is truncated or the strip offset is wrong.");
            }
        }

        return new PageStrips(offsets, counts, rowsPerStrip, compression);
    }

    private static InvalidTiffStructureException Missing(string path, int page, long ifd, string tag)
        => new(path, page, ifd, $"the required tag {tag} is missing.");

    private static string DecodeDescription(byte[] bytes)
    {
        var length = Array.IndexOf(bytes, (byte)0);
        var span = bytes.AsSpan(0, length < 0 ? bytes.Length : length);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(span);
        }
    }
}
