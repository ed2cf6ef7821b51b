using System.Text;
using BitMiracle.LibTiff.Classic;
using Navigate.Devices;

namespace Navigate.Plugins.OmeTiff.TiffIO;

/// <summary>What every page of a stack file is.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="PixelType">Pixel type.</param>
/// <param name="PixelSizeXMicrometres">Pixel width in µm (written as the X resolution, per centimetre).</param>
/// <param name="PixelSizeYMicrometres">Pixel height in µm.</param>
internal readonly record struct PageFormat(int Width, int Height, PixelType PixelType, double PixelSizeXMicrometres, double PixelSizeYMicrometres)
{
    /// <summary>Bytes of one page's pixels.</summary>
    public long PageBytes => (long)Width * Height * PixelType.BytesPerPixel();
}

/// <summary>
/// Writes one z stack as a TIFF with LibTiff.NET: one uncompressed little-endian strip per page, written straight from
/// the caller's span (<see cref="LibTiffStream.WriteRawStrip"/>), the description on page 0. <see cref="Finish"/>
/// replaces the description once the whole stack is known.
/// </summary>
/// <remarks>
/// After every page the file is a complete TIFF: LibTiff writes each page's directory and links it right away, and the
/// page is flushed to the operating system, so a process that dies loses at most the page being written. (Power
/// loss is another matter: nothing here forces data to the disk.)
/// </remarks>
internal sealed class TiffStackWriter : IDisposable
{
    /// <summary>Bytes a page's directory, its out-of-line values and alignment take at most (generous).</summary>
    public const long DirectoryBytesPerPage = 512;

    private readonly FileStream _file;
    private readonly LibTiffStream _stream;
    private readonly PageFormat _format;
    private readonly string _software;
    private Tiff? _tiff;
    private byte[]? _firstDescription;

    /// <summary>Creates the file (which must not exist) and opens it for writing.</summary>
    public TiffStackWriter(string path, PageFormat format, bool bigTiff, string firstDescription, string software)
    {
        Path = path;
        _format = format;
        _software = software;
        _firstDescription = Encoding.ASCII.GetBytes(firstDescription);
        BigTiff = bigTiff;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1 << 16);
        _stream = new LibTiffStream(_file);
        _tiff = _stream.Open(bigTiff ? "wl8" : "wl");
        if (_tiff is null)
        {
            var errors = _stream.TakeErrors();
            _file.Dispose();
            throw new IOException($"{path}: LibTiff could not start the file: {errors}");
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether the file is a BigTIFF.</summary>
    public bool BigTiff { get; }

    /// <summary>Pages written.</summary>
    public int Pages { get; private set; }

    /// <summary>
    /// The size a file of <paramref name="pages"/> pages will reach, with room for the description written twice
    /// (first page, then the final one appended at close).
    /// </summary>
    public static long PlannedBytes(PageFormat format, int pages, long descriptionBytes)
        => 16 + (pages * (format.PageBytes + DirectoryBytesPerPage)) + (2 * (descriptionBytes + 2));

    /// <summary>Appends one page.</summary>
    /// <exception cref="IOException">LibTiff or the file system failed; the message carries LibTiff's reason.</exception>
    public void WritePage(ReadOnlySpan<byte> pixels)
    {
        var tiff = _tiff ?? throw new InvalidOperationException($"{Path}: the stack is finished.");
        SetPageTags(tiff);
        if (_firstDescription is { } description)
        {
            tiff.SetField(TiffTag.IMAGEDESCRIPTION, description);
            tiff.SetField(TiffTag.SOFTWARE, _software);
            _firstDescription = null;
        }

        if (!_stream.WriteRawStrip(tiff, 0, pixels) || !tiff.WriteDirectory())
        {
            throw new IOException($"{Path}: writing page {Pages} failed: {_stream.TakeErrors()}");
        }

        // Hand the directory to the OS now (no fsync): if the process dies, the file ends with this complete page.
        _file.Flush();
        Pages++;
    }

    /// <summary>
    /// Closes LibTiff, then swaps page 0's description for <paramref name="finalDescription"/>: the new text is
    /// appended at the end of the file and only then does the ImageDescription entry of page 0 (count and offset,
    /// one write of 8 or 16 bytes) point at it. The old text stays valid until that write, so every instant leaves a
    /// readable file, and no pixel data moves.
    /// </summary>
    public void Finish(string finalDescription)
    {
        if (_tiff is not { } tiff)
        {
            return;
        }

        _tiff = null;
        tiff.Close();
        try
        {
            if (Pages > 0)
            {
                ReplaceDescription(Encoding.ASCII.GetBytes(finalDescription));
            }
        }
        finally
        {
            _file.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_tiff is { } tiff)
        {
            _tiff = null;
            tiff.Close();
        }

        _file.Dispose();
    }

    private void SetPageTags(Tiff tiff)
    {
        var type = _format.PixelType;
        tiff.SetField(TiffTag.IMAGEWIDTH, _format.Width);
        tiff.SetField(TiffTag.IMAGELENGTH, _format.Height);
        tiff.SetField(TiffTag.BITSPERSAMPLE, type.BytesPerPixel() * 8);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
        tiff.SetField(TiffTag.SAMPLEFORMAT, type switch
        {
            PixelType.Int16 => SampleFormat.INT,
            PixelType.Float32 or PixelType.Float64 => SampleFormat.IEEEFP,
            _ => SampleFormat.UINT,
        });
        tiff.SetField(TiffTag.ROWSPERSTRIP, _format.Height);
        tiff.SetField(TiffTag.COMPRESSION, Compression.NONE);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        // navigate's resolution tags: pixels per centimetre (1e4 / µm per pixel).
        tiff.SetField(TiffTag.XRESOLUTION, 1e4 / _format.PixelSizeXMicrometres);
        tiff.SetField(TiffTag.YRESOLUTION, 1e4 / _format.PixelSizeYMicrometres);
        tiff.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.CENTIMETER);
    }

    private void ReplaceDescription(byte[] text)
    {
        var handle = _file.SafeFileHandle;
        var header = TiffHeader.Read(Path, handle, walkChain: false);
        var entry = header.ReadEntries(handle, 0, header.IfdOffsets[0]).FirstOrDefault(e => e.Tag == (ushort)TiffTag.IMAGEDESCRIPTION);
        if (entry.Tag == 0)
        {
            throw new IOException($"{Path}: page 0 has no ImageDescription to replace.");
        }

        // Word-aligned, NUL-terminated, after everything else in the file.
        var offset = (RandomAccess.GetLength(handle) + 1) & ~1L;
        if (!header.BigTiff && offset + text.Length + 1 > uint.MaxValue)
        {
            throw new IOException($"{Path}: the final description would end at byte {offset + text.Length + 1}, past the 4 GiB a classic TIFF can address; the file keeps its first description.");
        }

        var bytes = new byte[text.Length + 1];
        text.CopyTo(bytes, 0);
        RandomAccess.Write(handle, bytes, offset);
        header.PatchEntry(handle, entry, (ulong)bytes.Length, (ulong)offset);
    }
}
