namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>Reads a Java exception's class, message and causes, with method ids looked up once per process.</summary>
internal static class JavaThrowables
{
    private const int MaxCauseDepth = 8;
    private static nint _classGetName;
    private static nint _throwableGetMessage;
    private static nint _throwableGetCause;

    /// <summary>Looks up the method ids; called once when the JVM is created or found.</summary>
    public static void Initialize(JniEnv env)
    {
        if (_throwableGetCause != 0)
        {
            return;
        }

        var throwable = env.FindClass("java/lang/Throwable");
        var cls = env.FindClass("java/lang/Class");
        try
        {
            // Method ids stay valid while their class is loaded, and these bootstrap classes are never unloaded.
            _classGetName = env.GetMethod(cls, "java.lang.Class", "getName", "()Ljava/lang/String;").Id;
            _throwableGetMessage = env.GetMethod(throwable, "java.lang.Throwable", "getMessage", "()Ljava/lang/String;").Id;
            _throwableGetCause = env.GetMethod(throwable, "java.lang.Throwable", "getCause", "()Ljava/lang/Throwable;").Id;
        }
        finally
        {
            env.DeleteLocalRef(throwable);
            env.DeleteLocalRef(cls);
        }
    }

    /// <summary>Describes <paramref name="throwable"/> (no exception may be pending).</summary>
    public static JavaException Describe(JniEnv env, nint throwable, string? calledMethod) => Describe(env, throwable, calledMethod, 0);

    private static JavaException Describe(JniEnv env, nint throwable, string? calledMethod, int depth)
    {
        if (_throwableGetCause == 0)
        {
            return new JavaException("java.lang.Throwable", "(details unavailable: the JVM is not initialised)", calledMethod);
        }

        // Reading the name allocates a String; when even that fails (the heap is full), say so rather than guess.
        var javaClass = "(class name unavailable)";
        var cls = env.GetObjectClass(throwable);
        var name = env.CallObjectOrZero(cls, _classGetName);
        if (name != 0)
        {
            javaClass = env.GetString(name) ?? javaClass;
            env.DeleteLocalRef(name);
        }

        env.DeleteLocalRef(cls);

        string? message = null;
        var text = env.CallObjectOrZero(throwable, _throwableGetMessage);
        if (text != 0)
        {
            message = env.GetString(text);
            env.DeleteLocalRef(text);
        }

        JavaException? cause = null;
        var c = env.CallObjectOrZero(throwable, _throwableGetCause);
        if (c != 0)
        {
            if (depth < MaxCauseDepth && !env.IsSameObject(c, throwable))
            {
                cause = Describe(env, c, null, depth + 1);
            }

            env.DeleteLocalRef(c);
        }

        return new JavaException(javaClass, message, calledMethod, cause);
    }
}
