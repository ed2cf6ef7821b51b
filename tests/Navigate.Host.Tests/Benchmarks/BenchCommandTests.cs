using System.Text.Json;
using Navigate.Host.Benchmarks;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Benchmarks;

/// <summary>
/// <c>navigate bench</c> end to end on a few megabytes, as a child process through the repository's plugins.json: the
/// rows, their units and ratios and the build warnings. Not a timing test: no figure is compared with a goal here.
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private const int Side = 256;
    private const int Frames = 82; // round(0.01 GiB / (256 × 256 × 2 bytes))

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ASmallRunMeasuresEveryRowOnTheSameFramesWithRatiosToThePlainWrite()
    {
        using var navigate = NavigateProcess.Start("bench", "--plugins", Path.Combine(TestPaths.RepoRoot, "plugins.json"), "--out", _temp.Combine("bench"),
            "--gigabytes", "0.01", "--width", Side.ToString(System.Globalization.CultureInfo.InvariantCulture), "--height", Side.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--only", "none", "--json");
        var (exit, stdout) = await navigate.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exit == 0, navigate.Stderr);
        using var doc = JsonDocument.Parse(stdout);
        var report = doc.RootElement;
        Assert.Equal(Frames, report.GetProperty("frames").GetInt32());
        var rows = report.GetProperty("rows").EnumerateArray().ToArray();
        var names = rows.Select(r => r.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["plain file write + fsync", "navigate none", "navigate none +4-level pyramid"], names[..3]);

        var plainRate = rows[0].GetProperty("megabytesPerSecond").GetDouble();
        Assert.True(plainRate > 0);
        foreach (var row in rows.Where(r => Error(r) is null))
        {
            var name = row.GetProperty("name").GetString();
            Assert.Equal((long)Frames * Side * Side * 2, row.GetProperty("bytes").GetInt64());
            Assert.True(row.GetProperty("seconds").GetDouble() > 0, name);
            Assert.True(row.GetProperty("cpuSeconds").GetDouble() > 0, name);
            Assert.True(row.GetProperty("peakMemoryBytes").GetInt64() > 0, name);
            Assert.True(row.GetProperty("files").GetInt64() > 0, name);
            Assert.Equal(0, row.GetProperty("framesDropped").GetInt64());
            var expected = Math.Round(row.GetProperty("megabytesPerSecond").GetDouble() / plainRate, 3);
            Assert.Equal(expected, row.GetProperty("ratioToPlainWrite").GetDouble(), 3);
            var busy = Math.Round(row.GetProperty("cpuSeconds").GetDouble() / row.GetProperty("seconds").GetDouble() / Environment.ProcessorCount, 3);
            Assert.Equal(busy, row.GetProperty("coresBusy").GetDouble(), 3);
        }

        // Uncompressed: what is on disk is the frames plus a little metadata; the pyramid adds about a third.
        Assert.InRange(rows[1].GetProperty("compressionRatio").GetDouble(), 0.95, 1.0);
        Assert.InRange(rows[2].GetProperty("compressionRatio").GetDouble(), 0.70, 0.80);

        var python = rows.Where(r => r.GetProperty("name").GetString()!.StartsWith("zarr-python", StringComparison.Ordinal)).ToArray();
        if (ZarrPython.IsInstalled)
        {
            Assert.Equal(3, python.Length);
            Assert.All(python, r => Assert.Null(Error(r)));
        }
        else
        {
            Assert.Contains("python3-zarr", Error(Assert.Single(python)), StringComparison.Ordinal);
        }

        // The child runs this build of the host and the plugins built beside it: Debug here means Debug there.
        var warnings = report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        if (UnoptimizedBuildDetector.IsUnoptimized(typeof(BenchRunner).Assembly))
        {
            string[] who = ["the navigate host", .. EnabledPlugins().Select(p => $"plugin '{p}'")];
            Assert.Equal(who, warnings.Select(w => w[..w.IndexOf(" is a Debug build", StringComparison.Ordinal)]));
            Assert.Contains("bench: warning: the navigate host is a Debug build", navigate.Stderr, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(warnings);
        }
    }

    /// <summary>The row's error; the CLI's JSON leaves out null fields.</summary>
    private static string? Error(JsonElement row) => row.TryGetProperty("error", out var error) ? error.GetString() : null;

    private static IEnumerable<string> EnabledPlugins()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "plugins.json")));
        return doc.RootElement.GetProperty("plugins").EnumerateArray()
            .Where(p => p.GetProperty("enabled").GetBoolean())
            .Select(p => p.GetProperty("name").GetString()!)
            .ToArray();
    }
}
