namespace Navigate.Plugins.OmeZarr.Tests.TestSupport;

/// <summary>Finds <c>shared/reference</c> by walking up from the test binaries to the folder that holds it.</summary>
internal static class SharedReference
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static string NgffSchemas => Path("ngff", "0.4", "schemas");

    public static string Ngff05Schemas => Path("ngff", "0.5", "schemas");

    public static string NgffTests => Path("ngff", "0.4", "tests");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "reference");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/reference folder above {AppContext.BaseDirectory}; the repository expects ../shared beside it.");
    }
}
