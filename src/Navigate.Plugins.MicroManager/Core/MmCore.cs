using System.Globalization;
using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Core;

/// <summary>
/// A typed proxy of one <c>mmcorej.CMMCore</c> object: each method is one JNI call (plus the string conversions), may
/// be called from any thread, and throws <see cref="JavaException"/> with the core's error text when MMCore fails.
/// </summary>
internal sealed unsafe class MmCore : IDisposable
{
    private readonly JavaVirtualMachine _jvm;
    private readonly MmCoreBindings _b;
    private nint _core;

    private MmCore(JavaVirtualMachine jvm, MmCoreBindings bindings, nint core)
    {
        _jvm = jvm;
        _b = bindings;
        _core = core;
    }

    /// <summary>Constructs a new <c>CMMCore</c> (which loads MMCoreJ's native library on first use).</summary>
    public static MmCore Create(JavaVirtualMachine jvm)
    {
        var bindings = MmCoreBindings.Get(jvm);
        var env = jvm.Env;
        using var local = new LocalRef(env, env.NewObject(bindings.Core.Handle, bindings.CoreConstructor));
        return new MmCore(jvm, bindings, env.NewGlobalRef(local.Handle));
    }

    internal MmCoreBindings Bindings => _b;

    internal JavaVirtualMachine Jvm => _jvm;

    private nint Core
    {
        get
        {
            ObjectDisposedException.ThrowIf(_core == 0, this);
            return _core;
        }
    }

    // ---- call shapes ----

    private void Void(JavaMethod m)
    {
        _jvm.Env.CallVoid(Core, m);
    }

