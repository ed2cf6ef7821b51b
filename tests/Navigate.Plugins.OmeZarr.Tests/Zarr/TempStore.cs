using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

/// <summary>A directory store in a fresh temporary folder, deleted on dispose.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "navigate-zarr-tests", Guid.NewGuid().ToString("N"));
        Store = new DirectoryZarrStore(Root);
    }

    public string Root { get; }

    public DirectoryZarrStore Store { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
