using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Hosting;

public sealed class EmbeddingExampleTests
{
    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"markers {start} … {end} not found");
        return text[(from + start.Length)..to].Trim().ReplaceLineEndings("\n");
    }

    [Fact]
    public void TheDocumentedExampleIsTheTestedCode()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "embedding.md"));
        var code = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "Navigate.Host.Tests", "Hosting", "EmbeddingExample.cs"));
        Assert.Equal(Between(code, "// <embedding-example>", "// </embedding-example>"), Between(doc, "```csharp", "```"));
    }

    [Fact]
    public async Task TheDocumentedExampleGrabsEveryFrameInOrder()
    {
        var sum = await MyLab.Microscope.EmbeddedAcquisition.GrabAsync(Path.Combine(TestPaths.RepoRoot, "plugins.json"), 20, TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 20).Sum(), sum);
    }
}
