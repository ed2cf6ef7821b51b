using System.Runtime.InteropServices;

namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>What a JVM is started with.</summary>
/// <param name="LibraryPath">The JVM library (<c>libjvm.so</c>) to load.</param>
/// <param name="ClassPath">Jars and folders for <c>-Djava.class.path</c>.</param>
/// <param name="SystemProperties">System properties (<c>-Dkey=value</c>), e.g. <c>mmcorej.library.path</c>.</param>
/// <param name="ExtraOptions">Further options as the <c>java</c> launcher takes them (<c>-Xmx512m</c>, <c>-Xcheck:jni</c>).</param>
internal sealed record JvmStartOptions(
    string LibraryPath,
    IReadOnlyList<string> ClassPath,
    IReadOnlyDictionary<string, string> SystemProperties,
    IReadOnlyList<string> ExtraOptions);

/// <summary>
/// The process's one Java virtual machine, hosted over JNI: created on first use with <c>JNI_CreateJavaVM</c> (or
/// adopted when something in the process already created one) and never destroyed, since HotSpot cannot be started
/// again in a process that destroyed it. Every thread that touches Java is attached (as a daemon, so it never keeps
/// the JVM alive) on first use and detached when it exits.
/// </summary>
/// <remarks>
/// Signals: CoreCLR and HotSpot both install signal handlers. HotSpot relies on SIGSEGV for its own null checks and
/// safepoints and chains any fault that is not its own to the handler it found (CoreCLR's), so managed
/// NullReferenceExceptions keep working. The JVM is always started with <c>-Xrs</c>: without it HotSpot takes over
/// SIGINT/SIGTERM/SIGHUP and turns Ctrl-C into a JVM shutdown that exits the process under the host's feet, before
/// an acquisition could close its dataset. With <c>-Xrs</c> those signals stay with .NET.
/// </remarks>
internal sealed unsafe class JavaVirtualMachine
{
    private static readonly Lock CreationLock = new();
    private static JavaVirtualMachine? _current;

    [ThreadStatic]
    private static nint _threadEnv;

    private readonly nint _vm;

    private JavaVirtualMachine(nint vm, string libraryPath, bool createdHere, IReadOnlyList<string> options)
    {
        _vm = vm;
        LibraryPath = libraryPath;
        CreatedHere = createdHere;
        Options = options;
    }

    /// <summary>The process's JVM, or null before the first <see cref="GetOrCreate"/>.</summary>
    public static JavaVirtualMachine? Current => Volatile.Read(ref _current);

    /// <summary>The JVM library it was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>True when this process created the JVM; false when it found one already running.</summary>
    public bool CreatedHere { get; }

    /// <summary>The options the JVM was created with (empty when it was found running).</summary>
    public IReadOnlyList<string> Options { get; }

    /// <summary>This thread's JNI environment; attaches the thread on first use.</summary>
    public JniEnv Env
    {
        get
        {
            var env = _threadEnv;
            return env != 0 ? new JniEnv(env) : AttachCurrentThread();
        }
    }

    /// <summary>
    /// Returns the process's JVM, creating it with <paramref name="options"/> the first time. Later calls must ask
    /// for a JVM the running one satisfies (same library, class path containing the requested jars, same system
    /// properties), since a JVM's class path and properties are fixed when it starts.
    /// </summary>
    /// <exception cref="JvmStartException">The library cannot be loaded, the JVM cannot be created, or the running JVM does not match.</exception>
    public static JavaVirtualMachine GetOrCreate(JvmStartOptions options)
    {
        lock (CreationLock)
        {
            var vm = _current;
            if (vm is null)
            {
                vm = StartOrAdopt(options);
                Volatile.Write(ref _current, vm);
            }

            vm.CheckSatisfies(options);
            return vm;
        }
    }

