using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Navigate.Devices;

namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// The exceptions of the data source's per-frame path, built out of line so the checks in
/// <see cref="OmeZarrDataSource.Write(ReadOnlySpan{byte}, StagePosition?)"/> stay small enough to inline.
/// </summary>
internal static class OmeZarrThrowHelper
{
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowReadOnly(string path) =>
        throw new InvalidOperationException($"{path} is open for reading.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowClosed(string path) =>
        throw new InvalidOperationException($"{path} is closed.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowComplete(string path, long frames) =>
        throw new InvalidOperationException($"{path}: the dataset is complete; it holds all {frames} frames.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowFrameSize(string path, int width, int height, PixelType type, long expected, int actual, string paramName) =>
        throw new ArgumentException($"{path}: a {width}×{height} {type} frame has {expected} bytes; got {actual}.", paramName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowWriteFailed(string path, Exception failure) =>
        throw new IOException($"{path}: writing a chunk failed, so the dataset stops accepting frames: {failure.Message}", failure);
}
