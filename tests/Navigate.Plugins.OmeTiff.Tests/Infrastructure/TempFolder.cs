namespace Navigate.Plugins.OmeTiff.Tests.Infrastructure;

/// <summary>A folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "navigate-ometiff-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A plugin assembly loaded from here may still be mapped; the OS cleans temp folders.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
