namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// Store keys: relative, <c>/</c>-separated paths such as <c>"image/0/.zarray"</c>. Every store validates keys with
/// <see cref="Validate"/> so that no key can escape the store's root.
/// </summary>
public static class ZarrKey
{
    /// <summary>
    /// Throws <see cref="InvalidZarrKeyException"/> unless <paramref name="key"/> is a non-empty relative key: no leading
    /// <c>/</c>, no drive or scheme (<c>:</c>), no backslash, no empty, <c>.</c> or <c>..</c> segment, no control characters.
    /// </summary>
    /// <param name="key">The key to check.</param>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new InvalidZarrKeyException(key, "a key must not be empty");
        }

        if (key[0] == '/')
        {
            throw new InvalidZarrKeyException(key, "absolute keys are not allowed (it starts with '/')");
        }

        int segmentStart = 0;
        for (int i = 0; i <= key.Length; i++)
        {
            char c = i < key.Length ? key[i] : '/';
            if (c == '\\')
            {
                throw new InvalidZarrKeyException(key, $"backslash at offset {i} (keys use '/' as separator)");
            }

            if (c == ':')
            {
                throw new InvalidZarrKeyException(key, $"':' at offset {i} (drive letters and schemes are not allowed)");
            }

            if (char.IsControl(c))
            {
                throw new InvalidZarrKeyException(key, $"control character U+{(int)c:X4} at offset {i}");
            }

            if (c != '/')
            {
                continue;
            }

            int length = i - segmentStart;
            if (length == 0)
            {
                throw new InvalidZarrKeyException(key, $"empty path segment at offset {i}");
            }

            if (length == 1 && key[segmentStart] == '.')
            {
                throw new InvalidZarrKeyException(key, $"'.' segment at offset {segmentStart}");
            }

            if (length == 2 && key[segmentStart] == '.' && key[segmentStart + 1] == '.')
            {
                throw new InvalidZarrKeyException(key, $"'..' segment at offset {segmentStart} would leave the store");
            }

            segmentStart = i + 1;
        }
    }

    /// <summary>Validates a prefix (a node path): empty means the root, otherwise the same rules as <see cref="Validate"/>.</summary>
    /// <param name="prefix">The node path, without a trailing <c>/</c>.</param>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length != 0)
        {
            Validate(prefix);
        }
    }

    /// <summary>Joins a node path (may be empty: the root) and a relative name with <c>/</c>.</summary>
    /// <param name="path">The node path, empty for the root.</param>
    /// <param name="name">The name below it.</param>
    public static string Join(string path, string name) => path.Length == 0 ? name : string.Concat(path, "/", name);

    /// <summary>Normalizes a user-given node path: trims leading and trailing <c>/</c>, then validates it.</summary>
    /// <param name="path">A node path such as <c>"/image/0/"</c> or <c>""</c>.</param>
    public static string NormalizePath(string? path)
    {
        string p = (path ?? string.Empty).Trim('/');
        ValidatePrefix(p);
        return p;
    }
}
