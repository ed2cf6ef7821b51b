using System.Globalization;
using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Core;

/// <summary>
/// One <c>mmcorej.Metadata</c> object, reused for every frame of a sequence (<c>popNextImageMD</c> refills it), and
/// the two tags the camera needs: <c>ImageNumber</c> (the core's running count of frames the camera inserted into
/// the circular buffer, from 0 at the start of the sequence: a gap means frames were lost) and
/// <c>ElapsedTime-ms</c>. Reading a tag allocates nothing in .NET.
/// </summary>
internal sealed class ImageTags : IDisposable
{
    private const string ImageNumberTag = "ImageNumber";
    private const string ElapsedTimeTag = "ElapsedTime-ms";
    private readonly JavaVirtualMachine _jvm;
    private readonly MmCoreBindings _b;
    private readonly nint _imageNumberKey;
    private readonly nint _elapsedKey;
    private nint _metadata;

    /// <summary>Creates the Metadata object and the tag keys.</summary>
    public ImageTags(MmCore core)
    {
        _jvm = core.Jvm;
        _b = core.Bindings;
        var env = _jvm.Env;
        using var md = new LocalRef(env, env.NewObject(_b.Metadata.Handle, _b.MetadataConstructor));
        using var k1 = new LocalRef(env, env.NewString(ImageNumberTag));
        using var k2 = new LocalRef(env, env.NewString(ElapsedTimeTag));
        _metadata = env.NewGlobalRef(md.Handle);
        _imageNumberKey = env.NewGlobalRef(k1.Handle);
        _elapsedKey = env.NewGlobalRef(k2.Handle);
    }

    /// <summary>The Metadata object to pass to <c>popNextImageMD</c>.</summary>
    public nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_metadata == 0, this);
            return _metadata;
        }
    }

    /// <summary>True when the last popped frame carries an <c>ImageNumber</c> tag.</summary>
    public bool HasImageNumber() => Has(_imageNumberKey);

    /// <summary>True when the last popped frame carries an <c>ElapsedTime-ms</c> tag.</summary>
    public bool HasElapsedTime() => Has(_elapsedKey);

    /// <summary>The <c>ImageNumber</c> tag of the last popped frame; null when absent or not a number.</summary>
    public long? ImageNumber()
    {
        Span<char> text = stackalloc char[64];
        var n = Read(_imageNumberKey, text);
        return n >= 0 && long.TryParse(text[..n], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>The <c>ElapsedTime-ms</c> tag of the last popped frame; null when absent or not a number.</summary>
    public double? ElapsedMilliseconds()
    {
        Span<char> text = stackalloc char[64];
        var n = Read(_elapsedKey, text);
        return n >= 0 && double.TryParse(text[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private bool Has(nint key) => _jvm.Env.CallBoolean(Handle, _b.MetadataHasTag, [JValue.Object(key)]);

    private int Read(nint key, Span<char> destination)
    {
        var env = _jvm.Env;
        using var tag = new LocalRef(env, env.CallObject(Handle, _b.MetadataGetSingleTag, [JValue.Object(key)]));
        using var value = new LocalRef(env, env.CallObject(tag.Handle, _b.SingleTagGetValue));
        return value.IsNull ? -1 : env.CopyString(value.Handle, destination);
    }

    /// <summary>Deletes the Metadata object and the references.</summary>
    public void Dispose()
    {
        var md = Interlocked.Exchange(ref _metadata, 0);
        if (md == 0)
        {
            return;
        }

        var env = _jvm.Env;
        try
        {
            env.CallVoid(md, _b.MetadataDelete);
        }
        finally
        {
            env.DeleteGlobalRef(md);
            env.DeleteGlobalRef(_imageNumberKey);
            env.DeleteGlobalRef(_elapsedKey);
        }
    }
}
