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

    /// <summary>Copies a built plugin folder to <c>plugins/NAME/</c> here (the host loads plugins only from below its plugins.json); returns the main dll.</summary>
    public string CopyPlugin(string builtFolder, string name)
    {
        var target = Combine("plugins", name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(builtFolder))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        }

        return System.IO.Path.Combine(target, name + ".dll");
    }

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
