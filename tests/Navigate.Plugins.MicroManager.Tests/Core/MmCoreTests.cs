using Navigate.Plugins.MicroManager.Core;
using Navigate.Plugins.MicroManager.Jni;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Core;

/// <summary>The typed MMCoreJ proxy against the stand-in core.</summary>
[Collection(SharedJvm.Name)]
public sealed unsafe class MmCoreTests(JvmFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("navigate-mmcore-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string text, string name = "test.cfg")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private MmCore LoadedCore(string? config = null)
    {
        var core = MmCore.Create(fixture.Jvm);
        core.SetDeviceAdapterSearchPaths([StandIn.InstallDir]);
        core.LoadSystemConfiguration(config ?? Config(StandIn.DemoConfig));
        return core;
    }

    [Fact]
    public void Loads_a_configuration_and_reports_devices_roles_and_properties()
    {
        using var core = LoadedCore();
        Assert.StartsWith("MMCore version ", core.GetVersionInfo());
        Assert.Equal(["DHub", "Camera", "Z", "XY", "Core"], core.GetLoadedDevices());
        Assert.Equal("Camera", core.GetCameraDevice());
        Assert.Equal("Z", core.GetFocusDevice());
        Assert.Equal("XY", core.GetXYStageDevice());
        Assert.Equal("DemoCamera", core.GetDeviceLibrary("Camera"));
        Assert.Equal("DCam", core.GetDeviceName("Camera"));
        Assert.Equal("Demo Camera Device Adapter", core.GetDeviceDescription("Camera"));
        Assert.Contains("Binning", core.GetDevicePropertyNames("Camera"));
        Assert.Equal(["1", "2", "4", "8"], core.GetAllowedPropertyValues("Camera", "Binning"));
        Assert.True(core.HasProperty("Camera", "Exposure"));
        Assert.False(core.HasProperty("Camera", "NoSuchProperty"));
        Assert.True(core.IsPropertyReadOnly("Camera", "Name"));
        Assert.True(core.HasPropertyLimits("Camera", "Exposure"));
        Assert.Equal(0.0, core.GetPropertyLowerLimit("Camera", "Exposure"));
        Assert.Equal(10000.0, core.GetPropertyUpperLimit("Camera", "Exposure"));
        Assert.Equal(2.0, core.GetExposure());
        Assert.Equal((512L, 512L, 2L, 16L, 1L), (core.GetImageWidth(), core.GetImageHeight(), core.GetBytesPerPixel(), core.GetImageBitDepth(), core.GetNumberOfComponents()));
    }

    [Fact]
    public void An_unknown_label_throws_the_cores_message()
    {
        using var core = LoadedCore();
        var e = Assert.Throws<JavaException>(() => core.GetProperty("Nope", "Exposure"));
        Assert.Equal("java.lang.Exception", e.JavaClass);
        Assert.Equal("No device with label \"Nope\"", e.JavaMessage);
        Assert.Equal("mmcorej.CMMCore.getProperty(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String; threw java.lang.Exception: No device with label \"Nope\"", e.Message);
    }

    [Fact]
    public void A_bad_property_value_throws_the_devices_message()
    {
        using var core = LoadedCore();
        var e = Assert.Throws<JavaException>(() => core.SetProperty("Camera", "Binning", "3"));
        Assert.Equal("Error in device \"Camera\": Invalid property value \"3\" for property Binning (allowed: 1, 2, 4, 8)", e.JavaMessage);
        Assert.Equal("1", core.GetProperty("Camera", "Binning"));
    }

    [Fact]
    public void A_missing_configuration_file_throws_File_open_failed()
    {
        using var core = MmCore.Create(fixture.Jvm);
        var missing = Path.Combine(_dir, "none.cfg");
        var e = Assert.Throws<JavaException>(() => core.LoadSystemConfiguration(missing));
        Assert.Equal($"\"{missing}\": File open failed.", e.JavaMessage);
    }

    [Fact]
    public void A_device_adapter_that_cannot_be_found_fails_the_configuration_at_its_line()
    {
        using var core = MmCore.Create(fixture.Jvm);
        core.SetDeviceAdapterSearchPaths([StandIn.InstallDir]);
        var cfg = Config("Property,Core,Initialize,0\nDevice,Cam,AndorSDK3,Andor sCMOS Camera\nProperty,Core,Initialize,1\n");
        var e = Assert.Throws<JavaException>(() => core.LoadSystemConfiguration(cfg));
        Assert.StartsWith("Line 2: Device,Cam,AndorSDK3,Andor sCMOS Camera\nFailed to load device adapter \"AndorSDK3\" from \"libmmgr_dal_AndorSDK3.so.0\"", e.JavaMessage);
        Assert.Equal(["Core"], core.GetLoadedDevices());
    }

    [Fact]
    public void Device_adapters_are_found_only_in_the_search_paths()
    {
        using var core = MmCore.Create(fixture.Jvm);
        core.SetDeviceAdapterSearchPaths([_dir]);
        var e = Assert.Throws<JavaException>(() => core.LoadSystemConfiguration(Config(StandIn.DemoConfig)));
        Assert.Contains("Failed to load device adapter \"DemoCamera\"", e.JavaMessage);
    }

    [Fact]
    public void The_ROI_round_trips_in_binned_pixels()
    {
        using var core = LoadedCore();
        core.SetRoi(10, 20, 100, 50);
        Assert.Equal((10, 20, 100, 50), core.GetRoi());
        Assert.Equal((100L, 50L), (core.GetImageWidth(), core.GetImageHeight()));
        core.SetProperty("Camera", "Binning", "2");
        Assert.Equal((0, 0, 256, 256), core.GetRoi());
        core.ClearRoi();
        var e = Assert.Throws<JavaException>(() => core.SetRoi(200, 0, 100, 10));
        Assert.Contains("Invalid ROI 200,0,100,10 (the image is 256 x 256 pixels at binning 2)", e.JavaMessage);
    }

    [Fact]
    public void Snapped_images_cross_in_one_copy_and_local_references_do_not_pile_up_over_100k_calls()
    {
        // 100k images of 48x48 16-bit pixels: 460 MB through a 384 MB heap, which only works if every short[]
        // returned by getImage is released right after its copy.
        using var core = LoadedCore();
        core.SetProperty("Camera", "Exposure", "0");
        core.SetRoi(64, 32, 48, 48);
        core.SnapImage();
        var pixels = new ushort[48 * 48];
        fixed (ushort* p = pixels)
        {
            for (var i = 0; i < 100_000; i++)
            {
                core.GetImage(p, pixels.Length, 2);
            }
        }

        for (var y = 0; y < 48; y++)
        {
            for (var x = 0; x < 48; x++)
            {
                Assert.Equal(StandIn.Pixel(0, 64 + x, 32 + y), pixels[(y * 48) + x]);
            }
        }

        for (var i = 0; i < 20_000; i++)
        {
            Assert.Equal("Camera", core.GetCameraDevice());
        }
    }

    [Fact]
    public void Sequence_frames_carry_the_cores_image_number_and_elapsed_time()
    {
        using var core = LoadedCore();
        using var tags = new ImageTags(core);
        core.SetProperty("Camera", "Exposure", "1");
        core.StartSequenceAcquisition(5, 0, false);
        var pixels = new ushort[512 * 512];
        var popped = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (popped < 5 && DateTime.UtcNow < deadline)
        {
            if (core.GetRemainingImageCount() == 0)
            {
                Thread.Sleep(1);
                continue;
            }

            fixed (ushort* p = pixels)
            {
                core.PopNextImage(tags, p, pixels.Length, 2);
            }

            Assert.True(tags.HasImageNumber());
            Assert.Equal(popped, tags.ImageNumber());
            Assert.True(tags.ElapsedMilliseconds() >= 0);
            Assert.Equal(StandIn.Pixel(popped, 0, 0), pixels[0]);
            Assert.Equal(StandIn.Pixel(popped, 511, 511), pixels[^1]);
            popped++;
        }

        Assert.Equal(5, popped);
        var e = Assert.Throws<JavaException>(() => core.PopNextImage(tags, null, pixels.Length, 2));
        Assert.Equal("Circular buffer is empty.", e.JavaMessage);
    }

    [Fact]
    public void A_pixel_array_of_the_wrong_size_or_type_is_refused_before_copying()
    {
        using var core = LoadedCore();
        core.SetProperty("Camera", "Exposure", "0");
        core.SnapImage();
        var pixels = new byte[512 * 512 * 2];
        fixed (byte* p = pixels)
        {
            var address = (nint)p;
            var size = Assert.Throws<MicroManagerAcquisitionException>(() => core.GetImage((void*)address, 1000, 2));
            Assert.Equal("mmcorej.CMMCore.getImage()Ljava/lang/Object; returned an image of 262144 pixels where 1000 were expected; the camera's ROI, binning or pixel type changed during the acquisition.", size.Message);
            var type = Assert.Throws<MicroManagerAcquisitionException>(() => core.GetImage((void*)address, 512 * 512, 1));
            Assert.Contains("returned an array of another type where a byte[] of 262144 pixels was expected", type.Message);
        }
    }
}
