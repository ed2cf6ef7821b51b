using Navigate.Host.Plugins;

namespace Navigate.Host.Tests.Plugins;

public sealed class PluginManifestReaderTests
{
    private const string File = "/labs/scope1/plugins.json";

    [Fact]
    public void ReadsEntriesWithDefaults()
    {
        var manifest = PluginManifestReader.Parse("""
            // comments are allowed
            { "plugins": [
              { "name": "a", "path": "a/a.dll" },
              { "name": "b", "path": "b/b.dll", "enabled": false, "sha256": "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789", "settings": { "k": 1 } },
            ] }
            """, File);

        Assert.Equal("/labs/scope1", manifest.Directory);
        Assert.True(manifest.Entries[0].Enabled);
        Assert.Null(manifest.Entries[0].Sha256);
        Assert.False(manifest.Entries[1].Enabled);
        Assert.Equal(1, manifest.Entries[1].Settings.GetProperty("k").GetInt32());
    }

    [Fact]
    public void CorruptJsonNamesTheFileLineAndByte()
    {
        var ex = Assert.Throws<PluginManifestException>(() => PluginManifestReader.Parse("{\n  \"plugins\": [ { \"name\": \"a\" \"path\": \"x\" } ]\n}", File));
        Assert.StartsWith($"{File}: not valid JSON at line 2, byte ", ex.Message);
    }

    [Theory]
    [InlineData("[]", "found an array")]
    [InlineData("{\"plugin\": []}", "found an object")]
    [InlineData("{\"plugins\": {}}", "found an object")]
    public void ADocumentWithoutAPluginsArrayIsRefused(string json, string found)
    {
        var ex = Assert.Throws<PluginManifestException>(() => PluginManifestReader.Parse(json, File));
        Assert.Equal($"{File}: expected an object with a \"plugins\" array; {found}.", ex.Message);
    }

    [Theory]
    [InlineData("{\"path\": \"x.dll\"}", "plugins[0]: \"name\" must be a non-empty string.")]
    [InlineData("{\"name\": \"a\"}", "plugins[0] ('a'): \"path\" must be a non-empty string.")]
    [InlineData("{\"name\": \"a\", \"path\": \"x\", \"enabled\": \"yes\"}", "plugins[0] ('a'): \"enabled\" must be true or false; found the string \"yes\".")]
    [InlineData("{\"name\": \"a\", \"path\": \"x\", \"sha256\": \"abc\"}", "plugins[0] ('a'): \"sha256\" must be 64 hexadecimal digits; found the string \"abc\".")]
    [InlineData("{\"name\": \"a\", \"path\": \"x\", \"settings\": [1]}", "plugins[0] ('a'): \"settings\" must be an object; found an array.")]
    [InlineData("42", "plugins[0]: expected an object; found the number 42.")]
    public void AMalformedEntryIsMarkedAndTheOthersAreKept(string entry, string problem)
    {
        var manifest = PluginManifestReader.Parse($"{{\"plugins\": [{entry}, {{\"name\": \"ok\", \"path\": \"ok.dll\"}}]}}", File);
        Assert.Equal(problem, manifest.Entries[0].Problem);
        Assert.Null(manifest.Entries[1].Problem);
    }

    [Fact]
    public void ADuplicateNameIsMarked()
    {
        var manifest = PluginManifestReader.Parse("{\"plugins\": [{\"name\": \"a\", \"path\": \"1\"}, {\"name\": \"A\", \"path\": \"2\"}]}", File);
        Assert.Equal("plugins[1]: the name 'A' is used by an earlier entry.", manifest.Entries[1].Problem);
    }

    [Fact]
    public void AMissingFileIsAManifestError()
    {
        var ex = Assert.Throws<PluginManifestException>(() => PluginManifestReader.Read("/nonexistent/plugins.json"));
        Assert.StartsWith("/nonexistent/plugins.json: cannot read the plugins file:", ex.Message);
    }
}
