using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Host.Data;
using Navigate.Host.Hosting;
using Navigate.Templates.Tests.Infrastructure;

namespace Navigate.Templates.Tests;

/// <summary>The generated plugins, unedited, in the real `navigate` CLI.</summary>
[Collection(TemplatesTestGroup.Name)]
public sealed class GeneratedPluginsInTheHostTests(GeneratedPlugins generated)
{
    // Small, but every axis > 1: two channels, three planes, two timepoints, two positions.
    private static readonly string[] Shape = ["--width", "64", "--height", "48", "--z", "3", "--channels", "2", "--timepoints", "2", "--positions", "2"];

    private static JsonElement Json(ProcessResult run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Output);
        return document.RootElement.Clone();
    }

    private static JsonElement Plugin(JsonElement plugins, string name)
        => plugins.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task TheDevicePluginLoadsFromItsOwnGeneratedPluginsJson()
    {
        var plugins = Json(await generated.Navigate("plugins", "--json", "--plugins", Path.Combine(generated.Device, "plugins.json")));

        var plugin = Plugin(plugins, "Lab.Sim");
        Assert.Equal("loaded", plugin.GetProperty("status").GetString());
        Assert.Equal("1.0.0", plugin.GetProperty("version").GetString());
        Assert.Equal("1.0.0", plugin.GetProperty("apiVersion").GetString());
        Assert.Equal(["camera:lab-sim", "stage:lab-sim"], Strings(plugin.GetProperty("provides")));
    }

    [Fact]
    public async Task TheFormatPluginLoadsFromItsOwnGeneratedPluginsJson()
    {
        var plugins = Json(await generated.Navigate("plugins", "--json", "--plugins", Path.Combine(generated.Format, "plugins.json")));

        var plugin = Plugin(plugins, "Lab.Planes");
        Assert.Equal("loaded", plugin.GetProperty("status").GetString());
        Assert.Equal(["format:lab-planes"], Strings(plugin.GetProperty("provides")));
    }

    [Fact]
    public async Task EveryGeneratedPluginLoadsBesideTheSyntheticOne()
    {
        var plugins = Json(await generated.Navigate("plugins", "--json", "--plugins", generated.Manifest));

        foreach (var name in new[] { "lab-sim", "lab-planes", "lab-stage", "synthetic" })
        {
            var plugin = Plugin(plugins, name);
            Assert.True(plugin.GetProperty("status").GetString() == "loaded", plugin.ToString());
        }

        Assert.Equal(["stage:lab-stage"], Strings(Plugin(plugins, "lab-stage").GetProperty("provides")));
    }

    [Fact]
    public async Task DevicesShowsTheGeneratedCameraAndStagesWithTheirLimits()
    {
        var devices = Json(await generated.Navigate("devices", "--json", "--plugins", generated.Manifest));

        var camera = devices.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "lab-sim");
        Assert.False(camera.TryGetProperty("error", out _), camera.ToString());
        Assert.Equal("Simulated sCMOS", camera.GetProperty("info").GetProperty("model").GetString());
        Assert.Equal(2048, camera.GetProperty("info").GetProperty("sensorWidth").GetInt32());
        Assert.Contains("exposure_time", camera.GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("name").GetString()));

        var stages = devices.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["x", "y", "z", "f"], stages["lab-sim"].GetProperty("axes").EnumerateArray().Select(a => a.GetProperty("axis").GetString()));
        var z = Assert.Single(stages["lab-stage"].GetProperty("axes").EnumerateArray());
        Assert.Equal("z", z.GetProperty("axis").GetString());
        Assert.Equal(0, z.GetProperty("limits").GetProperty("minimum").GetDouble());
        Assert.Equal(500, z.GetProperty("limits").GetProperty("maximum").GetDouble());
    }

    [Theory]
    [InlineData("lab-sim")]
    [InlineData("synthetic")]
    public async Task AcquireWritesEveryFrameIntoTheGeneratedFormatWhereNavigatePutsIt(string camera)
    {
        var output = Path.Combine(generated.Root, "data", $"{camera}.lab-planes");

        var summary = Json(await generated.Navigate(["acquire", "--json", "--plugins", generated.Manifest, "--camera", camera, "--format", "lab-planes", "--out", output, .. Shape]));

        Assert.Equal("lab-planes", summary.GetProperty("format").GetString());
        Assert.Equal(24, summary.GetProperty("framesExpected").GetInt64());
        Assert.Equal(24, summary.GetProperty("framesWritten").GetInt64());
        Assert.Equal(0, summary.GetProperty("framesDropped").GetInt64());

        // Read back through the plugin itself: both cameras put the frame number in the first four pixels, so every
        // plane must hold the frame that navigate's frame order assigns to its (c, z, t, p).
        await using var services = new ServiceCollection().AddNavigate(o => o.PluginsFile = generated.Manifest).BuildServiceProvider();
        var formats = services.GetRequiredService<FormatCatalog>();
        Assert.Equal("lab-planes", formats.FindForPath(output)?.Name);
        using var source = formats.Get("lab-planes").Open(output);
        Assert.Equal(24, source.FramesWritten);
        for (long f = 0; f < source.Metadata.FrameCount; f++)
        {
            var i = source.Metadata.IndexOf(f);
            var plane = source.GetData(i.T, i.P, i.C, i.Z);
            Assert.Equal((64, 48, 1), (plane.Shape.X, plane.Shape.Y, plane.Shape.Z));
            Assert.Equal(f, BinaryPrimitives.ReadInt64LittleEndian(plane.Bytes));
        }
    }

    [Fact]
    public async Task InspectAndConvertReadADatasetOfTheGeneratedFormat()
    {
        var output = Path.Combine(generated.Root, "data", "inspect.lab-planes");
        Json(await generated.Navigate(["acquire", "--json", "--plugins", generated.Manifest, "--camera", "lab-sim", "--format", "lab-planes", "--out", output, .. Shape]));

        var description = Json(await generated.Navigate("inspect", "--json", "--plugins", generated.Manifest, output));

        Assert.Equal("lab-planes", description.GetProperty("format").GetString());
        var images = description.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(2, images.Count);
        var level = Assert.Single(images[1].GetProperty("levels").EnumerateArray());
        Assert.Equal([2L, 2, 3, 48, 64], level.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("uint16", level.GetProperty("dataType").GetString());

        // The host's converter reads it plane by plane and writes it again through the same format.
        var copy = Path.Combine(generated.Root, "data", "inspect-copy.lab-planes");
        var converted = await generated.Navigate("convert", "--plugins", generated.Manifest, output, copy);
        Assert.True(converted.ExitCode == 0, converted.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "p1.raw")), File.ReadAllBytes(Path.Combine(copy, "p1.raw")));
    }

    [Fact]
    public async Task TheGeneratedFormatRefusesToReplaceADatasetUnlessAskedTo()
    {
        var output = Path.Combine(generated.Root, "data", "twice.lab-planes");
        string[] acquire = ["acquire", "--json", "--plugins", generated.Manifest, "--camera", "lab-sim", "--format", "lab-planes", "--out", output, .. Shape];
        Json(await generated.Navigate(acquire));

        var refused = await generated.Navigate(acquire);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"navigate: error: {output} already holds data; nothing was changed. Pass Overwrite (navigate acquire --overwrite) to replace it.", refused.Error.Split('\n').Select(l => l.Trim()));

        var replaced = Json(await generated.Navigate([.. acquire, "--overwrite"]));
        Assert.Equal(24, replaced.GetProperty("framesWritten").GetInt64());
    }
}
