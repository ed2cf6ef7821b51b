using System.Reflection;
using System.Runtime.InteropServices;

namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>
/// Finds and loads the DCAM-API library and answers the plugin assembly's P/Invoke lookups of <c>dcamapi</c> with it.
/// </summary>
/// <remarks>
/// Order: the plugins.json setting <c>library</c> (a file), a copy beside the plugin assembly, then the platform's
/// default search by file name (Linux: LD_LIBRARY_PATH, the ld.so cache, /lib, /usr/lib; Windows: the application
/// folder, System32, PATH). The first library that loads serves the whole process: a native library cannot be
/// swapped once functions are bound, so a second, different <c>library</c> setting is an error.
/// </remarks>
internal static class DcamLibrary
{
    private static readonly Lock Gate = new();
    private static nint s_handle;
    private static string? s_loadedFrom;

    static DcamLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(DcamLibrary).Assembly, Resolve);
    }

    /// <summary>The platform's file name of DCAM-API.</summary>
    public static string PlatformFileName => OperatingSystem.IsWindows() ? "dcamapi.dll"
        : OperatingSystem.IsMacOS() ? "libdcamapi.dylib"
        : "libdcamapi.so";

    /// <summary>Where the library was loaded from, or null before <see cref="Load"/>.</summary>
    public static string? LoadedFrom
    {
        get
        {
            lock (Gate)
            {
                return s_loadedFrom;
            }
        }
    }

    /// <summary>The places to try, in order.</summary>
    /// <param name="configuredPath">The plugins.json <c>library</c> setting, already resolved to a full path.</param>
    /// <param name="pluginDirectory">The folder of the plugin assembly.</param>
    /// <param name="fileName">The file name to look for (the platform's by default).</param>
    public static IReadOnlyList<(string Path, string Origin, bool IsSearchName)> Candidates(string? configuredPath, string? pluginDirectory, string? fileName = null)
    {
        fileName ??= PlatformFileName;
        var list = new List<(string, string, bool)>(4);
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            list.Add((configuredPath, "plugins.json setting 'library'", false));
        }

        if (!string.IsNullOrWhiteSpace(pluginDirectory))
        {
            list.Add((Path.Combine(pluginDirectory, fileName), "plugin folder", false));
        }

        list.Add((fileName, OperatingSystem.IsWindows()
            ? "default search: application folder, System32, PATH"
            : "default search: LD_LIBRARY_PATH, /etc/ld.so.cache, /lib, /usr/lib", true));
        if (OperatingSystem.IsLinux())
        {
            // DCAM-API for Linux installs the versioned file; the unversioned link may be missing.
            list.Add((fileName + ".4", "default search, versioned name", true));
        }

        return list;
    }

    /// <summary>Loads the first candidate that loads; throws with every attempt when none does.</summary>
    /// <exception cref="DcamLibraryNotFoundException">No candidate could be loaded.</exception>
    public static (nint Handle, string Path) LoadFirst(IReadOnlyList<(string Path, string Origin, bool IsSearchName)> candidates)
    {
        var attempts = new List<DcamLibraryAttempt>(candidates.Count);
        foreach (var (path, origin, isSearchName) in candidates)
        {
            if (!isSearchName && !File.Exists(path))
            {
                attempts.Add(new(path, origin, "file not found"));
                continue;
            }

            try
            {
                return (NativeLibrary.Load(path), path);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                attempts.Add(new(path, origin, FirstLine(e.Message)));
            }
        }

        throw new DcamLibraryNotFoundException(attempts);
    }

    /// <summary>
    /// Loads DCAM-API for this process (once; later calls with the same or no setting return the loaded library).
    /// </summary>
    /// <exception cref="DcamLibraryNotFoundException">The library could not be loaded; the message lists every path tried.</exception>
    /// <exception cref="InvalidOperationException">A different library was already loaded for this process.</exception>
    public static string Load(string? configuredPath, string? pluginDirectory)
    {
        lock (Gate)
        {
            if (s_handle != 0 && (configuredPath is null || SameFile(configuredPath, s_loadedFrom!)))
            {
                return s_loadedFrom!;
            }

            var (handle, path) = LoadFirst(Candidates(configuredPath, pluginDirectory));
            if (s_handle != 0 && handle != s_handle)
            {
                throw new InvalidOperationException(
                    $"DCAM-API is already loaded in this process from '{s_loadedFrom}'; the setting 'library' = '{configuredPath}' names another library. "
                    + "Use one DCAM-API library per process.");
            }

            s_handle = handle;
            s_loadedFrom = path;
            return path;
        }
    }

    /// <summary>The plugin assembly's folder (the default place to look beside it).</summary>
    public static string? PluginDirectory => Path.GetDirectoryName(typeof(DcamLibrary).Assembly.Location);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != DcamNative.Library)
        {
            return 0;
        }

        lock (Gate)
        {
            if (s_handle != 0)
            {
                return s_handle;
            }
        }

        // A call before any Load (direct use of the bindings): the default places, with the full error if absent.
        Load(null, PluginDirectory);
        return s_handle;
    }

    private static bool SameFile(string a, string b)
        => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
