using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Navigate.Plugins.OmeZarr.Tests.TestSupport;

/// <summary>
/// The OME-NGFF 0.4 JSON schemas from shared/reference, built once with JsonSchema.Net into a private registry so the
/// strict schemas' <c>$ref</c>s to <c>image.schema</c> resolve without any download.
/// </summary>
internal static class NgffSchemas
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(() => Build(SharedReference.NgffSchemas));
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas05 = new(() => Build(SharedReference.Ngff05Schemas));

    public static JsonSchema Get(string fileName) => Schemas.Value[fileName];

    /// <summary>Validates <paramref name="document"/> against <paramref name="fileName"/>; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> Errors(string fileName, JsonElement document) => Errors(Get(fileName), document);

    /// <summary>Validates Zarr v3 attributes against an OME-NGFF 0.5 schema; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> Errors05(string fileName, JsonNode document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return Errors(Schemas05.Value[fileName], parsed.RootElement.Clone());
    }

    private static IReadOnlyList<string> Errors(JsonSchema schema, JsonElement document)
    {
        var results = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                errors.Add($"{detail.InstanceLocation} ({keyword}): {message}");
            }
        }

        return errors.Count > 0 ? errors : ["invalid (no details)"];
    }

    public static IReadOnlyList<string> Errors(string fileName, JsonNode document)
    {
        using var parsed = JsonDocument.Parse(document.ToJsonString());
        return Errors(fileName, parsed.RootElement.Clone());
    }

    private static Dictionary<string, JsonSchema> Build(string folder)
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var result = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        // Plain schemas first: the strict ones reference them by $id.
        var files = Directory.GetFiles(folder, "*.schema")
            .OrderBy(f => System.IO.Path.GetFileName(f).StartsWith("strict_", StringComparison.Ordinal))
            .ThenBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            result[System.IO.Path.GetFileName(file)] = JsonSchema.FromText(File.ReadAllText(file), options);
        }

        return result;
    }
}