    private static JavaVirtualMachine StartOrAdopt(JvmStartOptions options)
    {
        nint library;
        try
        {
            library = NativeLibrary.Load(options.LibraryPath);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new JvmStartException($"The JVM library '{options.LibraryPath}' could not be loaded: {e.Message}", e);
        }

        if (!NativeLibrary.TryGetExport(library, "JNI_GetCreatedJavaVMs", out var getCreated)
            || !NativeLibrary.TryGetExport(library, "JNI_CreateJavaVM", out var create))
        {
            throw new JvmStartException($"'{options.LibraryPath}' is not a JVM library: it does not export JNI_CreateJavaVM and JNI_GetCreatedJavaVMs.");
        }

        nint existing = 0;
        var count = 0;
        var rc = ((delegate* unmanaged<nint*, int, int*, int>)getCreated)(&existing, 1, &count);
        if (rc == JniConstants.Ok && count > 0)
        {
            var adopted = new JavaVirtualMachine(existing, options.LibraryPath, createdHere: false, []);
            ThreadExitDetach.Initialize(existing);
            JavaThrowables.Initialize(adopted.Env);
            return adopted;
        }

        var all = new List<string>
        {
            "-Djava.class.path=" + string.Join(Path.PathSeparator, options.ClassPath),
        };
        foreach (var (key, value) in options.SystemProperties)
        {
            all.Add($"-D{key}={value}");
        }

        // See the remarks on signals: keep SIGINT/SIGTERM/SIGHUP with .NET. Headless: MMCoreJ references AWT types.
        all.Add("-Xrs");
        all.Add("-Djava.awt.headless=true");
        all.AddRange(options.ExtraOptions);

        var strings = new nint[all.Count];
        var vmOptions = new JavaVMOption[all.Count];
        nint vmHandle = 0;
        nint env = 0;
        try
        {
            for (var i = 0; i < all.Count; i++)
            {
                strings[i] = Marshal.StringToCoTaskMemUTF8(all[i]);
                vmOptions[i].OptionString = strings[i];
            }

            fixed (JavaVMOption* o = vmOptions)
            {
                var args = new JavaVMInitArgs
                {
                    Version = JniConstants.Version18,
                    OptionCount = all.Count,
                    Options = o,
                    IgnoreUnrecognized = 0,
                };
                rc = ((delegate* unmanaged<nint*, nint*, JavaVMInitArgs*, int>)create)(&vmHandle, &env, &args);
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }

        if (rc != JniConstants.Ok)
        {
            throw new JvmStartException(
                $"JNI_CreateJavaVM ('{options.LibraryPath}') failed with {JniConstants.Describe(rc)}; options: {string.Join(' ', all)}. "
                + "The JVM may have written the reason to standard error. A JVM that failed to start cannot be started again in the same process: fix the options and restart.");
        }

        var created = new JavaVirtualMachine(vmHandle, options.LibraryPath, createdHere: true, all);
        ThreadExitDetach.Initialize(vmHandle);

        // JNI_CreateJavaVM attached this thread; detach it when it exits, like every other thread.
        _threadEnv = env;
        ThreadExitDetach.Register(vmHandle);
        JavaThrowables.Initialize(new JniEnv(env));
        return created;
    }

    private JniEnv AttachCurrentThread()
    {
        var functions = *(nint**)_vm;
        nint env = 0;
        var rc = ((delegate* unmanaged<nint, nint*, int, int>)functions[JavaVmSlot.GetEnv])(_vm, &env, JniConstants.Version18);
        if (rc == JniConstants.Ok)
        {
            // Attached by someone else (a Java thread calling into .NET): not ours to detach.
            _threadEnv = env;
            return new JniEnv(env);
        }

        var thread = Thread.CurrentThread;
        var name = Marshal.StringToCoTaskMemUTF8($"navigate-{thread.Name ?? "thread"}-{thread.ManagedThreadId}");
        try
        {
            var args = new JavaVMAttachArgs { Version = JniConstants.Version18, Name = name, Group = 0 };
            rc = ((delegate* unmanaged<nint, nint*, JavaVMAttachArgs*, int>)functions[JavaVmSlot.AttachCurrentThreadAsDaemon])(_vm, &env, &args);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }

        if (rc != JniConstants.Ok)
        {
            throw new JvmStartException($"AttachCurrentThreadAsDaemon failed with {JniConstants.Describe(rc)} on thread {thread.ManagedThreadId}.");
        }

        ThreadExitDetach.Register(_vm);
        _threadEnv = env;
        return new JniEnv(env);
    }

    /// <summary>A system property of the running JVM (<c>System.getProperty</c>), or null.</summary>
    public string? GetSystemProperty(string key)
    {
        var env = Env;
        var system = env.FindClass("java/lang/System");
        try
        {
            var getProperty = env.GetStaticMethod(system, "java.lang.System", "getProperty", "(Ljava/lang/String;)Ljava/lang/String;");
            using var k = new LocalRef(env, env.NewString(key));
            using var value = new LocalRef(env, env.CallStaticObject(system, getProperty, [JValue.Object(k.Handle)]));
            return env.GetString(value.Handle);
        }
        finally
        {
            env.DeleteLocalRef(system);
        }
    }

    private void CheckSatisfies(JvmStartOptions options)
    {
        const string Restart = "A process has one JVM and its class path and system properties are fixed when it starts: give every Micro-Manager plugin entry the same javaHome, micromanagerDir and mmcorejJar, or restart the host.";
        if (!SameFile(LibraryPath, options.LibraryPath))
        {
            throw new JvmStartException($"The JVM in this process was loaded from '{LibraryPath}'; a second one from '{options.LibraryPath}' cannot be started. {Restart}");
        }

        var classPath = GetSystemProperty("java.class.path") ?? string.Empty;
        var entries = classPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var wanted in options.ClassPath)
        {
            if (!entries.Any(e => SameFile(e, wanted)))
            {
                throw new JvmStartException($"The JVM in this process runs with class path '{classPath}', which does not contain '{wanted}'. {Restart}");
            }
        }

        foreach (var (key, value) in options.SystemProperties)
        {
            var actual = GetSystemProperty(key);
            if (actual != value)
            {
                throw new JvmStartException($"The JVM in this process runs with {key} = '{actual}', not '{value}'. {Restart}");
            }
        }
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }

