using Navigate.Plugins.MicroManager.Jni;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Jni;

/// <summary>The JNI layer on its own, against JDK classes (no Micro-Manager involved).</summary>
[Collection(SharedJvm.Name)]
public sealed unsafe class JniEnvTests(JvmFixture fixture)
{
    private readonly JavaVirtualMachine _jvm = fixture.Jvm;

    [Fact]
    public void The_JVM_speaks_at_least_JNI_1_8()
    {
        Assert.True(_jvm.Env.GetVersion() >= JniConstants.Version18);
        Assert.Contains("-Xrs", _jvm.Options);
    }

    [Fact]
    public void FindClass_finds_JDK_classes_and_classes_on_the_class_path()
    {
        using var text = new JavaClass(_jvm, "java/lang/String");
        using var core = new JavaClass(_jvm, "mmcorej/CMMCore");
        Assert.Equal("java.lang.String", text.Name);
        Assert.Equal("mmcorej.CMMCore", core.Name);
        Assert.NotEqual(0, core.Handle);
    }

    [Fact]
    public void FindClass_of_a_missing_class_throws_NoClassDefFoundError()
    {
        var e = Assert.Throws<JavaException>(() => new JavaClass(_jvm, "no/such/Klass"));
        Assert.Equal("java.lang.NoClassDefFoundError", e.JavaClass);
        Assert.Equal("no/such/Klass", e.JavaMessage);
        Assert.Equal("FindClass(no/such/Klass)", e.CalledMethod);
        Assert.Equal("FindClass(no/such/Klass) threw java.lang.NoClassDefFoundError: no/such/Klass", e.Message);
    }

    [Fact]
    public void Static_and_instance_methods_are_called_through_cached_ids()
    {
        using var integer = new JavaClass(_jvm, "java/lang/Integer");
        var parseInt = integer.StaticMethod("parseInt", "(Ljava/lang/String;)I");
        var valueOf = integer.StaticMethod("valueOf", "(I)Ljava/lang/Integer;");
        var doubleValue = integer.Method("doubleValue", "()D");
        var env = _jvm.Env;
        using var s = new LocalRef(env, env.NewString("42"));
        Assert.Equal(42, env.CallStaticInt(integer.Handle, parseInt, [JValue.Object(s.Handle)]));
        using var boxed = new LocalRef(env, env.CallStaticObject(integer.Handle, valueOf, [JValue.Int(-7)]));
        Assert.Equal(-7.0, env.CallDouble(boxed.Handle, doubleValue));
        Assert.Equal("java.lang.Integer.parseInt(Ljava/lang/String;)I", parseInt.Display);
        Assert.True(parseInt.IsStatic);
    }

    [Fact]
    public void A_missing_method_throws_NoSuchMethodError_naming_it()
    {
        using var integer = new JavaClass(_jvm, "java/lang/Integer");
        var e = Assert.Throws<JavaException>(() => integer.Method("parseInt", "(Ljava/lang/String;)J"));
        Assert.Equal("java.lang.NoSuchMethodError", e.JavaClass);
        Assert.Contains("parseInt", e.JavaMessage);
        Assert.Equal("GetMethodID(java.lang.Integer.parseInt(Ljava/lang/String;)J)", e.CalledMethod);
    }

    [Fact]
    public void A_Java_exception_becomes_a_JavaException_with_class_and_message_and_is_cleared()
    {
        using var integer = new JavaClass(_jvm, "java/lang/Integer");
        var parseInt = integer.StaticMethod("parseInt", "(Ljava/lang/String;)I");
        var env = _jvm.Env;
        using var bad = new LocalRef(env, env.NewString("forty-two"));
        var badHandle = bad.Handle;
        var e = Assert.Throws<JavaException>(() => env.CallStaticInt(integer.Handle, parseInt, [JValue.Object(badHandle)]));
        Assert.Equal("java.lang.NumberFormatException", e.JavaClass);
        Assert.Equal("For input string: \"forty-two\"", e.JavaMessage);
        Assert.Equal("java.lang.Integer.parseInt(Ljava/lang/String;)I threw java.lang.NumberFormatException: For input string: \"forty-two\"", e.Message);
        Assert.IsAssignableFrom<MicroManagerException>(e);

        // Nothing is left pending: the next call works.
        Assert.False(env.ExceptionCheck());
        using var good = new LocalRef(env, env.NewString("17"));
        Assert.Equal(17, env.CallStaticInt(integer.Handle, parseInt, [JValue.Object(good.Handle)]));
    }

