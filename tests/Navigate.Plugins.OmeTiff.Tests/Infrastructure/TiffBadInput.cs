using System.Buffers.Binary;
using System.Text;
using Navigate.Data;

namespace Navigate.Plugins.OmeTiff.Tests.Infrastructure;

/// <summary>
/// A named corpus of damaged stack files, each made from a good one in a fresh folder (navigate layout, so the dataset
/// opens through <see cref="OmeTiffFormat.Open"/>). Each factory returns the damaged file's path.
/// </summary>
internal static class TiffBadInput
{
    public const int Width = 16;
    public const int Height = 8;
    public const int Planes = 3;

    /// <summary>A PNG signature where a TIFF header belongs.</summary>
    public static string NotATiff(string folder) => Raw(folder, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]);

    /// <summary>Five bytes: shorter than any TIFF header.</summary>
    public static string TooShort(string folder) => Raw(folder, [(byte)'I', (byte)'I', 42, 0, 8]);

    /// <summary>A byte-order mark followed by version 41.</summary>
    public static string WrongVersion(string folder) => Raw(folder, [(byte)'I', (byte)'I', 41, 0, 8, 0, 0, 0]);

    /// <summary>Our three-page stack cut in the middle of page 2's pixels (its directory, which follows, is gone).</summary>
    public static string TruncatedFile(string folder)
    {
        var path = Good(folder);
        var ifds = ClassicTiff.IfdOffsets(File.ReadAllBytes(path));
        Cut(path, ifds[2] - 100);
        return path;
    }

    /// <summary>A tifffile stack (each page's directory before its pixels) cut in the middle of the last page's pixels.</summary>
    public static string TruncatedStrip(string folder)
    {
        var path = Path.Combine(folder, "CH00_000000.tif");
        Tifffile.Write(folder, new { kind = "pages", path, pages = Enumerable.Repeat(new[] { Height, Width }, Planes).ToArray() });
        Cut(path, new FileInfo(path).Length - 50);
        return path;
    }

    /// <summary>Page 0's next-IFD offset points into pixel data.</summary>
    public static string IfdOffsetIntoPixels(string folder) => PatchNextIfd(folder, page: 0, value: 100);

    /// <summary>Page 1's next-IFD offset points past the end of the file.</summary>
    public static string IfdOffsetPastEnd(string folder) => PatchNextIfd(folder, page: 1, value: 10_000_000);

    /// <summary>Page 1's next-IFD offset points back to page 0.</summary>
    public static string IfdLoop(string folder)
    {
        var path = Good(folder);
        var first = ClassicTiff.IfdOffsets(File.ReadAllBytes(path))[0];
        PatchNextIfdOf(path, page: 1, value: (uint)first);
        return path;
    }

    /// <summary>A tifffile OME-named stack without any ImageDescription.</summary>
    public static string MissingOmeXml(string folder)
    {
        // tifffile writes OME-XML into any file named .ome.tif(f), so write under another name.
        var bare = Path.Combine(folder, "bare.tif");
        Tifffile.Write(folder, new { kind = "bare", path = bare, shape = new[] { Planes, Height, Width } });
        var path = Path.Combine(folder, "CH00_000000.ome.tiff");
        File.Move(bare, path);
        return path;
    }

    /// <summary>A plain TIFF stack (JSON description) renamed to .ome.tiff.</summary>
    public static string PlainDescriptionInOmeFile(string folder)
    {
        var plain = Good(folder, ".tif");
        var path = Path.Combine(folder, "CH00_000000.ome.tiff");
        File.Move(plain, path);
        return path;
    }

    /// <summary>The OME-XML's Pixels element renamed in its start tag only: not well-formed.</summary>
    public static string BrokenOmeXml(string folder) => PatchXml(folder, "<Pixels ", "<Pixelz ");

    /// <summary>Pixels' required SizeZ attribute renamed.</summary>
    public static string MissingSizeZ(string folder) => PatchXml(folder, $"SizeZ=\"{Planes}\"", $"SizeQ=\"{Planes}\"");

    /// <summary>The OME-XML says 4 planes; the file has 3 pages.</summary>
    public static string MismatchedPlaneCount(string folder) => PatchXml(folder, $"SizeZ=\"{Planes}\"", "SizeZ=\"4\"");

    /// <summary>A tifffile stack whose page 1 is larger than page 0.</summary>
    public static string MixedPageSizes(string folder)
    {
        var path = Path.Combine(folder, "CH00_000000.tif");
        Tifffile.Write(folder, new { kind = "pages", path, pages = new[] { new[] { Height, Width }, new[] { Height * 2, Width } } });
        return path;
    }

    /// <summary>An OME stack whose acquisition stopped without closing it: the first description promises 3 planes, 2 pages exist.</summary>
    public static string UnfinishedStack(string folder)
    {
        var m = Metadata();
        var source = new OmeTiffFormat().Create(Path.Combine(folder, "CH00_000000.ome.tiff"), m, new DataSourceOptions());
        var frame = new byte[Width * Height * 2];
        source.Write(frame);
        source.Write(frame);
        // No Close: the writer is abandoned as if the process died (the OS would close the file).
        var path = Path.Combine(folder, "CH00_000000.ome.tiff");
        var copy = Path.Combine(folder, "copy", "CH00_000000.ome.tiff");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(path, copy);
        source.Dispose();
        return copy;
    }

    public static AcquisitionMetadata Metadata() => new() { Width = Width, Height = Height, ZSteps = Planes };

    private static string Good(string folder, string suffix = ".ome.tiff")
    {
        var m = Metadata();
        using (var source = new OmeTiffFormat().Create(Path.Combine(folder, "CH00_000000" + suffix), m, new DataSourceOptions()))
        {
            TestAcquisition.WriteAll(source, m);
        }

        return Path.Combine(folder, "CH00_000000" + suffix);
    }

    private static string Raw(string folder, byte[] bytes)
    {
        var path = Path.Combine(folder, "CH00_000000.ome.tiff");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Cut(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(length);
    }

    private static string PatchNextIfd(string folder, int page, uint value)
    {
        var path = Good(folder);
        PatchNextIfdOf(path, page, value);
        return path;
    }

    private static void PatchNextIfdOf(string path, int page, uint value)
    {
        var bytes = File.ReadAllBytes(path);
        var at = ClassicTiff.NextPointerPosition(bytes, ClassicTiff.IfdOffsets(bytes)[page]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
        File.WriteAllBytes(path, bytes);
    }

    private static string PatchXml(string folder, string find, string replace)
    {
        var path = Good(folder);
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.Latin1.GetString(bytes);
        var at = text.LastIndexOf(find, StringComparison.Ordinal); // the final description is the last one written
        Assert.True(at > 0, $"'{find}' not in {path}");
        Encoding.Latin1.GetBytes(replace).CopyTo(bytes, at);
        var grow = replace.Length - find.Length;
        Assert.Equal(0, grow);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

/// <summary>Just enough classic little-endian TIFF parsing to damage files on purpose (independent of the plugin).</summary>
internal static class ClassicTiff
{
    public static List<int> IfdOffsets(byte[] file)
    {
        Assert.True(file[0] == 'I' && file[1] == 'I' && file[2] == 42, "expected a classic little-endian TIFF");
        var offsets = new List<int>();
        for (var next = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)); next != 0; next = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(NextPointerPosition(file, (int)next))))
        {
            offsets.Add((int)next);
        }

        return offsets;
    }

    public static int NextPointerPosition(byte[] file, int ifd) => ifd + 2 + (BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(ifd)) * 12);
}
