namespace Navigate.Host.Tests.Infrastructure;

/// <summary>A folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "navigate-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string text)
    {
        var file = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Copies a built plugin folder into this folder as <c>plugins/NAME/</c>, returning the main dll path.</summary>
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
    }
}
