namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>
/// A Java class held by a global reference, so it (and the method ids looked up from it) stay valid on every thread
/// until disposed.
/// </summary>
internal sealed class JavaClass : IDisposable
{
    private readonly JavaVirtualMachine _jvm;
    private nint _handle;

    /// <summary>Finds <paramref name="jniName"/> (e.g. <c>mmcorej/CMMCore</c>) with the system class loader.</summary>
    /// <exception cref="JavaException">The class cannot be found or initialised.</exception>
    public JavaClass(JavaVirtualMachine jvm, string jniName)
    {
        _jvm = jvm;
        Name = jniName.Replace('/', '.');
        var env = jvm.Env;
        var local = env.FindClass(jniName);
        _handle = env.NewGlobalRef(local);
        env.DeleteLocalRef(local);
    }

    /// <summary>The class name with dots, e.g. <c>mmcorej.CMMCore</c>.</summary>
    public string Name { get; }

    /// <summary>The global reference.</summary>
    public nint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            return _handle;
        }
    }

    /// <summary>Looks up an instance method.</summary>
    public JavaMethod Method(string name, string signature) => _jvm.Env.GetMethod(Handle, Name, name, signature);

    /// <summary>Looks up a static method.</summary>
    public JavaMethod StaticMethod(string name, string signature) => _jvm.Env.GetStaticMethod(Handle, Name, name, signature);

    /// <summary>Looks up a constructor.</summary>
    public JavaMethod Constructor(string signature) => _jvm.Env.GetMethod(Handle, Name, "<init>", signature);

    /// <summary>Deletes the global reference.</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0)
        {
            _jvm.Env.DeleteGlobalRef(handle);
        }
    }
}
