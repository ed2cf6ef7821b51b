using System.Runtime.InteropServices;

namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>A JNI <c>jvalue</c>: one argument of a <c>Call...MethodA</c> call (a union of all Java types).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal readonly struct JValue
{
    [FieldOffset(0)]
    private readonly byte _z;

    [FieldOffset(0)]
    private readonly int _i;

    [FieldOffset(0)]
    private readonly long _j;

    [FieldOffset(0)]
    private readonly float _f;

    [FieldOffset(0)]
    private readonly double _d;

    [FieldOffset(0)]
    private readonly nint _l;

    private JValue(byte z) => _z = z;

    private JValue(int i) => _i = i;

    private JValue(long j) => _j = j;

    private JValue(float f) => _f = f;

    private JValue(double d) => _d = d;

    private JValue(nint l) => _l = l;

    /// <summary>A Java <c>boolean</c>.</summary>
    public static JValue Bool(bool value) => new(value ? (byte)1 : (byte)0);

    /// <summary>A Java <c>int</c>.</summary>
    public static JValue Int(int value) => new(value);

    /// <summary>A Java <c>long</c>.</summary>
    public static JValue Long(long value) => new(value);

    /// <summary>A Java <c>float</c>.</summary>
    public static JValue Float(float value) => new(value);

    /// <summary>A Java <c>double</c>.</summary>
    public static JValue Double(double value) => new(value);

    /// <summary>A Java reference (local or global), or 0 for null.</summary>
    public static JValue Object(nint reference) => new(reference);
}

/// <summary>JNI's <c>JavaVMOption</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JavaVMOption
{
    public nint OptionString;
    public nint ExtraInfo;
}

/// <summary>JNI's <c>JavaVMInitArgs</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct JavaVMInitArgs
{
    public int Version;
    public int OptionCount;
    public JavaVMOption* Options;
    public byte IgnoreUnrecognized;
}

/// <summary>JNI's <c>JavaVMAttachArgs</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JavaVMAttachArgs
{
    public int Version;
    public nint Name;
    public nint Group;
}

/// <summary>JNI constants from jni.h.</summary>
internal static class JniConstants
{
    /// <summary>
    /// The JNI version we ask for. Java 8 and newer support it, and JDK 17 refuses versions above
    /// <c>JNI_VERSION_10</c>, so asking for the newest is not an option.
    /// </summary>
    public const int Version18 = 0x00010008;

    public const int Ok = 0;

    /// <summary>The thread is not attached (from <c>GetEnv</c>).</summary>
    public const int Detached = -2;

    /// <summary>The name of a JNI return code, for error messages.</summary>
    public static string Describe(int code) => code switch
    {
        0 => "JNI_OK",
        -1 => "JNI_ERR (unknown error)",
        -2 => "JNI_EDETACHED (thread detached from the VM)",
        -3 => "JNI_EVERSION (JNI version error)",
        -4 => "JNI_ENOMEM (not enough memory)",
        -5 => "JNI_EEXIST (VM already created)",
        -6 => "JNI_EINVAL (invalid arguments)",
        _ => $"JNI error {code}",
    };
}

/// <summary>
/// Slots of the JNIEnv function table (<c>struct JNINativeInterface_</c> in jni.h); the table's layout is fixed
/// by the JNI specification, so these indices hold for every JVM.
/// </summary>
internal static class JniEnvSlot
{
    public const int GetVersion = 4;
    public const int FindClass = 6;
    public const int ExceptionOccurred = 15;
    public const int ExceptionClear = 17;
    public const int PushLocalFrame = 19;
    public const int PopLocalFrame = 20;
    public const int NewGlobalRef = 21;
    public const int DeleteGlobalRef = 22;
    public const int DeleteLocalRef = 23;
    public const int IsSameObject = 24;
    public const int NewObjectA = 30;
    public const int GetObjectClass = 31;
    public const int IsInstanceOf = 32;
    public const int GetMethodID = 33;
    public const int CallObjectMethodA = 36;
    public const int CallBooleanMethodA = 39;
    public const int CallIntMethodA = 51;
    public const int CallLongMethodA = 54;
    public const int CallDoubleMethodA = 60;
    public const int CallVoidMethodA = 63;
    public const int GetStaticMethodID = 113;
    public const int CallStaticObjectMethodA = 116;
    public const int CallStaticIntMethodA = 131;
    public const int CallStaticVoidMethodA = 143;
    public const int NewString = 163;
    public const int GetStringLength = 164;
    public const int GetArrayLength = 171;
    public const int GetObjectArrayElement = 173;
    public const int NewByteArray = 176;
    public const int NewShortArray = 178;
    public const int NewIntArray = 179;
    public const int GetByteArrayRegion = 200;
    public const int GetShortArrayRegion = 202;
    public const int GetIntArrayRegion = 203;
    public const int SetByteArrayRegion = 208;
    public const int SetShortArrayRegion = 210;
    public const int GetStringRegion = 220;
    public const int ExceptionCheck = 228;
}

/// <summary>Slots of the JavaVM function table (<c>struct JNIInvokeInterface_</c> in jni.h).</summary>
internal static class JavaVmSlot
{
    public const int DestroyJavaVM = 3;
    public const int AttachCurrentThread = 4;
    public const int DetachCurrentThread = 5;
    public const int GetEnv = 6;
    public const int AttachCurrentThreadAsDaemon = 7;
}
