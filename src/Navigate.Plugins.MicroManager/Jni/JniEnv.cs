using System.Runtime.CompilerServices;
using System.Text;

namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>
/// A thread's <c>JNIEnv*</c> with typed calls through its function table. Valid only on the thread it was obtained
/// on (<see cref="JavaVirtualMachine.Env"/>). Every call that can run Java code checks for a pending Java exception
/// and turns it into a <see cref="JavaException"/>, so no exception is ever left pending for the next call.
/// </summary>
/// <remarks>
/// References returned by calls are JNI local references: they live until deleted, and on a native thread attached
/// to the JVM "until deleted" means forever. Callers wrap them in <see cref="LocalRef"/> (or a local frame).
/// </remarks>
internal readonly unsafe struct JniEnv
{
    private readonly nint _env;

    /// <summary>Wraps a <c>JNIEnv*</c>.</summary>
    public JniEnv(nint env)
    {
        _env = env;
    }

    /// <summary>The raw <c>JNIEnv*</c>.</summary>
    public nint Handle => _env;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private nint Fn(int slot) => (*(nint**)_env)[slot];

    /// <summary>The JNI version the JVM implements, e.g. 0x00150000 for Java 21.</summary>
    public int GetVersion() => ((delegate* unmanaged<nint, int>)Fn(JniEnvSlot.GetVersion))(_env);

    // ---- classes, references, frames ----

    /// <summary>Finds a class by its JNI name (<c>mmcorej/CMMCore</c>, <c>[S</c>); returns a local reference.</summary>
    /// <exception cref="JavaException">The class cannot be found or loaded (<c>java.lang.NoClassDefFoundError</c>, ...).</exception>
    public nint FindClass(string jniName)
    {
        Span<byte> name = stackalloc byte[Encoding.UTF8.GetMaxByteCount(jniName.Length) + 1];
        name[Encoding.UTF8.GetBytes(jniName, name)] = 0;
        nint cls;
        fixed (byte* p = name)
        {
            cls = ((delegate* unmanaged<nint, byte*, nint>)Fn(JniEnvSlot.FindClass))(_env, p);
        }

        ThrowIfPending($"FindClass({jniName})");
        return cls;
    }

    /// <summary>Makes a global reference (valid on every thread until <see cref="DeleteGlobalRef"/>).</summary>
    public nint NewGlobalRef(nint reference)
        => ((delegate* unmanaged<nint, nint, nint>)Fn(JniEnvSlot.NewGlobalRef))(_env, reference);

    /// <summary>Deletes a global reference.</summary>
    public void DeleteGlobalRef(nint reference)
    {
        if (reference != 0)
        {
            ((delegate* unmanaged<nint, nint, void>)Fn(JniEnvSlot.DeleteGlobalRef))(_env, reference);
        }
    }

    /// <summary>Deletes a local reference.</summary>
    public void DeleteLocalRef(nint reference)
    {
        if (reference != 0)
        {
            ((delegate* unmanaged<nint, nint, void>)Fn(JniEnvSlot.DeleteLocalRef))(_env, reference);
        }
    }

    /// <summary>Opens a frame that collects the local references created until <see cref="PopLocalFrame"/>.</summary>
    public void PushLocalFrame(int capacity)
    {
        var rc = ((delegate* unmanaged<nint, int, int>)Fn(JniEnvSlot.PushLocalFrame))(_env, capacity);
        ThrowIfPending("PushLocalFrame");
        if (rc != JniConstants.Ok)
        {
            throw new JvmStartException($"PushLocalFrame({capacity}) failed: {JniConstants.Describe(rc)}.");
        }
    }

    /// <summary>Closes the innermost local frame, freeing its references; <paramref name="keep"/> survives as a new local reference.</summary>
    public nint PopLocalFrame(nint keep = 0)
        => ((delegate* unmanaged<nint, nint, nint>)Fn(JniEnvSlot.PopLocalFrame))(_env, keep);

    /// <summary>True when both references point to the same Java object (or are both null).</summary>
    public bool IsSameObject(nint a, nint b)
        => ((delegate* unmanaged<nint, nint, nint, byte>)Fn(JniEnvSlot.IsSameObject))(_env, a, b) != 0;

    /// <summary>The class of an object, as a local reference.</summary>
    public nint GetObjectClass(nint obj)
        => ((delegate* unmanaged<nint, nint, nint>)Fn(JniEnvSlot.GetObjectClass))(_env, obj);

    /// <summary>True when <paramref name="obj"/> is an instance of <paramref name="cls"/> (a null object is an instance of every class).</summary>
    public bool IsInstanceOf(nint obj, nint cls)
        => ((delegate* unmanaged<nint, nint, nint, byte>)Fn(JniEnvSlot.IsInstanceOf))(_env, obj, cls) != 0;

    // ---- methods ----

    /// <summary>Looks up an instance method (or a constructor, named <c>&lt;init&gt;</c>).</summary>
    /// <exception cref="JavaException">No such method (<c>java.lang.NoSuchMethodError</c>).</exception>
    public JavaMethod GetMethod(nint cls, string className, string name, string signature)
        => LookUpMethod(JniEnvSlot.GetMethodID, cls, className, name, signature, isStatic: false);

    /// <summary>Looks up a static method.</summary>
    /// <exception cref="JavaException">No such method (<c>java.lang.NoSuchMethodError</c>).</exception>
    public JavaMethod GetStaticMethod(nint cls, string className, string name, string signature)
        => LookUpMethod(JniEnvSlot.GetStaticMethodID, cls, className, name, signature, isStatic: true);

    private JavaMethod LookUpMethod(int slot, nint cls, string className, string name, string signature, bool isStatic)
    {
        var display = $"{className}.{name}{signature}";
        Span<byte> n = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length) + 1];
        n[Encoding.UTF8.GetBytes(name, n)] = 0;
        var sigBytes = new byte[Encoding.UTF8.GetByteCount(signature) + 1];
        Encoding.UTF8.GetBytes(signature, sigBytes);
        nint id;
        fixed (byte* pn = n)
        fixed (byte* ps = sigBytes)
        {
            id = ((delegate* unmanaged<nint, nint, byte*, byte*, nint>)Fn(slot))(_env, cls, pn, ps);
        }

        ThrowIfPending(isStatic ? $"GetStaticMethodID({display})" : $"GetMethodID({display})");
        return new JavaMethod(id, display, isStatic);
    }

    /// <summary>Creates an object with constructor <paramref name="constructor"/>; returns a local reference.</summary>
    public nint NewObject(nint cls, JavaMethod constructor, ReadOnlySpan<JValue> args = default)
    {
        nint obj;
        fixed (JValue* a = args)
        {
            obj = ((delegate* unmanaged<nint, nint, nint, JValue*, nint>)Fn(JniEnvSlot.NewObjectA))(_env, cls, constructor.Id, a);
        }

        ThrowIfPending(constructor.Display);
        return obj;
    }

    /// <summary>Calls an instance method returning an object; returns a local reference (0 for null).</summary>
    public nint CallObject(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        nint result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, nint>)Fn(JniEnvSlot.CallObjectMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls an instance method returning <c>boolean</c>.</summary>
    public bool CallBoolean(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        byte result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, byte>)Fn(JniEnvSlot.CallBooleanMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result != 0;
    }

    /// <summary>Calls an instance method returning <c>int</c>.</summary>
    public int CallInt(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        int result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, int>)Fn(JniEnvSlot.CallIntMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls an instance method returning <c>long</c>.</summary>
    public long CallLong(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        long result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, long>)Fn(JniEnvSlot.CallLongMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls an instance method returning <c>double</c>.</summary>
    public double CallDouble(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        double result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, double>)Fn(JniEnvSlot.CallDoubleMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls an instance method returning <c>void</c>.</summary>
    public void CallVoid(nint obj, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        fixed (JValue* a = args)
        {
            ((delegate* unmanaged<nint, nint, nint, JValue*, void>)Fn(JniEnvSlot.CallVoidMethodA))(_env, obj, method.Id, a);
        }

        ThrowIfPending(method.Display);
    }

    /// <summary>Calls a static method returning an object; returns a local reference (0 for null).</summary>
    public nint CallStaticObject(nint cls, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        nint result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, nint>)Fn(JniEnvSlot.CallStaticObjectMethodA))(_env, cls, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls a static method returning <c>int</c>.</summary>
    public int CallStaticInt(nint cls, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        int result;
        fixed (JValue* a = args)
        {
            result = ((delegate* unmanaged<nint, nint, nint, JValue*, int>)Fn(JniEnvSlot.CallStaticIntMethodA))(_env, cls, method.Id, a);
        }

        ThrowIfPending(method.Display);
        return result;
    }

    /// <summary>Calls a static method returning <c>void</c>.</summary>
    public void CallStaticVoid(nint cls, JavaMethod method, ReadOnlySpan<JValue> args = default)
    {
        fixed (JValue* a = args)
        {
            ((delegate* unmanaged<nint, nint, nint, JValue*, void>)Fn(JniEnvSlot.CallStaticVoidMethodA))(_env, cls, method.Id, a);
        }

        ThrowIfPending(method.Display);
    }

    // ---- strings ----

    /// <summary>Makes a Java string from UTF-16 text (no modified-UTF-8 round trip); returns a local reference.</summary>
    public nint NewString(ReadOnlySpan<char> text)
    {
        nint s;
        fixed (char* p = text)
        {
            s = ((delegate* unmanaged<nint, char*, int, nint>)Fn(JniEnvSlot.NewString))(_env, p, text.Length);
        }

        ThrowIfPending("NewString");
        return s;
    }

    /// <summary>The length of a Java string in UTF-16 code units.</summary>
    public int GetStringLength(nint str)
        => ((delegate* unmanaged<nint, nint, int>)Fn(JniEnvSlot.GetStringLength))(_env, str);

    /// <summary>Copies a Java string into a .NET string; null for a null reference.</summary>
    public string? GetString(nint str)
    {
        if (str == 0)
        {
            return null;
        }

        var length = GetStringLength(str);
        if (length == 0)
        {
            return string.Empty;
        }

        return string.Create(length, (_env, str), static (span, state) =>
        {
            fixed (char* p = span)
            {
                ((delegate* unmanaged<nint, nint, int, int, char*, void>)(*(nint**)state._env)[JniEnvSlot.GetStringRegion])(state._env, state.str, 0, span.Length, p);
            }
        });
    }

    /// <summary>
    /// Copies a Java string into <paramref name="destination"/> without allocating; returns its length, or -1 when
    /// it does not fit.
    /// </summary>
    public int CopyString(nint str, Span<char> destination)
    {
        var length = GetStringLength(str);
        if (length > destination.Length)
        {
            return -1;
        }

        fixed (char* p = destination)
        {
            ((delegate* unmanaged<nint, nint, int, int, char*, void>)Fn(JniEnvSlot.GetStringRegion))(_env, str, 0, length, p);
        }

        return length;
    }

    // ---- arrays ----

    /// <summary>The length of a Java array.</summary>
    public int GetArrayLength(nint array)
        => ((delegate* unmanaged<nint, nint, int>)Fn(JniEnvSlot.GetArrayLength))(_env, array);

    /// <summary>Makes a Java <c>int[]</c>; returns a local reference.</summary>
    public nint NewIntArray(int length)
    {
        var a = ((delegate* unmanaged<nint, int, nint>)Fn(JniEnvSlot.NewIntArray))(_env, length);
        ThrowIfPending("NewIntArray");
        return a;
    }

    /// <summary>Makes a Java <c>short[]</c> filled from <paramref name="values"/>; returns a local reference.</summary>
    public nint NewShortArray(ReadOnlySpan<short> values)
    {
        var a = ((delegate* unmanaged<nint, int, nint>)Fn(JniEnvSlot.NewShortArray))(_env, values.Length);
        ThrowIfPending("NewShortArray");
        fixed (short* p = values)
        {
            ((delegate* unmanaged<nint, nint, int, int, short*, void>)Fn(JniEnvSlot.SetShortArrayRegion))(_env, a, 0, values.Length, p);
        }

        return a;
    }

    /// <summary>Makes a Java <c>byte[]</c> filled from <paramref name="values"/>; returns a local reference.</summary>
    public nint NewByteArray(ReadOnlySpan<byte> values)
    {
        var a = ((delegate* unmanaged<nint, int, nint>)Fn(JniEnvSlot.NewByteArray))(_env, values.Length);
        ThrowIfPending("NewByteArray");
        fixed (byte* p = values)
        {
            ((delegate* unmanaged<nint, nint, int, int, byte*, void>)Fn(JniEnvSlot.SetByteArrayRegion))(_env, a, 0, values.Length, p);
        }

        return a;
    }

    /// <summary>Reads element <paramref name="index"/> of an object array; returns a local reference.</summary>
    public nint GetObjectArrayElement(nint array, int index)
    {
        var e = ((delegate* unmanaged<nint, nint, int, nint>)Fn(JniEnvSlot.GetObjectArrayElement))(_env, array, index);
        ThrowIfPending("GetObjectArrayElement");
        return e;
    }

    /// <summary>Copies <paramref name="length"/> elements of a <c>short[]</c> from <paramref name="start"/> to native memory in one call.</summary>
    public void GetShortArrayRegion(nint array, int start, int length, short* destination)
    {
        ((delegate* unmanaged<nint, nint, int, int, short*, void>)Fn(JniEnvSlot.GetShortArrayRegion))(_env, array, start, length, destination);
        ThrowIfPending("GetShortArrayRegion");
    }

    /// <summary>Copies <paramref name="length"/> elements of a <c>byte[]</c> from <paramref name="start"/> to native memory in one call.</summary>
    public void GetByteArrayRegion(nint array, int start, int length, byte* destination)
    {
        ((delegate* unmanaged<nint, nint, int, int, byte*, void>)Fn(JniEnvSlot.GetByteArrayRegion))(_env, array, start, length, destination);
        ThrowIfPending("GetByteArrayRegion");
    }

    /// <summary>Copies elements of an <c>int[]</c> into <paramref name="destination"/>.</summary>
    public void GetIntArrayRegion(nint array, int start, Span<int> destination)
    {
        fixed (int* p = destination)
        {
            ((delegate* unmanaged<nint, nint, int, int, int*, void>)Fn(JniEnvSlot.GetIntArrayRegion))(_env, array, start, destination.Length, p);
        }

        ThrowIfPending("GetIntArrayRegion");
    }

    // ---- exceptions ----

    /// <summary>True when a Java exception is pending on this thread.</summary>
    public bool ExceptionCheck() => ((delegate* unmanaged<nint, byte>)Fn(JniEnvSlot.ExceptionCheck))(_env) != 0;

    /// <summary>Throws the pending Java exception, if any, as a <see cref="JavaException"/> and clears it.</summary>
    /// <param name="calledMethod">What was called, for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ThrowIfPending(string? calledMethod)
    {
        if (ExceptionCheck())
        {
            throw TakePendingException(calledMethod);
        }
    }

    /// <summary>Clears the pending Java exception and describes it (class, message, causes).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public JavaException TakePendingException(string? calledMethod)
    {
        var throwable = ((delegate* unmanaged<nint, nint>)Fn(JniEnvSlot.ExceptionOccurred))(_env);
        ExceptionClear();
        try
        {
            return JavaThrowables.Describe(this, throwable, calledMethod);
        }
        finally
        {
            DeleteLocalRef(throwable);
        }
    }

    /// <summary>Clears a pending Java exception.</summary>
    public void ExceptionClear() => ((delegate* unmanaged<nint, void>)Fn(JniEnvSlot.ExceptionClear))(_env);

    /// <summary>Calls an object-returning method without turning an exception into a .NET one: for describing exceptions.</summary>
    internal nint CallObjectOrZero(nint obj, nint methodId)
    {
        var result = ((delegate* unmanaged<nint, nint, nint, JValue*, nint>)Fn(JniEnvSlot.CallObjectMethodA))(_env, obj, methodId, null);
        if (ExceptionCheck())
        {
            ExceptionClear();
            DeleteLocalRef(result);
            return 0;
        }

        return result;
    }

}

/// <summary>A method id with the name it was looked up by (for error messages).</summary>
/// <param name="Id">The <c>jmethodID</c>; valid on every thread while its class is loaded.</param>
/// <param name="Display">Class, name and descriptor, e.g. <c>mmcorej.CMMCore.setExposure(D)V</c>.</param>
/// <param name="IsStatic">True for a static method.</param>
internal readonly record struct JavaMethod(nint Id, string Display, bool IsStatic);

/// <summary>A local reference that deletes itself: <c>using var s = new LocalRef(env, env.NewString("x"));</c>.</summary>
internal readonly ref struct LocalRef
{
    private readonly JniEnv _env;

    /// <summary>Takes ownership of <paramref name="handle"/>.</summary>
    public LocalRef(JniEnv env, nint handle)
    {
        _env = env;
        Handle = handle;
    }

    /// <summary>The local reference (0 for null).</summary>
    public nint Handle { get; }

    /// <summary>True when the reference is Java null.</summary>
    public bool IsNull => Handle == 0;

    /// <summary>Deletes the reference.</summary>
    public void Dispose() => _env.DeleteLocalRef(Handle);
}
