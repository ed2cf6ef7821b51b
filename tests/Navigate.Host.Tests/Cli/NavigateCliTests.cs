using System.Text.Json;
using Navigate.Host.Cli;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Cli;

/// <summary>The CLI end to end, in process, through the repository's plugins.json and test manifests.</summary>
public sealed class NavigateCliTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => _temp.Dispose();

    private int Run(params string[] args) => NavigateCli.Run(args, new CliConsole(_out, _err));

    private static string RepoPlugins => Path.Combine(TestPaths.RepoRoot, "plugins.json");

    [Fact]
    public void PluginsJsonListsTheSyntheticPlugin()
    {
        Assert.Equal(0, Run("plugins", "--json", "--plugins", RepoPlugins));
        using var doc = JsonDocument.Parse(_out.ToString());
        var synthetic = doc.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "synthetic");
        Assert.Equal("loaded", synthetic.GetProperty("status").GetString());
        Assert.Equal(["camera:synthetic", "stage:synthetic"], synthetic.GetProperty("provides").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void DevicesJsonShowsTheSyntheticCameraWithPropertyRanges()
    {
        Assert.Equal(0, Run("devices", "--json", "--camera", "synthetic", "--plugins", RepoPlugins));
        using var doc = JsonDocument.Parse(_out.ToString());
        var camera = doc.RootElement.GetProperty("cameras").EnumerateArray().Single();
        Assert.Equal("Synthetic sCMOS", camera.GetProperty("info").GetProperty("model").GetString());
        Assert.Equal(2048, camera.GetProperty("info").GetProperty("sensorWidth").GetInt32());
        var exposure = camera.GetProperty("properties").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "exposure_time");
        Assert.True(exposure.GetProperty("maximum").GetDouble() > exposure.GetProperty("minimum").GetDouble());
    }

    [Fact]
    public void ABrokenDeviceIsReportedAndTheOthersAreStillListed()
    {
        var dll = _temp.CopyPlugin(Path.Combine(TestPaths.TestPlugins, "TestPlugins.Good"), "TestPlugins.Good");
        var synthetic = _temp.CopyPlugin(Path.Combine(TestPaths.Plugins, "Navigate.Plugins.Synthetic"), "Navigate.Plugins.Synthetic");
        var manifest = _temp.Write("plugins.json", Manifest.Of(
            Manifest.Entry("good", Path.GetRelativePath(_temp.Path, dll)),
            Manifest.Entry("synthetic", Path.GetRelativePath(_temp.Path, synthetic))));

        Assert.Equal(1, Run("devices", "--json", "--plugins", manifest));
        using var doc = JsonDocument.Parse(_out.ToString());
        var cameras = doc.RootElement.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("IOException: the broken camera does not answer (simulated)", cameras["broken-camera"].GetProperty("error").GetString());
        Assert.False(cameras["synthetic"].TryGetProperty("error", out _));
    }

    [Fact]
    public void AnUnknownOptionIsAUsageError()
    {
        Assert.Equal(2, Run("devices", "--frobnicate"));
        Assert.Contains("navigate: Unrecognized command or argument '--frobnicate'", _err.ToString());
    }

    [Fact]
    public void AMissingPluginsFileIsAUsageErrorOnOneLine()
    {
        Assert.Equal(2, Run("plugins", "--plugins", "/nonexistent/plugins.json"));
        Assert.Equal("navigate: --plugins: file not found: /nonexistent/plugins.json", _err.ToString().Trim());
    }

    [Fact]
    public void ACorruptPluginsFileIsARuntimeErrorOnOneLineWithoutStackTrace()
    {
        var manifest = _temp.Write("plugins.json", "{ \"plugins\": [ ");
        Assert.Equal(1, Run("plugins", "--plugins", manifest));
        var error = _err.ToString().Trim();
        Assert.StartsWith($"navigate: error: {manifest}: not valid JSON at line 1", error);
        Assert.DoesNotContain("\n", error);
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        var manifest = _temp.Write("plugins.json", "{ \"plugins\": [ ");
        Assert.Equal(1, Run("plugins", "--verbose", "--plugins", manifest));
        Assert.Contains("   at ", _err.ToString());
    }

    [Fact]
    public void AnUnknownCameraIsARuntimeErrorListingTheCameras()
    {
        Assert.Equal(1, Run("devices", "--camera", "orca", "--plugins", RepoPlugins));
        Assert.Equal("navigate: error: No camera named 'orca'. Cameras: synthetic. See `navigate plugins` for plugins that did not load.", _err.ToString().Trim());
    }

    [Fact]
    public void VersionPrintsTheHostVersion()
    {
        Assert.Equal(0, Run("--version"));
        Assert.StartsWith("1.0.0", _out.ToString().Trim());
    }
}