    [Fact]
    public void The_causes_of_a_Java_exception_become_inner_exceptions()
    {
        // CompletableFuture.failedFuture(new IllegalStateException("inner")).get() throws ExecutionException(cause).
        using var ise = new JavaClass(_jvm, "java/lang/IllegalStateException");
        using var future = new JavaClass(_jvm, "java/util/concurrent/CompletableFuture");
        var env = _jvm.Env;
        using var message = new LocalRef(env, env.NewString("inner"));
        using var inner = new LocalRef(env, env.NewObject(ise.Handle, ise.Constructor("(Ljava/lang/String;)V"), [JValue.Object(message.Handle)]));
        var failedFuture = future.StaticMethod("failedFuture", "(Ljava/lang/Throwable;)Ljava/util/concurrent/CompletableFuture;");
        using var failed = new LocalRef(env, env.CallStaticObject(future.Handle, failedFuture, [JValue.Object(inner.Handle)]));
        var get = future.Method("get", "()Ljava/lang/Object;");

        var failedHandle = failed.Handle;
        var e = Assert.Throws<JavaException>(() => env.CallObject(failedHandle, get));
        Assert.Equal("java.util.concurrent.ExecutionException", e.JavaClass);
        var cause = Assert.IsType<JavaException>(e.InnerException);
        Assert.Equal("java.lang.IllegalStateException", cause.JavaClass);
        Assert.Equal("inner", cause.JavaMessage);
        Assert.Null(cause.CalledMethod);
    }

    [Fact]
    public void A_NullPointerException_inside_Java_and_a_NullReferenceException_in_NET_both_work()
    {
        // HotSpot finds its own null checks through SIGSEGV and chains other faults to CoreCLR's handler.
        using var text = new JavaClass(_jvm, "java/lang/String");
        var compareTo = text.Method("compareTo", "(Ljava/lang/String;)I");
        var env = _jvm.Env;
        using var abc = new LocalRef(env, env.NewString("abc"));
        for (var i = 0; i < 3; i++)
        {
            var abcHandle = abc.Handle;
            var e = Assert.Throws<JavaException>(() => env.CallInt(abcHandle, compareTo, [JValue.Object(0)]));
            Assert.Equal("java.lang.NullPointerException", e.JavaClass);

            object? nothing = i < 100 ? null : new object();
            Assert.Throws<NullReferenceException>(() => nothing!.GetHashCode());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("µm, ±5 °C — Zeiß")]
    [InlineData("a\0b")]
    [InlineData("sample 🔬 (U+1F52C, a surrogate pair)")]
    public void Strings_cross_in_both_directions_unchanged(string text)
    {
        using var str = new JavaClass(_jvm, "java/lang/String");
        var length = str.Method("length", "()I");
        var env = _jvm.Env;
        using var s = new LocalRef(env, env.NewString(text));
        Assert.Equal(text.Length, env.CallInt(s.Handle, length));
        Assert.Equal(text, env.GetString(s.Handle));
    }

    [Fact]
    public void Array_regions_copy_primitive_arrays_exactly()
    {
        var env = _jvm.Env;
        var values = Enumerable.Range(0, 1000).Select(i => (short)((i * 37) - 500)).ToArray();
        using var array = new LocalRef(env, env.NewShortArray(values));
        Assert.Equal(values.Length, env.GetArrayLength(array.Handle));
        var copy = new short[values.Length];
        fixed (short* p = copy)
        {
            env.GetShortArrayRegion(array.Handle, 0, copy.Length, p);
        }

        Assert.Equal(values, copy);

        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var byteArray = new LocalRef(env, env.NewByteArray(bytes));
        var byteCopy = new byte[200];
        fixed (byte* p = byteCopy)
        {
            env.GetByteArrayRegion(byteArray.Handle, 56, 200, p);
        }

        Assert.Equal(bytes[56..], byteCopy);
    }

    [Fact]
    public void Reading_past_the_end_of_an_array_throws_ArrayIndexOutOfBoundsException()
    {
        var env = _jvm.Env;
        using var array = new LocalRef(env, env.NewShortArray(new short[10]));
        var copy = new short[11];
        var arrayHandle = array.Handle;
        var e = Assert.Throws<JavaException>(() =>
        {
            fixed (short* p = copy)
            {
                env.GetShortArrayRegion(arrayHandle, 0, 11, p);
            }
        });
        Assert.Equal("java.lang.ArrayIndexOutOfBoundsException", e.JavaClass);
        Assert.Equal("GetShortArrayRegion", e.CalledMethod);
    }

    [Fact]
    public void Local_references_are_deleted_in_a_loop_of_100k_calls()
    {
        // Each call returns a 6 KiB buffer; leaked local references would keep 600 MB alive in a 384 MB heap, so a
        // leak ends in java.lang.OutOfMemoryError, thrown here as a JavaException.
        using var byteBuffer = new JavaClass(_jvm, "java/nio/ByteBuffer");
        using var text = new JavaClass(_jvm, "java/lang/String");
        var allocate = byteBuffer.StaticMethod("allocate", "(I)Ljava/nio/ByteBuffer;");
        var capacity = byteBuffer.Method("capacity", "()I");
        var valueOf = text.StaticMethod("valueOf", "(I)Ljava/lang/String;");
        var env = _jvm.Env;
        long total = 0;
        for (var i = 0; i < 100_000; i++)
        {
            using var buffer = new LocalRef(env, env.CallStaticObject(byteBuffer.Handle, allocate, [JValue.Int(6 * 1024)]));
            total += env.CallInt(buffer.Handle, capacity);
            using var s = new LocalRef(env, env.CallStaticObject(text.Handle, valueOf, [JValue.Int(i)]));
            if (i % 9999 == 0)
            {
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), env.GetString(s.Handle));
            }
        }