        static string Resolve(string path)
        {
            var full = Path.GetFullPath(path);
            var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) : null;
            return target?.FullName ?? full;
        }
    }
}

/// <summary>
/// Detaches threads from the JVM when they exit. A thread attached to the JVM must detach before it exits, or the
/// JVM keeps its java.lang.Thread forever; .NET has no thread-exit hook, so on Unix a pthread key is created whose
/// destructor is the JVM's own <c>DetachCurrentThread</c> and whose per-thread value is the JavaVM pointer: when an
/// attached thread exits, libc calls <c>DetachCurrentThread(vm)</c> on it. HotSpot supports exactly this
/// (it restores its thread pointer for such destructors).
/// </summary>
internal static unsafe class ThreadExitDetach
{
    private static nuint _key;
    private static delegate* unmanaged<nuint, nint, int> _setSpecific;

    /// <summary>True when exiting threads are detached automatically (Linux and macOS).</summary>
    public static bool IsAvailable => _setSpecific is not null;

    /// <summary>Creates the key (once per process).</summary>
    public static void Initialize(nint vm)
    {
        if (_setSpecific is not null || OperatingSystem.IsWindows())
        {
            return;
        }

        var process = NativeLibrary.GetMainProgramHandle();
        if (!NativeLibrary.TryGetExport(process, "pthread_key_create", out var create)
            || !NativeLibrary.TryGetExport(process, "pthread_setspecific", out var setSpecific))
        {
            return;
        }

        // void (*destructor)(void*) and jint (*DetachCurrentThread)(JavaVM*) take one pointer argument in the same
        // register on every ABI .NET runs on; the int result is ignored by libc.
        var detach = (*(nint**)vm)[JavaVmSlot.DetachCurrentThread];
        ulong storage = 0; // pthread_key_t: unsigned int on Linux, unsigned long on macOS.
        if (((delegate* unmanaged<ulong*, nint, int>)create)(&storage, detach) != 0)
        {
            return;
        }

        _key = OperatingSystem.IsLinux() ? *(uint*)&storage : (nuint)storage;
        _setSpecific = (delegate* unmanaged<nuint, nint, int>)setSpecific;
    }

    /// <summary>Arranges for the calling thread to be detached from <paramref name="vm"/> when it exits.</summary>
    public static void Register(nint vm)
    {
        if (_setSpecific is not null)
        {
            _setSpecific(_key, vm);
        }
    }
}
