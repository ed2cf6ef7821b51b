using System.Reflection;
using System.Runtime.InteropServices;
using Navigate.Devices;

namespace Navigate.Plugins.Hamamatsu.Tests.Simulator;

/// <summary>
/// The DCAM-API simulator built from native/dcamapi-sim by this project's BuildDcamSimulator target: where it is, its
/// test hooks (dcamsim_*), its environment, and the frame content it writes.
/// </summary>
internal static unsafe partial class DcamSim
{
    /// <summary>The two cameras every test starts with (DCAMSIM_CAMERAS).</summary>
    public const string DefaultCameras = "C13440-20CU/301234,C15440-20UP/500678";

    /// <summary>Full path of the built libdcamapi.so.</summary>
    public static string LibraryPath { get; } = typeof(DcamSim).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "DcamSimLibrary").Value!;

    private static readonly Lazy<nint> Handle = new(() => NativeLibrary.Load(LibraryPath));

    /// <summary>Plugin options that point at the simulator, with a small ring.</summary>
    public static HamamatsuCameraOptions Options(int ringFrames = 8) => new() { LibraryPath = LibraryPath, RingFrames = ringFrames };

    /// <summary>Skips the test where the simulator cannot be built (it needs a POSIX C11 toolchain).</summary>
    public static void RequireBuilt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("The DCAM-API simulator is built for Linux only.");
        }

        Assert.True(File.Exists(LibraryPath), $"The simulator was not built at {LibraryPath}; the BuildDcamSimulator target runs cmake.");
    }

    /// <summary>Sets an environment variable in the native environment the simulator reads with getenv.</summary>
    /// <remarks>Environment.SetEnvironmentVariable changes only .NET's own copy on Unix.</remarks>
    public static void SetEnvironment(string name, string? value)
    {
        var result = value is null ? unsetenv(name) : setenv(name, value, 1);
        Assert.Equal(0, result);
    }

    public static Stats GetStats()
    {
        var stats = new Stats { Size = sizeof(Stats) };
        var get = (delegate* unmanaged<Stats*, int>)Export("dcamsim_get_stats");
        Assert.Equal(1, get(&stats));
        return stats;
    }

    public static void ResetStats() => ((delegate* unmanaged<int>)Export("dcamsim_reset_stats"))();

    /// <summary>Waits until camera <paramref name="index"/> has captured <paramref name="count"/> frames in its sequence.</summary>
    public static void WaitCaptured(int index, long count, int timeoutMilliseconds = 10_000)
    {
        var wait = (delegate* unmanaged<int, long, int, int>)Export("dcamsim_wait_captured");
        var err = wait(index, count, timeoutMilliseconds);
        Assert.True(err == 1, $"camera {index} did not capture {count} frames within {timeoutMilliseconds} ms");
    }

    /// <summary>Makes the next call of <paramref name="function"/> fail with <paramref name="error"/>.</summary>
    public static void FailNext(string? function, int error = 0)
    {
        var fail = (delegate* unmanaged<byte*, int, int>)Export("dcamsim_fail_next");
        if (function is null)
        {
            fail(null, 0);
            return;
        }

        var bytes = System.Text.Encoding.ASCII.GetBytes(function + "\0");
        fixed (byte* p = bytes)
        {
            fail(p, error);
        }
    }

    /// <summary>offsetof / sizeof as the C compiler laid the struct out (field -1: sizeof).</summary>
    public static int Layout(int structure, int field) => ((delegate* unmanaged<int, int, int>)Export("dcamsim_layout"))(structure, field);

    /// <summary>The pixel the simulator writes at (x, y) of frame <paramref name="frame"/> (before the header).</summary>
    public static ushort Pattern(int x, int y, int hpos, int vpos, int binning, long frame)
        => unchecked((ushort)((3 * (hpos + (x * binning))) + (5 * (vpos + (y * binning))) + frame));

    /// <summary>The frame number the simulator wrote into the first four pixels.</summary>
    public static long HeaderNumber(Frame frame)
    {
        var pixels = frame.Pixels<ushort>();
        return pixels[0] | ((long)pixels[1] << 16) | ((long)pixels[2] << 32) | ((long)pixels[3] << 48);
    }

    /// <summary>Asserts the frame's header is its frame number and every other pixel is the simulator's pattern.</summary>
    public static void AssertContent(Frame frame, int hpos, int vpos, int binning)
    {
        Assert.Equal(frame.FrameNumber, HeaderNumber(frame));
        var pixels = frame.Pixels<ushort>();
        var expected = new ushort[frame.Width];
        for (var y = 0; y < frame.Height; y++)
        {
            for (var x = 0; x < frame.Width; x++)
            {
                expected[x] = Pattern(x, y, hpos, vpos, binning, frame.FrameNumber);
            }

            var skip = y == 0 ? Math.Min(4, frame.Width) : 0; // the header
            var row = pixels.Slice((y * frame.Width) + skip, frame.Width - skip);
            if (!row.SequenceEqual(expected.AsSpan(skip)))
            {
                var x = skip + row.CommonPrefixLength(expected.AsSpan(skip));
                Assert.Fail($"frame {frame.FrameNumber} pixel ({x}, {y}) is {pixels[(y * frame.Width) + x]}, expected {expected[x]}");
            }
        }
    }

    private static nint Export(string name) => NativeLibrary.GetExport(Handle.Value, name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);

    [StructLayout(LayoutKind.Sequential)]
    public struct Stats
    {
        public int Size;
        public int Initialized;
        public int InitCalls;
        public int UninitCalls;
        public int OpenCameras;
        public int OpenWaits;
        public int Attached;
        public int Capturing;
        public int DeviceCount;
        public int Reserved;
    }
}
