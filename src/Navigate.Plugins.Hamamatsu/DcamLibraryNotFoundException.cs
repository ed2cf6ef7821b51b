namespace Navigate.Plugins.Hamamatsu;

/// <summary>
/// The DCAM-API library (<c>dcamapi.dll</c> / <c>libdcamapi.so</c>) could not be loaded from any place the plugin
/// looked. The message lists every attempt and why it failed; <see cref="Attempts"/> has them as data.
/// </summary>
public sealed class DcamLibraryNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception from the failed attempts, in the order they were made.</summary>
    public DcamLibraryNotFoundException(IReadOnlyList<DcamLibraryAttempt> attempts)
        : base(Format(attempts))
    {
        Attempts = attempts;
    }

    /// <summary>Every place tried, in order, with the reason it failed.</summary>
    public IReadOnlyList<DcamLibraryAttempt> Attempts { get; }

    private static string Format(IReadOnlyList<DcamLibraryAttempt> attempts)
    {
        var lines = attempts.Select(a => $"  {a.Path} ({a.Origin}): {a.Failure}");
        return "DCAM-API (library 'dcamapi') could not be loaded. Tried:" + Environment.NewLine
            + string.Join(Environment.NewLine, lines) + Environment.NewLine
            + "Install Hamamatsu DCAM-API for this platform, or set \"library\" in the plugin's plugins.json settings "
            + "to the path of libdcamapi.so / dcamapi.dll (see docs/hamamatsu.md).";
    }
}

/// <summary>One place the plugin tried to load DCAM-API from.</summary>
/// <param name="Path">A file path, or a bare file name handed to the platform's default library search.</param>
/// <param name="Origin">Why it was tried: the plugins.json setting, the plugin folder, or the default search.</param>
/// <param name="Failure">Why loading failed (file not found, or the loader's message).</param>
public sealed record DcamLibraryAttempt(string Path, string Origin, string Failure);
