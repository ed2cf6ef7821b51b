using System.Runtime.InteropServices;
using Navigate.Plugins.Hamamatsu.Interop;
using Navigate.Plugins.Hamamatsu.Tests.Simulator;

namespace Navigate.Plugins.Hamamatsu.Tests.Interop;

[Collection(SimulatorCollectionDefinition.Name)]
public sealed class DcamLibraryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dcam-library-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Candidates_are_the_setting_then_the_plugin_folder_then_the_default_search()
    {
        var candidates = DcamLibrary.Candidates("/opt/dcam/libdcamapi.so", "/plugins/hamamatsu");

        Assert.Equal(("/opt/dcam/libdcamapi.so", "plugins.json setting 'library'", false), candidates[0]);
        Assert.Equal((Path.Combine("/plugins/hamamatsu", DcamLibrary.PlatformFileName), "plugin folder", false), candidates[1]);
        Assert.Equal(DcamLibrary.PlatformFileName, candidates[2].Path);
        Assert.True(candidates[2].IsSearchName);
        Assert.StartsWith("default search", candidates[2].Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_setting_the_plugin_folder_and_default_search_are_tried()
    {
        var candidates = DcamLibrary.Candidates(null, "/plugins/hamamatsu");

        Assert.Equal("plugin folder", candidates[0].Origin);
        Assert.DoesNotContain(candidates, c => c.Origin.Contains("plugins.json", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_library_error_names_every_path_tried_and_why_it_failed()
    {
        RequireNoInstalledDcam();
        var configured = Path.Combine(_folder, "not-here", "libdcamapi.so");
        var candidates = DcamLibrary.Candidates(configured, _folder);

        var e = Assert.Throws<DcamLibraryNotFoundException>(() => DcamLibrary.LoadFirst(candidates));

        Assert.Equal(candidates.Count, e.Attempts.Count);
        Assert.StartsWith("DCAM-API (library 'dcamapi') could not be loaded. Tried:", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{configured} (plugins.json setting 'library'): file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_folder, DcamLibrary.PlatformFileName)} (plugin folder): file not found", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{DcamLibrary.PlatformFileName} (default search", e.Message, StringComparison.Ordinal);
        Assert.Contains("set \"library\" in the plugin's plugins.json settings", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DllNotFoundException>(e);
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_reported_with_the_loader_message()
    {
        RequireNoInstalledDcam();
        var fake = Path.Combine(_folder, "libdcamapi.so");
        File.WriteAllText(fake, "not an ELF file");

        var e = Assert.Throws<DcamLibraryNotFoundException>(() => DcamLibrary.LoadFirst(DcamLibrary.Candidates(fake, null)));

        var attempt = e.Attempts[0];
        Assert.Equal(fake, attempt.Path);
        Assert.NotEqual("file not found", attempt.Failure);
        Assert.Contains(fake, attempt.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_library_is_loaded_first()
    {
        DcamSim.RequireBuilt();

        var (handle, path) = DcamLibrary.LoadFirst(DcamLibrary.Candidates(DcamSim.LibraryPath, _folder));

        Assert.Equal(DcamSim.LibraryPath, path);
        Assert.NotEqual(0, NativeLibrary.GetExport(handle, "dcamapi_init"));
    }

    [Fact]
    public void A_missing_configured_path_falls_back_to_the_plugin_folder()
    {
        DcamSim.RequireBuilt();
        var besidePlugin = Path.Combine(_folder, DcamLibrary.PlatformFileName);
        File.Copy(DcamSim.LibraryPath, besidePlugin);

        var (_, path) = DcamLibrary.LoadFirst(DcamLibrary.Candidates(Path.Combine(_folder, "missing.so"), _folder));

        Assert.Equal(besidePlugin, path);
    }

    private static void RequireNoInstalledDcam()
    {
        if (NativeLibrary.TryLoad(DcamLibrary.PlatformFileName, out var handle))
        {
            NativeLibrary.Free(handle);
            Assert.Skip("A DCAM-API library is installed on this machine, so the default search finds it.");
        }
    }
}
