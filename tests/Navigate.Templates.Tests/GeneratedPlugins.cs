using System.Text.Json;
using System.Text.RegularExpressions;
using Navigate.Templates.Tests.Infrastructure;

namespace Navigate.Templates.Tests;

/// <summary>
/// An outside author's machine, set up once for every test of the collection: Navigate.Abstractions packed into a
/// local feed, the template package installed into a private template hive, both templates instantiated into a temporary
/// folder outside this repository (no Directory.Build.props of ours above them), and each generated solution built and
/// tested with `dotnet test`, exactly as generated.
/// </summary>
/// <remarks>
/// Restores read the machine's package folder as a read-only fallback and extract into a package folder of their own,
/// so Navigate.Abstractions always comes from this run's feed (never from a stale copy in the machine's cache) and
/// nothing is added to the machine's cache. The ProjectReference variant lives outside that NuGet.Config on purpose:
/// restoring it also restores this repository's Navigate.Abstractions project, which must keep its usual settings.
/// </remarks>
public sealed partial class GeneratedPlugins : IAsyncLifetime
{
    public const string DeviceName = "lab-sim";
    public const string StageOnlyName = "lab-stage";
    public const string FormatName = "lab-planes";

    public string Root { get; } = Directory.CreateTempSubdirectory("navigate-templates-").FullName;

    /// <summary>The folder under the test NuGet.Config, where the package-route projects are generated.</summary>
    public string Work => Path.Combine(Root, "work");

    public string Feed => Path.Combine(Root, "feed");

    public string Hive => Path.Combine(Root, "hive");

    /// <summary>navigate-device, camera and stage, against the package from the feed.</summary>
    public string Device => Path.Combine(Work, "Lab.Sim");

    /// <summary>navigate-format against the package from the feed.</summary>
    public string Format => Path.Combine(Work, "Lab.Planes");

    /// <summary>navigate-device, stage only, against this repository's Navigate.Abstractions project.</summary>
    public string StageOnly => Path.Combine(Root, "projectref", "Lab.Stage");

    /// <summary>Every generated plugin and the repository's synthetic camera, in one plugins.json at <see cref="Root"/>.</summary>
    public string Manifest => Path.Combine(Root, "plugins.json");

    public string DeviceDll => Path.Combine(Device, "src", "Lab.Sim", "bin", "Debug", "net10.0", "Lab.Sim.dll");

    public string FormatDll => Path.Combine(Format, "src", "Lab.Planes", "bin", "Debug", "net10.0", "Lab.Planes.dll");

    public string StageOnlyDll => Path.Combine(StageOnly, "src", "Lab.Stage", "bin", "Debug", "net10.0", "Lab.Stage.dll");

    /// <summary>`dotnet test` of every generated project.</summary>
    public ProcessResult? TestRun { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Work);

        // The package feed an author would get Navigate.Abstractions from (already built by this solution's build).
        await Dotnet.RunCheckedAsync(Root, ["pack", RepoPaths.AbstractionsProject, "-c", RepoPaths.Configuration, "--no-build", "-o", Feed, $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/"], ct);
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(Work, "NuGet.Config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <fallbackPackageFolders><add key="machine" value="{machinePackages}" /></fallbackPackageFolders>
            </configuration>
            """, ct);

        // The template package, installed as a user would, into a hive of its own.
        await Dotnet.RunCheckedAsync(Root, ["new", "install", RepoPaths.TemplatesPackage, "--debug:custom-hive", Hive], ct);
        await New(["navigate-device", "-n", "Lab.Sim", "-o", Device, "--device-name", DeviceName, "--feed", Feed], ct);
        await New(["navigate-format", "-n", "Lab.Planes", "-o", Format, "--format-name", FormatName, "--feed", Feed], ct);
        await New(["navigate-device", "-n", "Lab.Stage", "-o", StageOnly, "--device-name", StageOnlyName, "--kind", "stage", "--abstractions-path", RepoPaths.AbstractionsProject], ct);

        // Build and test the generated projects, as generated, in one MSBuild run (restore settings are still per
        // project: the two under Work use its NuGet.Config). NuGetAudit is off only because CI's package mirror does
        // not serve vulnerability data; the generated projects keep it on.
        var solution = Path.Combine(Root, "generated.slnx");
        var projects = new[] { Device, Format, StageOnly }.SelectMany(folder => Directory.GetFiles(folder, "*.csproj", SearchOption.AllDirectories));
        await File.WriteAllTextAsync(solution, $"<Solution>\n{string.Concat(projects.Select(p => $"  <Project Path=\"{p}\" />\n"))}</Solution>\n", ct);
        TestRun = await Dotnet.RunAsync(Root, ["test", solution, "-p:NuGetAudit=false", "-nodeReuse:false", "--verbosity", "minimal"], ct);

        var synthetic = Path.Combine(Root, "plugins", "synthetic");
        Directory.CreateDirectory(synthetic);
        foreach (var file in Directory.GetFiles(RepoPaths.SyntheticPlugin))
        {
            File.Copy(file, Path.Combine(synthetic, Path.GetFileName(file)));
        }

        var manifest = new
        {
            plugins = new object[]
            {
                new { name = "lab-sim", path = Path.GetRelativePath(Root, DeviceDll) },
                new { name = "lab-planes", path = Path.GetRelativePath(Root, FormatDll) },
                new { name = "lab-stage", path = Path.GetRelativePath(Root, StageOnlyDll), settings = new { limits = new { z = new[] { 0, 500 } } } },
                new { name = "synthetic", path = "plugins/synthetic/Navigate.Plugins.Synthetic.dll", settings = new { seed = 3 } },
            },
        };
        await File.WriteAllTextAsync(Manifest, JsonSerializer.Serialize(manifest), ct);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A plugin loaded by a test may still be mapped; the OS cleans its temp folder.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the `navigate` CLI as built.</summary>
    public Task<ProcessResult> Navigate(params string[] args)
        => Dotnet.RunAsync(Root, [RepoPaths.Host, .. args], TestContext.Current.CancellationToken);

    /// <summary>Tests passed by the test assembly <paramref name="assembly"/> in a `dotnet test` output; 0 when its summary is missing or reports failures.</summary>
    public static int PassedTests(ProcessResult run, string assembly)
    {
        var summary = PassedSummary().Matches(run.Output).SingleOrDefault(m => m.Groups[2].Value == assembly);
        return summary is null ? 0 : int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<ProcessResult> New(string[] args, CancellationToken ct)
        => Dotnet.RunCheckedAsync(Root, ["new", .. args, "--no-update-check", "--debug:custom-hive", Hive], ct);

    [GeneratedRegex(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+(\d+),.* - (\S+\.dll) \(")]
    private static partial Regex PassedSummary();
}
