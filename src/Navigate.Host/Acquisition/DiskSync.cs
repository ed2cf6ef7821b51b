using System.Runtime.InteropServices;

namespace Navigate.Host.Acquisition;

/// <summary>Flushes the operating system's file cache to disk, so a timing ends when the data is durable.</summary>
internal static partial class DiskSync
{
    private const int ORdonly = 0;
    private const int OCloexec = 0x80000;

    /// <summary>Calls sync(2) on Unix; on Windows there is no system-wide equivalent and data sources flush their own files.</summary>
    public static void FlushAll()
    {
        if (!OperatingSystem.IsWindows())
        {
            Sync();
        }
    }

    /// <summary>
    /// Commits what the file system holding <paramref name="path"/> (or, when it does not exist, its folder) still owes:
    /// syncfs(2) on Linux, so other disks' dirty data is not waited for; sync(2) on other Unix systems or when the path
    /// cannot be opened; nothing on Windows.
    /// </summary>
    public static void FlushFileSystemOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            FlushAll();
            return;
        }

        var full = Path.GetFullPath(path);
        var existing = Path.Exists(full) ? full : Path.GetDirectoryName(full);
        var fd = existing is null ? -1 : Open(existing, ORdonly | OCloexec);
        if (fd < 0)
        {
            Sync();
            return;
        }

        try
        {
            if (SyncFs(fd) != 0)
            {
                Sync();
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