        Assert.Equal(100_000L * 6 * 1024, total);
    }

    [Fact]
    public void A_local_frame_frees_every_reference_made_inside_it()
    {
        // 120 frames of two 2 MiB buffers: 480 MB, more than the heap, unless each PopLocalFrame frees its 4 MB.
        using var byteBuffer = new JavaClass(_jvm, "java/nio/ByteBuffer");
        var allocate = byteBuffer.StaticMethod("allocate", "(I)Ljava/nio/ByteBuffer;");
        var env = _jvm.Env;
        for (var frame = 0; frame < 120; frame++)
        {
            env.PushLocalFrame(4);
            env.CallStaticObject(byteBuffer.Handle, allocate, [JValue.Int(2 << 20)]);
            env.CallStaticObject(byteBuffer.Handle, allocate, [JValue.Int(2 << 20)]);
            env.PopLocalFrame();
        }
    }

    [Fact]
    public void Every_thread_is_attached_on_first_use_and_detached_when_it_exits()
    {
        using var thread = new JavaClass(_jvm, "java/lang/Thread");
        var activeCount = thread.StaticMethod("activeCount", "()I");
        var currentThread = thread.StaticMethod("currentThread", "()Ljava/lang/Thread;");
        var isDaemon = thread.Method("isDaemon", "()Z");
        var getName = thread.Method("getName", "()Ljava/lang/String;");
        var before = _jvm.Env.CallStaticInt(thread.Handle, activeCount);

        var names = new string?[8];
        var daemons = new bool[8];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            var env = _jvm.Env;
            using var me = new LocalRef(env, env.CallStaticObject(thread.Handle, currentThread));
            daemons[i] = env.CallBoolean(me.Handle, isDaemon);
            using var name = new LocalRef(env, env.CallObject(me.Handle, getName));
            names[i] = env.GetString(name.Handle);
        })
        { Name = $"worker{i}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(daemons, Assert.True);
        Assert.All(names, n => Assert.Matches(@"^navigate-worker\d-\d+$", n));
        Assert.True(ThreadExitDetach.IsAvailable);

        // The JVM forgets a thread once libc has run its exit destructors, just after Join returns.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        int after;
        while ((after = _jvm.Env.CallStaticInt(thread.Handle, activeCount)) > before && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(before, after);
    }

    [Fact]
    public void Garbage_collections_of_both_runtimes_between_calls_change_nothing()
    {
        using var system = new JavaClass(_jvm, "java/lang/System");
        var gc = system.StaticMethod("gc", "()V");
        using var text = new JavaClass(_jvm, "java/lang/String");
        var valueOf = text.StaticMethod("valueOf", "(J)Ljava/lang/String;");
        var env = _jvm.Env;
        for (var i = 0; i < 5; i++)
        {
            using var kept = new LocalRef(env, env.CallStaticObject(text.Handle, valueOf, [JValue.Long(1L << (40 + i))]));
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            env.CallStaticVoid(system.Handle, gc);
            GC.Collect();
            Assert.Equal((1L << (40 + i)).ToString(System.Globalization.CultureInfo.InvariantCulture), env.GetString(kept.Handle));
        }
    }
}
