namespace Navigate.Plugins.OmeTiff;

/// <summary>
/// A TIFF or OME-TIFF file that cannot be read as this plugin expects. Every message names the file and, where it
/// applies, the page and byte offset, and what was expected against what was found. Catch this type to handle all of
/// them; the sealed subtypes say which kind of damage it is.
/// </summary>
public abstract class TiffFormatException : Exception
{
    private protected TiffFormatException(string filePath, int? page, long? offset, string detail, Exception? innerException = null)
        : base(Compose(filePath, page, offset, detail), innerException)
    {
        FilePath = filePath;
        Page = page;
        Offset = offset;
    }

    /// <summary>The file that is bad.</summary>
    public string FilePath { get; }

    /// <summary>The page (IFD index, from 0) where the problem is, when it concerns one page.</summary>
    public int? Page { get; }

    /// <summary>The byte offset in the file where the problem is, when known.</summary>
    public long? Offset { get; }

    private static string Compose(string filePath, int? page, long? offset, string detail)
    {
        var where = (page, offset) switch
        {
            ({ } p, { } o) => $" (page {p}, offset {o})",
            ({ } p, null) => $" (page {p})",
            (null, { } o) => $" (offset {o})",
            _ => string.Empty,
        };
        return $"{filePath}{where}: {detail}";
    }
}

/// <summary>The file does not start with a TIFF header.</summary>
public sealed class NotATiffException : TiffFormatException
{
    internal NotATiffException(string filePath, string detail)
        : base(filePath, null, 0, detail)
    {
    }
}

/// <summary>The file ends before the data its directories point to (a copy or an acquisition cut short).</summary>
public sealed class TruncatedTiffException : TiffFormatException
{
    internal TruncatedTiffException(string filePath, int? page, long? offset, string detail)
        : base(filePath, page, offset, detail)
    {
    }
}

/// <summary>
/// The TIFF structure is broken or not what a navigate stack is: a directory offset points nowhere, a required tag is
/// missing, pages differ in size or type, or the layout is one this reader does not handle (tiles, several samples).
/// </summary>
public sealed class InvalidTiffStructureException : TiffFormatException
{
    internal InvalidTiffStructureException(string filePath, int? page, long? offset, string detail, Exception? innerException = null)
        : base(filePath, page, offset, detail, innerException)
    {
    }
}

/// <summary>An OME-TIFF whose OME-XML is missing, not well-formed, or lacks what the OME schema requires.</summary>
public sealed class InvalidOmeXmlException : TiffFormatException
{
    internal InvalidOmeXmlException(string filePath, string detail, Exception? innerException = null)
        : base(filePath, 0, null, detail, innerException)
    {
    }
}

/// <summary>The metadata describes a different number of planes than the file has pages.</summary>
public sealed class PlaneCountMismatchException : TiffFormatException
{
    internal PlaneCountMismatchException(string filePath, int expectedPlanes, int pages, string detail)
        : base(filePath, null, null, detail)
    {
        ExpectedPlanes = expectedPlanes;
        Pages = pages;
    }

    /// <summary>Planes the metadata describes.</summary>
    public int ExpectedPlanes { get; }

    /// <summary>Pages the file has.</summary>
    public int Pages { get; }
}

/// <summary>A stack the dataset's layout says must exist (a channel, timepoint or position) has no file.</summary>
public sealed class MissingStackFileException : TiffFormatException
{
    internal MissingStackFileException(string filePath, string detail)
        : base(filePath, null, null, detail)
    {
    }
}
