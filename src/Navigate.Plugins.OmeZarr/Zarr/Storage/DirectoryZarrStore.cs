using Microsoft.Win32.SafeHandles;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A store on a local folder: key <c>"a/b/.zarray"</c> is the file <c>root/a/b/.zarray</c>, as zarr-python's
/// <c>DirectoryStore</c> lays it out. Writes go to a temporary file in the same folder that is then renamed over the
/// target, so a value is always either the old one or the new one, also after a crash.
/// </summary>
public sealed class DirectoryZarrStore : IZarrStore
{
    /// <summary>The suffix of temporary files while a value is being written; <see cref="List"/> never returns them.</summary>
    public const string TemporarySuffix = ".navtmp";

    /// <summary>Values at least this long are written unbuffered when the store was asked to (chunks, not metadata).</summary>
    public const int UnbufferedThreshold = 64 << 10;

    private static long s_temporaryCounter;
    private readonly string _root;
    private readonly bool _flushToDisk;
    private volatile bool _unbuffered;

    /// <summary>Opens (and creates, if missing) the folder <paramref name="root"/> as a store.</summary>
    /// <param name="root">The folder holding the hierarchy (the <c>.zarr</c> folder).</param>
    /// <param name="flushToDisk">
    /// Flush every value to the disk before it is renamed into place (durable across power loss, slower). Off by
    /// default: the rename alone already guarantees that no reader sees a partial value.
    /// </param>
    /// <param name="unbufferedWrites">
    /// Write values of at least <see cref="UnbufferedThreshold"/> bytes with O_DIRECT where the platform and file system
    /// allow it (Linux; not tmpfs), bypassing the page cache: what a long stream of chunks wants. Elsewhere, and for small
    /// values, writes are buffered.
    /// </param>
    public DirectoryZarrStore(string root, bool flushToDisk = false, bool unbufferedWrites = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        _flushToDisk = flushToDisk;
        _unbuffered = unbufferedWrites && UnbufferedFileWriter.IsSupported;
        Directory.CreateDirectory(_root);
    }

    /// <summary>True while large values bypass the page cache (false once the file system has refused O_DIRECT).</summary>
    public bool WritesUnbuffered => _unbuffered;

    /// <summary>The store's folder (absolute).</summary>
    public string Root => _root;

    /// <summary>The file path that holds <paramref name="key"/>.</summary>
    /// <param name="key">A valid key.</param>
    public string GetFilePath(string key)
    {
        ZarrKey.Validate(key);
        return Path.Join(_root, Path.DirectorySeparatorChar == '/' ? key : key.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <inheritdoc />
    public bool Exists(string key) => File.Exists(GetFilePath(key));

    /// <inheritdoc />
    public bool TryGetSize(string key, out long size)
    {
        var info = new FileInfo(GetFilePath(key));
        if (!info.Exists)
        {
            size = 0;
            return false;
        }

        size = info.Length;
        return true;
    }

    /// <inheritdoc />
    public bool TryGet(string key, Span<byte> destination, out int bytesRead)
    {
        string path = GetFilePath(key);
        bytesRead = 0;
        if (!File.Exists(path))
        {
            return false;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        using (handle)
        {
            long length = RandomAccess.GetLength(handle);
            if (length > destination.Length)
            {
                throw new ZarrChunkException(
                    $"Value '{key}' is {length} bytes; at most {destination.Length} bytes were expected.", key);
            }

            int total = 0;
            while (total < length)
            {
                int n = RandomAccess.Read(handle, destination[total..(int)length], total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            bytesRead = total;
            return true;
        }
    }

    /// <inheritdoc />
    public void Set(string key, ReadOnlySpan<byte> value)
    {
        string path = GetFilePath(key);
        string directory = Path.GetDirectoryName(path)!;
        string temporary = string.Concat(
            path, ".", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-",
            Interlocked.Increment(ref s_temporaryCounter).ToString(System.Globalization.CultureInfo.InvariantCulture), TemporarySuffix);
        try
        {
            WriteFile(temporary, value);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // The folder is missing. When another thread creates it between our failed open and .NET's look at the
            // error, .NET reports the missing folder as a missing file: both mean "create the folder and retry".
            Directory.CreateDirectory(directory);
            WriteFile(temporary, value);
        }

        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <inheritdoc />
    public bool Delete(string key)
    {
        string path = GetFilePath(key);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <inheritdoc />
    public IEnumerable<string> List(string prefix = "")
    {
        string normalized = ZarrKey.NormalizePath(prefix);
        string folder = normalized.Length == 0 ? _root : GetFilePath(normalized);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keys = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                continue;
            }

            string relative = Path.GetRelativePath(_root, file);
            keys.Add(Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/'));
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private void WriteFile(string path, ReadOnlySpan<byte> value)
    {
        if (_unbuffered && value.Length >= UnbufferedThreshold)
        {
            if (UnbufferedFileWriter.TryWrite(path, value))
            {
                if (_flushToDisk)
                {
                    // The data is on the device; the flush makes the file's size and blocks durable too.
                    using var written = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
                    RandomAccess.FlushToDisk(written);
                }

                return;
            }

            // This file system has no O_DIRECT (tmpfs, some network file systems): stop asking.
            _unbuffered = false;
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, value.Length);
        RandomAccess.Write(handle, value, 0);
        if (_flushToDisk)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }
}
