using System.Text.Json;
using Json.Schema;
using Navigate.Host.Tests.Infrastructure;

namespace Navigate.Host.Tests.Plugins;

/// <summary>docs/plugins.schema.json describes what the reader accepts, and the repository's plugins.json follows it.</summary>
public sealed class PluginsSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(TestPaths.RepoRoot, "docs", "plugins.schema.json"));

    private static EvaluationResults Evaluate(string json)
        => Schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    [Fact]
    public void TheRepositoryPluginsJsonIsValid()
    {
        var results = Evaluate(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "plugins.json")));
        Assert.True(results.IsValid, JsonSerializer.Serialize(results));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"plugins\": [{\"name\": \"a\"}]}")]
    [InlineData("{\"plugins\": [{\"name\": \"a\", \"path\": \"x\", \"sha256\": \"abc\"}]}")]
    [InlineData("{\"plugins\": [{\"name\": \"a\", \"path\": \"x\", \"enabled\": \"yes\"}]}")]
    public void WhatTheReaderRejectsTheSchemaRejects(string json) => Assert.False(Evaluate(json).IsValid);
}
