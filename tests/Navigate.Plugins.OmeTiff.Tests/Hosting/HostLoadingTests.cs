using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;
using Navigate.Host.Data;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests.Hosting;

/// <summary>The built plugin, loaded by the host from a plugins.json as in production.</summary>
public sealed class HostLoadingTests
{
    internal static string Manifest(string pluginDll, string settings = "{}")
        => new JsonObject
        {
            ["plugins"] = new JsonArray(new JsonObject
            {
                ["name"] = "ome-tiff",
                ["path"] = pluginDll,
                ["enabled"] = true,
                ["settings"] = JsonNode.Parse(settings),
            }),
        }.ToJsonString();

    [Fact]
    public void TheHostFindsTheFormatByNameAliasAndExtensionAndItWritesAndReads()
    {
        using var temp = new TempFolder();
        var manifest = temp.Combine("plugins.json");
        temp.CopyPlugin(TestPaths.PluginFolder, "Navigate.Plugins.OmeTiff");
        File.WriteAllText(manifest, Manifest("plugins/Navigate.Plugins.OmeTiff/Navigate.Plugins.OmeTiff.dll", """{ "bigtiff": "true" }"""));

        using var provider = new ServiceCollection().AddNavigate(o => o.PluginsFile = manifest).BuildServiceProvider();
        var plugin = Assert.Single(provider.GetRequiredService<PluginCatalog>().Plugins);
        Assert.True(plugin.Status == PluginStatus.Loaded, $"{plugin.Status}: {plugin.Reason}");
        var formats = provider.GetRequiredService<FormatCatalog>();
        var format = formats.Get("ome-tiff");
        Assert.Same(format, formats.Get("TIFF"));
        Assert.Same(format, formats.FindForPath("/data/run/CH00_000000.ome.tif"));
        Assert.Same(format, formats.FindForPath("/data/run/CH00_000000.tiff"));

        // Loaded in its own context, not the test's copy of the type.
        Assert.Equal("Navigate.Plugins.OmeTiff.OmeTiffFormat", format.GetType().FullName);
        Assert.NotSame(typeof(OmeTiffFormat), format.GetType());
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(format.GetType().Assembly));

        var m = TestAcquisition.Small(channels: 1, z: 2, timepoints: 1);
        using (var source = format.Create(temp.Combine("run", "CH00_000000.ome.tiff"), m, new DataSourceOptions()))
        {
            TestAcquisition.WriteAll(source, m);
        }

        Assert.Same(format, formats.FindForPath(temp.Combine("run")));
        using var read = format.Open(temp.Combine("run"));
        Assert.Equal(TestAcquisition.Pixel(new FrameIndex(0, 1, 0, 0), 3, 4), read.GetData(z: 1)[0, 3, 4]);
        var file = Tifffile.Read(temp.Combine("run", "CH00_000000.ome.tiff"))[0];
        Assert.True(file.GetProperty("is_bigtiff").GetBoolean()); // the plugins.json setting reached the format
    }
}
