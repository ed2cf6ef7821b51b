using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Host.Data;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;
using Navigate.Plugins.OmeTiff.Tests.Hosting;
using Navigate.Plugins.OmeTiff.Tests.Infrastructure;

namespace Navigate.Plugins.OmeTiff.Tests.Packaging;

[CollectionDefinition(nameof(AbstractionsPackageTests))]
public sealed class PackagingTestGroup;

/// <summary>
/// The outside author's path: Navigate.Abstractions packed into a local feed, the plugin's folder copied out of this
/// repository and built against the package, and the result loaded by the host.
/// </summary>
[Collection(nameof(AbstractionsPackageTests))]
public sealed class AbstractionsPackageTests
{
    [Fact]
    public void ThePluginBuildsAgainstThePackedAbstractionsAndLoads()
    {
        using var temp = new TempFolder();
        var ct = TestContext.Current.CancellationToken;
        var feed = temp.Combine("feed");
        var repo = TestPaths.RepoRoot;

        // 1. Pack (Release, so the tests' Debug build is not touched; restored already by the solution build).
        Run(repo, ["pack", Path.Combine(repo, "src", "Navigate.Abstractions"), "-c", "Release", "--no-restore", "-o", feed], ct);
        var package = Assert.Single(Directory.GetFiles(feed, "Navigate.Abstractions.*.nupkg"));
        var version = Path.GetFileNameWithoutExtension(package)["Navigate.Abstractions.".Length..];
        using (var zip = ZipFile.OpenRead(package))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Navigate.Abstractions.dll");
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Microsoft.Extensions.DependencyInjection.Abstractions");
        }

        // 2. The author's folder: a copy of the plugin, the package versions, the local feed, nothing of this repo.
        var author = temp.Combine("author");
        var project = Path.Combine(author, "Navigate.Plugins.OmeTiff");
        CopySources(Path.Combine(repo, "plugins-external", "Navigate.Plugins.OmeTiff"), project);
        File.WriteAllText(Path.Combine(author, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(author, "Directory.Build.targets"), "<Project />");
        var libTiff = XDocument.Load(Path.Combine(repo, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "BitMiracle.LibTiff.NET").Attribute("Version")!.Value;
        File.WriteAllText(Path.Combine(author, "Directory.Packages.props"), $"""
            <Project>
              <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="Navigate.Abstractions" Version="{version}" />
                <PackageVersion Include="BitMiracle.LibTiff.NET" Version="{libTiff}" />
              </ItemGroup>
            </Project>
            """);
        // The machine's package folder serves what is already downloaded; Navigate.Abstractions is never in it, so it
        // must come from the feed into this test's own package folder.
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(author, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="navigate-local" value="{feed}" /></packageSources>
              <config><add key="globalPackagesFolder" value="{temp.Combine("packages")}" /></config>
              <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
            </configuration>
            """);

        // 3. Build it as that author would.
        Run(author, ["build", project, "-c", "Release", "-p:UseAbstractionsPackage=true"], ct);
        Assert.True(Directory.Exists(temp.Combine("packages", "navigate.abstractions", version)), "Navigate.Abstractions must be restored from the local feed");
        using (var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"))))
        {
            var library = assets.RootElement.GetProperty("libraries").GetProperty($"Navigate.Abstractions/{version}");
            Assert.Equal("package", library.GetProperty("type").GetString());
        }

        var output = Path.Combine(project, "bin", "Release", "net10.0");
        var files = Directory.GetFiles(output).Select(Path.GetFileName).ToArray();
        Assert.Contains("Navigate.Plugins.OmeTiff.dll", files);
        Assert.Contains("Navigate.Plugins.OmeTiff.deps.json", files);
        Assert.Contains("BitMiracle.LibTiff.NET.dll", files);
        Assert.DoesNotContain("Navigate.Abstractions.dll", files); // the host shares its own

        // 4. The host loads what the author built.
        var manifest = Path.Combine(author, "plugins.json");
        File.WriteAllText(manifest, HostLoadingTests.Manifest("Navigate.Plugins.OmeTiff/bin/Release/net10.0/Navigate.Plugins.OmeTiff.dll"));
        using var provider = new ServiceCollection().AddNavigate(o => o.PluginsFile = manifest).BuildServiceProvider();
        var record = Assert.Single(provider.GetRequiredService<PluginCatalog>().Plugins);
        Assert.True(record.Status == PluginStatus.Loaded, $"{record.Status}: {record.Reason}");
        Assert.Equal("0.1.0", record.Version);
        Assert.Equal("ome-tiff", provider.GetRequiredService<FormatCatalog>().Get("tiff").Name);
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void Run(string workingDirectory, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args.Concat(["-nodeReuse:false", "-v:q", "-nologo"]))
        {
            start.ArgumentList.Add(a);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer the child build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish in 3 minutes.");
        }

        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }
}
