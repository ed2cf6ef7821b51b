namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// The base of every error the Zarr engine raises about data it was given: a malformed key, metadata document or chunk.
/// Messages name the key (and the byte offset where that helps) and say what was expected and what was found.
/// </summary>
/// <remarks>
/// Catch this type to handle any bad-dataset error; the sealed subtypes say which part was wrong. Plain I/O failures
/// of the store (disk full, permission denied) stay <see cref="IOException"/>s, and misuse of the API by the caller
/// (a region outside the array, a buffer of the wrong size) stays an <see cref="ArgumentException"/>.
/// </remarks>
public abstract class ZarrFormatException : Exception
{
    private protected ZarrFormatException(string message, string? key, Exception? innerException = null)
        : base(message, innerException)
    {
        Key = key;
    }

    /// <summary>The store key the error is about (<c>"image/0/.zarray"</c>, <c>"image/0/0.1.2"</c>), if any.</summary>
    public string? Key { get; }
}

/// <summary>A key that is not a valid relative store key (<c>..</c>, absolute, empty segment, backslash...).</summary>
public sealed class InvalidZarrKeyException : ZarrFormatException
{
    internal InvalidZarrKeyException(string key, string reason)
        : base($"Invalid Zarr key '{key}': {reason}.", key)
    {
    }
}

/// <summary>A metadata document (<c>.zarray</c>, <c>.zgroup</c>, <c>.zattrs</c>, <c>.zmetadata</c>) that is malformed or unsupported.</summary>
public sealed class ZarrMetadataException : ZarrFormatException
{
    internal ZarrMetadataException(string message, string? key, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

/// <summary>An array or group that should exist but does not (no <c>.zarray</c> / <c>.zgroup</c> at the path).</summary>
public sealed class ZarrNodeNotFoundException : ZarrFormatException
{
    internal ZarrNodeNotFoundException(string message, string? key)
        : base(message, key)
    {
    }
}

/// <summary>An array or group that should not exist yet does (creating without overwrite).</summary>
public sealed class ZarrNodeExistsException : ZarrFormatException
{
    internal ZarrNodeExistsException(string message, string? key)
        : base(message, key)
    {
    }
}

/// <summary>
/// A compressor that is unknown or misconfigured, or compressed bytes that do not decode: corrupt or truncated frames,
/// offsets out of range, a decoded size other than the chunk size.
/// </summary>
public sealed class ZarrCodecException : ZarrFormatException
{
    internal ZarrCodecException(string message, string? key, Exception? innerException = null)
        : base(message, key, innerException)
    {
    }
}

/// <summary>A stored chunk that does not fit its array (an uncompressed chunk of the wrong length, a chunk too large to hold).</summary>
public sealed class ZarrChunkException : ZarrFormatException
{
    internal ZarrChunkException(string message, string? key)
        : base(message, key)
    {
    }
}