    private void Void(JavaMethod m, string a)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        env.CallVoid(Core, m, [JValue.Object(ja.Handle)]);
    }

    private string Text(JavaMethod m)
    {
        var env = _jvm.Env;
        using var r = new LocalRef(env, env.CallObject(Core, m));
        return env.GetString(r.Handle) ?? string.Empty;
    }

    private string Text(JavaMethod m, string a)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        using var r = new LocalRef(env, env.CallObject(Core, m, [JValue.Object(ja.Handle)]));
        return env.GetString(r.Handle) ?? string.Empty;
    }

    private string Text(JavaMethod m, string a, string b)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        using var jb = new LocalRef(env, env.NewString(b));
        using var r = new LocalRef(env, env.CallObject(Core, m, [JValue.Object(ja.Handle), JValue.Object(jb.Handle)]));
        return env.GetString(r.Handle) ?? string.Empty;
    }

    private bool Bool(JavaMethod m, string a, string b)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        using var jb = new LocalRef(env, env.NewString(b));
        return env.CallBoolean(Core, m, [JValue.Object(ja.Handle), JValue.Object(jb.Handle)]);
    }

    private double Double(JavaMethod m, string a)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        return env.CallDouble(Core, m, [JValue.Object(ja.Handle)]);
    }

    private double Double(JavaMethod m, string a, string b)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(a));
        using var jb = new LocalRef(env, env.NewString(b));
        return env.CallDouble(Core, m, [JValue.Object(ja.Handle), JValue.Object(jb.Handle)]);
    }

    private string[] Strings(JavaMethod m, params ReadOnlySpan<string> args)
    {
        var env = _jvm.Env;
        env.PushLocalFrame(args.Length + 4);
        try
        {
            Span<JValue> jargs = stackalloc JValue[args.Length];
            for (var i = 0; i < args.Length; i++)
            {
                jargs[i] = JValue.Object(env.NewString(args[i]));
            }

            var vector = env.CallObject(Core, m, jargs);
            return ToArray(env, vector);
        }
        finally
        {
            env.PopLocalFrame();
        }
    }

    private string[] ToArray(JniEnv env, nint strVector)
    {
        using var array = new LocalRef(env, env.CallObject(strVector, _b.StrVectorToArray));
        var n = env.GetArrayLength(array.Handle);
        var result = new string[n];
        for (var i = 0; i < n; i++)
        {
            using var item = new LocalRef(env, env.GetObjectArrayElement(array.Handle, i));
            result[i] = env.GetString(item.Handle) ?? string.Empty;
        }

        return result;
    }

    // ---- version, configuration ----

    /// <summary><c>getVersionInfo()</c>, e.g. "MMCore version 11.1.1".</summary>
    public string GetVersionInfo() => Text(_b.GetVersionInfo);

    /// <summary><c>setDeviceAdapterSearchPaths(StrVector)</c>.</summary>
    public void SetDeviceAdapterSearchPaths(IEnumerable<string> paths)
    {
        var env = _jvm.Env;
        using var vector = new LocalRef(env, env.NewObject(_b.StrVector.Handle, _b.StrVectorConstructor));
        foreach (var path in paths)
        {
            using var p = new LocalRef(env, env.NewString(path));
            env.CallVoid(vector.Handle, _b.StrVectorAdd, [JValue.Object(p.Handle)]);
        }

        env.CallVoid(Core, _b.SetDeviceAdapterSearchPaths, [JValue.Object(vector.Handle)]);
    }

    /// <summary><c>loadSystemConfiguration(fileName)</c>.</summary>
    public void LoadSystemConfiguration(string fileName) => Void(_b.LoadSystemConfiguration, fileName);

    /// <summary><c>unloadAllDevices()</c>.</summary>
    public void UnloadAllDevices() => Void(_b.UnloadAllDevices);

    /// <summary><c>getLoadedDevices()</c>.</summary>
    public string[] GetLoadedDevices() => Strings(_b.GetLoadedDevices);

    /// <summary><c>getDeviceLibrary(label)</c>: the adapter module, e.g. "DemoCamera".</summary>
    public string GetDeviceLibrary(string label) => Text(_b.GetDeviceLibrary, label);

    /// <summary><c>getDeviceName(label)</c>: the device's name in its adapter, e.g. "DCam".</summary>
    public string GetDeviceName(string label) => Text(_b.GetDeviceName, label);

    /// <summary><c>getDeviceDescription(label)</c>.</summary>
    public string GetDeviceDescription(string label) => Text(_b.GetDeviceDescription, label);

    // ---- properties ----

    /// <summary><c>getDevicePropertyNames(label)</c>.</summary>
    public string[] GetDevicePropertyNames(string label) => Strings(_b.GetDevicePropertyNames, label);

    /// <summary><c>hasProperty(label, name)</c>.</summary>
    public bool HasProperty(string label, string name) => Bool(_b.HasProperty, label, name);

    /// <summary><c>getProperty(label, name)</c>.</summary>
    public string GetProperty(string label, string name) => Text(_b.GetProperty, label, name);

    /// <summary><c>setProperty(label, name, value)</c> (the string overload).</summary>
    public void SetProperty(string label, string name, string value)
    {
        var env = _jvm.Env;
        using var ja = new LocalRef(env, env.NewString(label));
        using var jb = new LocalRef(env, env.NewString(name));
        using var jc = new LocalRef(env, env.NewString(value));
        env.CallVoid(Core, _b.SetProperty, [JValue.Object(ja.Handle), JValue.Object(jb.Handle), JValue.Object(jc.Handle)]);
    }

    /// <summary><c>getAllowedPropertyValues(label, name)</c>: empty when any value is allowed.</summary>
    public string[] GetAllowedPropertyValues(string label, string name) => Strings(_b.GetAllowedPropertyValues, label, name);

    /// <summary><c>isPropertyReadOnly(label, name)</c>.</summary>
    public bool IsPropertyReadOnly(string label, string name) => Bool(_b.IsPropertyReadOnly, label, name);

    /// <summary><c>hasPropertyLimits(label, name)</c>.</summary>
    public bool HasPropertyLimits(string label, string name) => Bool(_b.HasPropertyLimits, label, name);

    /// <summary><c>getPropertyLowerLimit(label, name)</c>.</summary>
    public double GetPropertyLowerLimit(string label, string name) => Double(_b.GetPropertyLowerLimit, label, name);

    /// <summary><c>getPropertyUpperLimit(label, name)</c>.</summary>
    public double GetPropertyUpperLimit(string label, string name) => Double(_b.GetPropertyUpperLimit, label, name);

    // ---- roles ----

    /// <summary><c>getCameraDevice()</c>: the current camera's label, empty when none.</summary>
    public string GetCameraDevice() => Text(_b.GetCameraDevice);

    /// <summary><c>getFocusDevice()</c>.</summary>
    public string GetFocusDevice() => Text(_b.GetFocusDevice);

    /// <summary><c>getXYStageDevice()</c>.</summary>
    public string GetXYStageDevice() => Text(_b.GetXYStageDevice);

    // ---- camera ----

    /// <summary><c>setExposure(ms)</c>.</summary>
    public void SetExposure(double milliseconds) => _jvm.Env.CallVoid(Core, _b.SetExposure, [JValue.Double(milliseconds)]);

    /// <summary><c>getExposure()</c> in ms.</summary>
    public double GetExposure() => _jvm.Env.CallDouble(Core, _b.GetExposure);

    /// <summary><c>setROI(x, y, xSize, ySize)</c> in the current (binned) image pixels.</summary>
    public void SetRoi(int x, int y, int width, int height)
        => _jvm.Env.CallVoid(Core, _b.SetRoi, [JValue.Int(x), JValue.Int(y), JValue.Int(width), JValue.Int(height)]);

    /// <summary><c>getROI(int[] x, int[] y, int[] xSize, int[] ySize)</c>.</summary>
    public (int X, int Y, int Width, int Height) GetRoi()
    {
        var env = _jvm.Env;
        env.PushLocalFrame(8);
        try
        {
            var x = env.NewIntArray(1);
            var y = env.NewIntArray(1);
            var w = env.NewIntArray(1);
            var h = env.NewIntArray(1);
            env.CallVoid(Core, _b.GetRoi, [JValue.Object(x), JValue.Object(y), JValue.Object(w), JValue.Object(h)]);
            Span<int> v = stackalloc int[4];
            env.GetIntArrayRegion(x, 0, v[..1]);
            env.GetIntArrayRegion(y, 0, v[1..2]);
            env.GetIntArrayRegion(w, 0, v[2..3]);
            env.GetIntArrayRegion(h, 0, v[3..4]);
            return (v[0], v[1], v[2], v[3]);
        }
        finally
        {
            env.PopLocalFrame();
        }
    }

    /// <summary><c>clearROI()</c>.</summary>
    public void ClearRoi() => Void(_b.ClearRoi);

    /// <summary><c>getImageWidth()</c>.</summary>
    public long GetImageWidth() => _jvm.Env.CallLong(Core, _b.GetImageWidth);

    /// <summary><c>getImageHeight()</c>.</summary>
    public long GetImageHeight() => _jvm.Env.CallLong(Core, _b.GetImageHeight);

    /// <summary><c>getBytesPerPixel()</c>.</summary>
    public long GetBytesPerPixel() => _jvm.Env.CallLong(Core, _b.GetBytesPerPixel);

    /// <summary><c>getImageBitDepth()</c>.</summary>
    public long GetImageBitDepth() => _jvm.Env.CallLong(Core, _b.GetImageBitDepth);

    /// <summary><c>getNumberOfComponents()</c>: 1 for grey images, 4 for RGB.</summary>
    public long GetNumberOfComponents() => _jvm.Env.CallLong(Core, _b.GetNumberOfComponents);

    /// <summary><c>snapImage()</c>.</summary>
    public void SnapImage() => Void(_b.SnapImage);

    /// <summary><c>getImage()</c>, copied into <paramref name="destination"/>.</summary>
    public void GetImage(void* destination, int pixelCount, int bytesPerPixel)
    {
        var env = _jvm.Env;
        using var image = new LocalRef(env, env.CallObject(Core, _b.GetImage));
        CopyPixels(env, image.Handle, destination, pixelCount, bytesPerPixel, _b.GetImage.Display);
    }

    /// <summary><c>startSequenceAcquisition(numImages, intervalMs, stopOnOverflow)</c>.</summary>
    public void StartSequenceAcquisition(int count, double intervalMs, bool stopOnOverflow)
        => _jvm.Env.CallVoid(Core, _b.StartSequenceAcquisition, [JValue.Int(count), JValue.Double(intervalMs), JValue.Bool(stopOnOverflow)]);

    /// <summary><c>startContinuousSequenceAcquisition(intervalMs)</c>.</summary>
    public void StartContinuousSequenceAcquisition(double intervalMs)
        => _jvm.Env.CallVoid(Core, _b.StartContinuousSequenceAcquisition, [JValue.Double(intervalMs)]);

    /// <summary><c>stopSequenceAcquisition()</c>.</summary>
    public void StopSequenceAcquisition() => Void(_b.StopSequenceAcquisition);

    /// <summary><c>isSequenceRunning()</c>.</summary>
    public bool IsSequenceRunning() => _jvm.Env.CallBoolean(Core, _b.IsSequenceRunning);

    /// <summary><c>getRemainingImageCount()</c>: frames waiting in the circular buffer.</summary>
    public int GetRemainingImageCount() => _jvm.Env.CallInt(Core, _b.GetRemainingImageCount);

    /// <summary><c>isBufferOverflowed()</c>.</summary>
    public bool IsBufferOverflowed() => _jvm.Env.CallBoolean(Core, _b.IsBufferOverflowed);

    /// <summary><c>setCircularBufferMemoryFootprint(sizeMB)</c>.</summary>
    public void SetCircularBufferMemoryFootprint(long megabytes)
        => _jvm.Env.CallVoid(Core, _b.SetCircularBufferMemoryFootprint, [JValue.Long(megabytes)]);

    /// <summary><c>clearCircularBuffer()</c>.</summary>
    public void ClearCircularBuffer() => Void(_b.ClearCircularBuffer);

    /// <summary>
    /// <c>popNextImageMD(md)</c> (or <c>popNextImage()</c> when <paramref name="tags"/> is null): removes the oldest
    /// frame from the circular buffer and copies its pixels straight into <paramref name="destination"/> with one
    /// <c>Get&lt;Short|Byte&gt;ArrayRegion</c>; a null destination discards the frame.
    /// </summary>
    public void PopNextImage(ImageTags? tags, void* destination, int pixelCount, int bytesPerPixel)
    {
        var env = _jvm.Env;
        var method = tags is null ? _b.PopNextImage : _b.PopNextImageMd;
        using var image = new LocalRef(env, tags is null
            ? env.CallObject(Core, method)
            : env.CallObject(Core, method, [JValue.Object(tags.Handle)]));
        if (destination is not null)
        {
            CopyPixels(env, image.Handle, destination, pixelCount, bytesPerPixel, method.Display);
        }
    }

    private void CopyPixels(JniEnv env, nint image, void* destination, int pixelCount, int bytesPerPixel, string source)
    {
        var expected = bytesPerPixel == 1 ? _b.ByteArray : _b.ShortArray;
        if (image == 0 || !env.IsInstanceOf(image, expected.Handle))
        {
            throw new MicroManagerAcquisitionException(
                $"{source} returned {(image == 0 ? "null" : "an array of another type")} where {(bytesPerPixel == 1 ? "a byte[]" : "a short[]")} of {pixelCount} pixels was expected ({bytesPerPixel} bytes per pixel).");
        }

        var length = env.GetArrayLength(image);
        if (length != pixelCount)
        {
            throw new MicroManagerAcquisitionException(
                $"{source} returned an image of {length} pixels where {pixelCount} were expected; the camera's ROI, binning or pixel type changed during the acquisition.");
        }

        if (bytesPerPixel == 1)
        {
            env.GetByteArrayRegion(image, 0, length, (byte*)destination);
        }
        else
        {
            env.GetShortArrayRegion(image, 0, length, (short*)destination);
        }
    }

    // ---- stages ----

    /// <summary><c>setPosition(label, um)</c>.</summary>
    public void SetPosition(string label, double um)
    {
        var env = _jvm.Env;
        using var l = new LocalRef(env, env.NewString(label));
        env.CallVoid(Core, _b.SetPosition, [JValue.Object(l.Handle), JValue.Double(um)]);
    }

    /// <summary><c>getPosition(label)</c> in um.</summary>
    public double GetPosition(string label) => Double(_b.GetPosition, label);

    /// <summary><c>setXYPosition(label, x, y)</c> in um.</summary>
    public void SetXYPosition(string label, double x, double y)
    {
        var env = _jvm.Env;
        using var l = new LocalRef(env, env.NewString(label));
        env.CallVoid(Core, _b.SetXYPosition, [JValue.Object(l.Handle), JValue.Double(x), JValue.Double(y)]);
    }

    /// <summary><c>getXPosition(label)</c> in um.</summary>
    public double GetXPosition(string label) => Double(_b.GetXPosition, label);

    /// <summary><c>getYPosition(label)</c> in um.</summary>
    public double GetYPosition(string label) => Double(_b.GetYPosition, label);

    /// <summary><c>deviceBusy(label)</c>.</summary>
    public bool DeviceBusy(string label)
    {
        var env = _jvm.Env;
        using var l = new LocalRef(env, env.NewString(label));
        return env.CallBoolean(Core, _b.DeviceBusy, [JValue.Object(l.Handle)]);
    }

    /// <summary><c>stop(label)</c>: halts a moving stage.</summary>
    public void Stop(string label) => Void(_b.Stop, label);

    /// <summary>Property text parsed as a number, or null.</summary>
    public static double? ParseNumber(string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Calls <c>delete()</c> (freeing the native core, as SWIG objects need) and drops the reference.</summary>
    public void Dispose()
    {
        var core = Interlocked.Exchange(ref _core, 0);
        if (core == 0)
        {
            return;
        }

        var env = _jvm.Env;
        try
        {
            env.CallVoid(core, _b.Delete);
        }
        finally
        {
            env.DeleteGlobalRef(core);
        }
    }
}
