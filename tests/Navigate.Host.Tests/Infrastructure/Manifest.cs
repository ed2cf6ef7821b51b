using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Host.Tests.Infrastructure;

/// <summary>Builds plugins.json documents for tests.</summary>
internal static class Manifest
{
    public static string Of(params object[] entries)
        => new JsonObject { ["plugins"] = JsonSerializer.SerializeToNode(entries) }.ToJsonString();

    public static object Entry(string name, string path, bool enabled = true, string? sha256 = null, object? settings = null)
        => sha256 is null
            ? new { name, path, enabled, settings }
            : new { name, path, enabled, sha256, settings };
}
