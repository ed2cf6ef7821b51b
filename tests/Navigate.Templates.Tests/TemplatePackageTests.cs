using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Navigate.Templates.Tests.Infrastructure;

namespace Navigate.Templates.Tests;

/// <summary>The template package itself: what the packed .nupkg holds, and installing from the folder.</summary>
[Collection(TemplatesTestGroup.Name)]
public sealed class TemplatePackageTests(GeneratedPlugins generated)
{
    [Fact]
    public void ThePackageIsATemplatePackageWithBothTemplates()
    {
        using var package = ZipFile.OpenRead(RepoPaths.TemplatesPackage);

        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var type = Assert.Single(nuspec.Descendants(), e => e.Name.LocalName == "packageType");
        Assert.Equal("Template", (string?)type.Attribute("name"));
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal));

        var templates = package.Entries.Where(e => e.FullName.EndsWith(".template.config/template.json", StringComparison.Ordinal))
            .Select(e =>
            {
                using var json = JsonDocument.Parse(e.Open());
                return (Path: e.FullName, Identity: json.RootElement.GetProperty("identity").GetString(), ShortName: json.RootElement.GetProperty("shortName").GetString());
            })
            .OrderBy(t => t.Path, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [("content/navigate-device/.template.config/template.json", "Navigate.Templates.Device", "navigate-device"),
             ("content/navigate-format/.template.config/template.json", "Navigate.Templates.Format", "navigate-format")],
            templates);
        Assert.DoesNotContain(package.Entries, e => e.FullName.Contains("/bin/", StringComparison.Ordinal) || e.FullName.Contains("/obj/", StringComparison.Ordinal));
    }

    [Fact]
    public void TheGeneratedTestProjectsUseThisRepositorysTestPackageVersions()
    {
        // Kept in step so a CI restore of the generated projects finds every package already in the machine's cache.
        var central = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        var checkedReferences = 0;
        foreach (var project in Directory.GetFiles(Path.Combine(RepoPaths.TemplatesFolder, "content"), "*.Tests.csproj", SearchOption.AllDirectories))
        {
            foreach (var reference in XDocument.Load(project).Descendants("PackageReference").Where(e => (string?)e.Attribute("Include") != "Navigate.Abstractions"))
            {
                var name = (string)reference.Attribute("Include")!;
                Assert.True(central.TryGetValue(name, out var version), $"{project}: {name} is not in Directory.Packages.props.");
                Assert.True(version == (string?)reference.Attribute("Version"), $"{project}: {name} {(string?)reference.Attribute("Version")}; Directory.Packages.props has {version}.");
                checkedReferences++;
            }
        }

        Assert.Equal(6, checkedReferences);
    }

    [Fact]
    public async Task TheTemplatesInstallFromTheFolderToo()
    {
        var ct = TestContext.Current.CancellationToken;
        var hive = Path.Combine(generated.Root, "folder-hive");

        await Dotnet.RunCheckedAsync(generated.Root, ["new", "install", RepoPaths.TemplatesFolder, "--debug:custom-hive", hive], ct);
        var list = await Dotnet.RunCheckedAsync(generated.Root, ["new", "list", "navigate", "--debug:custom-hive", hive], ct);

        Assert.Contains("navigate-device", list.Output, StringComparison.Ordinal);
        Assert.Contains("navigate-format", list.Output, StringComparison.Ordinal);

        // Listed is not enough: a folder install reads template.json and the content straight from the repository, so
        // generate from that hive and build what it gives (the plugin project only: its tests run in the package route).
        // Under Work, so the restore takes Navigate.Abstractions from this run's feed like the package-route projects.
        const string Name = "Lab.FromFolder";
        var folder = Path.Combine(generated.Work, Name);
        await Dotnet.RunCheckedAsync(generated.Root, ["new", "navigate-format", "-n", Name, "-o", folder, "--format-name", "lab-folder", "--feed", generated.Feed, "--no-update-check", "--debug:custom-hive", hive], ct);
        var leftovers = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("MyLab.Plugins.Format", StringComparison.Ordinal) || text.Contains("NAVIGATE_", StringComparison.Ordinal) || text.Contains("raw-planes", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(folder, f));
        Assert.Empty(leftovers);
        Assert.Contains("lab-folder", await File.ReadAllTextAsync(Path.Combine(folder, "src", Name, "RawPlanesFormat.cs"), ct), StringComparison.Ordinal);

        var project = Path.Combine(folder, "src", Name, $"{Name}.csproj");
        var build = await Dotnet.RunAsync(generated.Root, ["build", project, "-p:NuGetAudit=false", "-nodeReuse:false", "--verbosity", "minimal"], ct);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(folder, "src", Name, "bin", "Debug", "net10.0", $"{Name}.dll")), build.ToString());
    }
}
