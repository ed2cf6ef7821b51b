using System.Text.Json;
using Json.Schema;
using Navigate.Host.Acquisition;
using Navigate.Host.Cli;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Acquisition;

public sealed class AcquisitionSummarySchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(TestPaths.RepoRoot, "docs", "acquire-summary.schema.json"));

    private static AcquisitionSummary Summary(params long[] dropped) => new()
    {
        Output = "/data/a.ome.zarr",
        Format = "ome-zarr",
        Camera = "synthetic",
        Width = 64,
        Height = 32,
        FramesExpected = 10,
        FramesWritten = 10 - dropped.Length,
        FramesDropped = dropped.Length,
        DroppedFrames = dropped,
        Interrupted = false,
        BytesWritten = 4096 * (10 - dropped.Length),
        BytesOnDisk = 1000,
        Seconds = 0.5,
        CompressionRatio = 2.5,
        CpuSeconds = 0.2,
        PeakMemoryBytes = 1 << 20,
        Files = 12,
    };

    private static bool Valid(string json) => Schema.Evaluate(JsonDocument.Parse(json).RootElement).IsValid;

    [Fact]
    public void TheJsonTheCliPrintsFollowsTheSchema()
    {
        Assert.True(Valid(JsonSerializer.Serialize(Summary(), CliJson.Options)));
        Assert.True(Valid(JsonSerializer.Serialize(Summary(3, 7), CliJson.Options)));
    }

    [Fact]
    public void TheSchemaCatchesAMissingOrRenamedField()
    {
        var json = JsonSerializer.Serialize(Summary(), CliJson.Options).Replace("\"framesDropped\"", "\"dropped\"", StringComparison.Ordinal);
        Assert.False(Valid(json));
    }
}
