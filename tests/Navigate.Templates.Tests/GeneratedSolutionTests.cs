using System.Text.Json;
using System.Xml.Linq;

namespace Navigate.Templates.Tests;

[CollectionDefinition(Name)]
public sealed class TemplatesTestGroup : ICollectionFixture<GeneratedPlugins>
{
    public const string Name = "Templates";
}

/// <summary>The generated solutions on their own: they build warning-free outside this repository and their tests pass.</summary>
[Collection(TemplatesTestGroup.Name)]
public sealed class GeneratedSolutionTests(GeneratedPlugins generated)
{
    private string Folder(string which) => which switch
    {
        "device" => generated.Device,
        "format" => generated.Format,
        "stage-only" => generated.StageOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, "Unknown generated solution."),
    };

    [Fact]
    public void TheGeneratedProjectsBuildWithoutAWarning()
    {
        var run = generated.TestRun!;

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(": warning ", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("device", "Lab.Sim.Tests.dll", 15)]
    [InlineData("format", "Lab.Planes.Tests.dll", 15)]
    [InlineData("stage-only", "Lab.Stage.Tests.dll", 5)]
    public void TheGeneratedTestsPass(string which, string assembly, int atLeast)
    {
        var passed = GeneratedPlugins.PassedTests(generated.TestRun!, assembly);

        Assert.True(passed >= atLeast, $"expected at least {atLeast} passing tests in the generated {which} solution ({assembly}), found {passed}:\n{generated.TestRun}");
    }

    [Theory]
    [InlineData("device")]
    [InlineData("format")]
    [InlineData("stage-only")]
    public void TheGeneratedSolutionFileListsTheGeneratedProjects(string which)
    {
        var folder = Folder(which);
        var solution = Assert.Single(Directory.GetFiles(folder, "*.slnx"));

        var listed = XDocument.Load(solution).Descendants("Project").Select(p => Path.GetFullPath((string)p.Attribute("Path")!, folder)).Order(StringComparer.Ordinal);

        Assert.Equal(Directory.GetFiles(folder, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal), listed);
    }

    [Theory]
    [InlineData("device")]
    [InlineData("format")]
    [InlineData("stage-only")]
    public void NoTemplatePlaceholderIsLeftInTheGeneratedFiles(string which)
    {
        string[] placeholders = ["MyLab", "NAVIGATE_ABSTRACTIONS", "NAVIGATE_FEED", "mylab-sim", "raw-planes", "//#if", "<!--#"];
        var files = Directory.EnumerateFiles(Folder(which), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}TestResults{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (var placeholder in placeholders)
            {
                Assert.False(text.Contains(placeholder, StringComparison.Ordinal), $"{file} still contains '{placeholder}'.");
            }
        }
    }

    [Fact]
    public void TheKindOptionLeavesOutTheDeviceNotAskedFor()
    {
        var source = Path.Combine(generated.StageOnly, "src", "Lab.Stage");

        Assert.True(File.Exists(Path.Combine(source, "SimulatedStage.cs")));
        Assert.False(File.Exists(Path.Combine(source, "SimulatedCamera.cs")));
        Assert.False(File.Exists(Path.Combine(generated.StageOnly, "tests", "Lab.Stage.Tests", "SimulatedCameraTests.cs")));
        Assert.DoesNotContain("ICameraFactory", File.ReadAllText(Path.Combine(source, "DevicePlugin.cs")), StringComparison.Ordinal);
        Assert.DoesNotContain("sensorWidth", File.ReadAllText(Path.Combine(generated.StageOnly, "plugins.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePackageRouteTakesNavigateAbstractionsFromTheFeedAndTheProjectRouteFromTheCheckout()
    {
        Assert.True(File.Exists(Path.Combine(generated.Device, "nuget.config")));
        Assert.False(File.Exists(Path.Combine(generated.StageOnly, "nuget.config")));
        Assert.Equal("package", AbstractionsLibraryType(Path.Combine(generated.Device, "src", "Lab.Sim")));
        Assert.Equal("package", AbstractionsLibraryType(Path.Combine(generated.Format, "src", "Lab.Planes")));
        Assert.Equal("project", AbstractionsLibraryType(Path.Combine(generated.StageOnly, "src", "Lab.Stage")));

        // Restored from this run's feed into this run's package folder, not from anything cached on the machine.
        Assert.True(File.Exists(Path.Combine(generated.Root, "packages", "navigate.abstractions", "1.0.0", "navigate.abstractions.nuspec")));
    }

    [Fact]
    public void NoPluginCarriesACopyOfTheContracts()
    {
        foreach (var dll in new[] { generated.DeviceDll, generated.FormatDll, generated.StageOnlyDll })
        {
            var folder = Path.GetDirectoryName(dll)!;
            Assert.True(File.Exists(dll), $"{dll} was not built.");
            Assert.True(File.Exists(Path.ChangeExtension(dll, ".deps.json")), $"{dll} has no deps.json (EnableDynamicLoading).");
            Assert.False(File.Exists(Path.Combine(folder, "Navigate.Abstractions.dll")), $"{folder} carries a private Navigate.Abstractions.dll.");
        }
    }

    private static string? AbstractionsLibraryType(string projectFolder)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(projectFolder, "obj", "project.assets.json")));
        return assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Single(l => l.Name.StartsWith("Navigate.Abstractions/", StringComparison.Ordinal))
            .Value.GetProperty("type").GetString();
    }
}
