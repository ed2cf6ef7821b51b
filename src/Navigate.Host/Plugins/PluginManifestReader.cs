using System.Text.Json;

namespace Navigate.Host.Plugins;

/// <summary>
/// Reads plugins.json: <c>{ "plugins": [ { "name", "path", "enabled", "sha256"?, "settings"? } ] }</c>.
/// A file that is not such a document is an error; a malformed entry only marks that entry (the others still load).
/// </summary>
public static class PluginManifestReader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="PluginManifestException">The file is missing or is not a plugins document; the message names the file and the place.</exception>
    public static PluginManifest Read(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PluginManifestException($"{fullPath}: cannot read the plugins file: {e.Message}", e);
        }

        return Parse(text, fullPath);
    }

    /// <summary>Parses plugins.json text that was read from <paramref name="fullPath"/>.</summary>
    public static PluginManifest Parse(string text, string fullPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            throw new PluginManifestException($"{fullPath}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("plugins", out var plugins) || plugins.ValueKind != JsonValueKind.Array)
            {
                throw new PluginManifestException($"{fullPath}: expected an object with a \"plugins\" array; found {Describe(root)}.");
            }

            var entries = new List<PluginEntry>();
            var index = 0;
            foreach (var item in plugins.EnumerateArray())
            {
                entries.Add(ReadEntry(item, index++));
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Problem is null && !seen.Add(entries[i].Name))
                {
                    entries[i] = entries[i] with { Problem = $"plugins[{i}]: the name '{entries[i].Name}' is used by an earlier entry." };
                }
            }

            return new PluginManifest(fullPath, entries);
        }
    }

    private static PluginEntry ReadEntry(JsonElement item, int index)
    {
        var at = $"plugins[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Bad($"{at}: expected an object; found {Describe(item)}.");
        }

        var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return Bad($"{at}: \"name\" must be a non-empty string.");
        }

        var path = item.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : null;
        if (string.IsNullOrWhiteSpace(path))
        {
            return Bad($"{at} ('{name}'): \"path\" must be a non-empty string.", name);
        }

        var enabled = true;
        if (item.TryGetProperty("enabled", out var e))
        {
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Bad($"{at} ('{name}'): \"enabled\" must be true or false; found {Describe(e)}.", name, path);
            }

            enabled = e.GetBoolean();
        }

        string? sha = null;
        if (item.TryGetProperty("sha256", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            sha = s.ValueKind == JsonValueKind.String ? s.GetString()!.Trim() : null;
            if (sha is null || sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            {
                return Bad($"{at} ('{name}'): \"sha256\" must be 64 hexadecimal digits; found {Describe(s)}.", name, path);
            }
        }

        var settings = default(JsonElement);
        if (item.TryGetProperty("settings", out var st) && st.ValueKind != JsonValueKind.Null)
        {
            if (st.ValueKind != JsonValueKind.Object)
            {
                return Bad($"{at} ('{name}'): \"settings\" must be an object; found {Describe(st)}.", name, path);
            }

            settings = st.Clone();
        }

        return new PluginEntry(name, path, enabled, sha, settings);

        static PluginEntry Bad(string problem, string? name = null, string? path = null)
            => new(name ?? problem, path ?? string.Empty, true, null, default, problem);
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
