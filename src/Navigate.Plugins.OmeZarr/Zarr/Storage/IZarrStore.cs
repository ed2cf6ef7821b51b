namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A key-value store holding a Zarr hierarchy: metadata documents and chunks by key (<c>"image/0/.zarray"</c>,
/// <c>"image/0/3.1.0"</c>). Implementations validate every key with <see cref="ZarrKey.Validate"/> and are safe to use
/// from several threads at once for different keys.
/// </summary>
/// <remarks>
/// Deliberately small so object stores (S3, HTTP) can follow the directory store. Pooled reads are an extension
/// (<see cref="ZarrStoreExtensions.TryGetPooled"/>) built on <see cref="TryGetSize"/> and <see cref="TryGet"/>.
/// </remarks>
public interface IZarrStore
{
    /// <summary>True when a value is stored under <paramref name="key"/>.</summary>
    /// <param name="key">A valid key.</param>
    bool Exists(string key);

    /// <summary>The length in bytes of the value under <paramref name="key"/>, or false if there is none.</summary>
    /// <param name="key">A valid key.</param>
    /// <param name="size">The value's length.</param>
    bool TryGetSize(string key, out long size);

    /// <summary>
    /// Reads the whole value under <paramref name="key"/> into <paramref name="destination"/>. Returns false if there is
    /// no value; throws <see cref="ZarrChunkException"/> if the value is longer than <paramref name="destination"/>.
    /// </summary>
    /// <param name="key">A valid key.</param>
    /// <param name="destination">Where the bytes go; must be at least as long as the value.</param>
    /// <param name="bytesRead">How many bytes the value has.</param>
    bool TryGet(string key, Span<byte> destination, out int bytesRead);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any previous value atomically: a reader
    /// (or a crash) sees either the old value or the new one, never a part.
    /// </summary>
    /// <param name="key">A valid key.</param>
    /// <param name="value">The bytes to store.</param>
    void Set(string key, ReadOnlySpan<byte> value);

    /// <summary>Removes the value under <paramref name="key"/>; returns false if there was none.</summary>
    /// <param name="key">A valid key.</param>
    bool Delete(string key);

    /// <summary>
    /// Every key below <paramref name="prefix"/> (a node path such as <c>"image/0"</c>, or empty for the whole store), in
    /// ordinal order, as full keys.
    /// </summary>
    /// <param name="prefix">A node path; empty for all keys.</param>
    IEnumerable<string> List(string prefix = "");
}
