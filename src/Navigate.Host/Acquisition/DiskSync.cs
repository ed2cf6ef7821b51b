using System.Runtime.InteropServices;

namespace Navigate.Host.Acquisition;

/// <summary>Flushes the operating system's file cache to disk, so a timing ends when the data is durable.</summary>
internal static partial class DiskSync
{
    /// <summary>Calls sync(2) on Unix; on Windows there is no system-wide equivalent and data sources flush their own files.</summary>
    public static void FlushAll()
    {
        if (!OperatingSystem.IsWindows())
        {
            Sync();
        }
    }

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();
}
