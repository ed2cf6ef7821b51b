using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Devices;
using Navigate.Plugins;
using Navigate.Plugins.MicroManager;
using Navigate.Plugins.MicroManager.Devices;
using Navigate.Plugins.MicroManager.Jni;

// Measures how fast 2048×2048 16-bit frames cross from MMCoreJ into pooled frames, against the MMCoreJ stand-in
// (a Micro-Manager-like install built by this project). Usage: dotnet run -c Release [-- frames]
var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
const int Size = 2048;
const long FrameBytes = (long)Size * Size * 2;

var install = Path.TrimEndingDirectorySeparator(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "MmcorejStandInInstallDir").Value!);
var dir = Directory.CreateTempSubdirectory("navigate-mm-bench-").FullName;
try
{
    // FastImage: the stand-in camera does not redraw each frame, as a real camera's pixels arrive from its driver;
    // what is measured is the core's circular buffer, MMCoreJ's short[] and our copy into the frame.
    File.WriteAllText(Path.Combine(dir, "bench.cfg"), """
        Device,Camera,DemoCamera,DCam
        Property,Camera,OnCameraCCDXSize,2048
        Property,Camera,OnCameraCCDYSize,2048
        Property,Camera,PixelType,16bit
        Property,Camera,FastImage,1
        Property,Core,Initialize,1
        Property,Core,Camera,Camera
        """);
    var settings = JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["micromanagerDir"] = install,
        ["configFile"] = "bench.cfg",
        ["circularBufferMB"] = 512,
        ["jvmOptions"] = "-Xmx3g",
    });
    var services = new ServiceCollection();
    new MicroManagerPlugin().ConfigureServices(services, new PluginContext("micromanager", dir, settings, NullLogger.Instance, dir));
    using var provider = services.BuildServiceProvider();
    using var camera = (MicroManagerCamera)provider.GetRequiredService<ICameraFactory>().Open();
    camera.Configure(camera.Settings with { ExposureSeconds = 0 });
    using var pool = new FramePool(16, Size, Size, PixelType.UInt16);

    Console.WriteLine($"Micro-Manager frame throughput, {Size}×{Size} uint16 ({FrameBytes / 1e6:F1} MB/frame), {Environment.ProcessorCount} cores, JVM {JavaVirtualMachine.Current!.LibraryPath}");
    Console.WriteLine();

    // 1. The copy alone: GetShortArrayRegion from one Java short[] into a pinned frame buffer.
    Measure("GetShortArrayRegion into a pooled frame (the one copy)", frames * 2, () => CopyOnly(pool, frames * 2));

    // 2. One frame through MMCoreJ without a camera thread: getImage (Java allocates and fills a short[]) + the copy.
    using (var snap = camera.Snap(pool))
    {
    }

    Measure("getImage + copy (per-frame JNI work of popNextImage)", frames, () => GetImageLoop(camera, pool, frames));

    // 3. Whole sequences: camera thread -> circular buffer -> popNextImageMD -> frame, the consumer disposing each
    //    frame at once. Free-running (exposure 0) shows the most the consumer can take while the camera thread
    //    competes for the same cores; paced at 8 ms (125 frames/s, 1.05 GB/s) and 5 ms (200 frames/s, 1.68 GB/s)
    //    shows whether those rates are kept without a drop.
    Sequence(camera, pool, 50, 0, report: false); // warm up: the core's buffer slots are allocated on first use
    Sequence(camera, pool, frames, 0, report: true);
    Sequence(camera, pool, frames, 8, report: true);
    Sequence(camera, pool, frames, 5, report: true);
}
finally
{
    Directory.Delete(dir, recursive: true);
}

static void Sequence(MicroManagerCamera camera, FramePool pool, int count, double exposureMs, bool report)
{
    camera.Configure(camera.Settings with { ExposureSeconds = exposureMs / 1000 });
    var sw = Stopwatch.StartNew();
    camera.StartSequence(pool, count);
    while (camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame) == FrameWaitResult.Frame)
    {
        frame!.Dispose();
    }

    sw.Stop();
    var c = camera.Counters;
    if (report)
    {
        var pace = exposureMs > 0 ? $"camera paced at {1000 / exposureMs:F0} frames/s" : "camera free-running";
        Report($"sequence of {count}, {pace}", c.FramesDelivered, sw.Elapsed, $"{c.FramesDelivered} delivered, {c.FramesDropped} dropped");
    }
}

static void Measure(string name, int count, Func<TimeSpan> body)
{
    body(); // warm up (JIT on both sides)
    var best = TimeSpan.MaxValue;
    for (var i = 0; i < 3; i++)
    {
        var t = body();
        best = t < best ? t : best;
    }

    Report(name, count, best, "best of 3");
}

static void Report(string name, long count, TimeSpan elapsed, string note)
{
    var gbps = count * FrameBytes / elapsed.TotalSeconds / 1e9;
    Console.WriteLine($"{name,-72} {count / elapsed.TotalSeconds,8:F1} frames/s {gbps,6:F2} GB/s  ({note})");
}

static unsafe TimeSpan CopyOnly(FramePool pool, int count)
{
    var env = JavaVirtualMachine.Current!.Env;
    var source = new short[Size * Size];
    using var array = new LocalRef(env, env.NewShortArray(source));
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var frame = pool.Rent(Size, Size);
        env.GetShortArrayRegion(array.Handle, 0, Size * Size, (short*)frame.Address);
    }

    return sw.Elapsed;
}

static unsafe TimeSpan GetImageLoop(MicroManagerCamera camera, FramePool pool, int count)
{
    var core = camera.Core;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        using var frame = pool.Rent(Size, Size);
        core.GetImage((void*)frame.Address, Size * Size, 2);
    }

    return sw.Elapsed;
}
