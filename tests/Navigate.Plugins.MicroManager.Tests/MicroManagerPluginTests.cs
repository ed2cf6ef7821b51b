using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests;

/// <summary>Registration and the errors found before any JVM is needed.</summary>
public sealed class MicroManagerPluginTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("navigate-mm-plugin-").FullName;

    public MicroManagerPluginTests()
    {
        File.WriteAllText(Path.Combine(_dir, "demo.cfg"), StandIn.DemoConfig);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ServiceCollection Configure(JsonObject? settings = null)
    {
        var services = new ServiceCollection();
        new MicroManagerPlugin().ConfigureServices(services, MicroManagerRig.Context(_dir, settings));
        return services;
    }

    private static JsonObject Without(string key)
    {
        var json = new JsonObject { [key] = null };
        return json;
    }

    [Fact]
    public void Registers_the_camera_and_the_stages_the_configuration_assigns()
    {
        using var provider = Configure().BuildServiceProvider();
        Assert.Equal(["micromanager"], provider.GetServices<ICameraFactory>().Select(f => f.Name));
        Assert.Equal(["micromanager:focus", "micromanager:xy"], provider.GetServices<IStageFactory>().Select(f => f.Name));
        Assert.Equal(new PluginInfo("Navigate.Plugins.MicroManager", "1.0.0", NavigateApi.Version), new MicroManagerPlugin().Info);
    }

    [Fact]
    public void The_name_setting_prefixes_every_device()
    {
        using var provider = Configure(new JsonObject { ["name"] = "scope2" }).BuildServiceProvider();
        Assert.Equal(["scope2"], provider.GetServices<ICameraFactory>().Select(f => f.Name));
        Assert.Equal(["scope2:focus", "scope2:xy"], provider.GetServices<IStageFactory>().Select(f => f.Name));
    }

    [Fact]
    public void A_configuration_without_stage_roles_registers_no_stages()
    {
        File.WriteAllText(Path.Combine(_dir, "camera-only.cfg"), "Device,Camera,DemoCamera,DCam\nProperty,Core,Initialize,1\nProperty,Core,Camera,Camera\n");
        using var provider = Configure(new JsonObject { ["configFile"] = "camera-only.cfg" }).BuildServiceProvider();
        Assert.Single(provider.GetServices<ICameraFactory>());
        Assert.Empty(provider.GetServices<IStageFactory>());
    }

    [Fact]
    public void A_missing_micromanagerDir_setting_is_named()
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(Without("micromanagerDir")));
        Assert.Equal("plugins.json, plugin 'micromanager': the setting 'micromanagerDir' (the Micro-Manager 2 install folder) is missing.", e.Message);
    }

    [Fact]
    public void A_missing_configFile_setting_is_named()
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(Without("configFile")));
        Assert.Equal("plugins.json, plugin 'micromanager': the setting 'configFile' (the hardware configuration .cfg to load) is missing.", e.Message);
    }

    [Fact]
    public void A_micromanagerDir_that_does_not_exist_is_named()
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(new JsonObject { ["micromanagerDir"] = "/opt/Micro-Manager-2.0" }));
        Assert.Equal("micromanagerDir '/opt/Micro-Manager-2.0' does not exist; point it at a Micro-Manager 2 install folder.", e.Message);
    }

    [Fact]
    public void A_missing_MMCoreJ_jar_names_the_path_looked_at()
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(new JsonObject { ["micromanagerDir"] = _dir }));
        Assert.Equal($"MMCoreJ.jar not found at '{_dir}/plugins/Micro-Manager/MMCoreJ.jar' (the default under micromanagerDir); is '{_dir}' a Micro-Manager 2 install? Set 'mmcorejJar' if the jar lives elsewhere.", e.Message);

        var explicitJar = Assert.Throws<MicroManagerConfigurationException>(() => Configure(new JsonObject { ["mmcorejJar"] = "lib/MMCoreJ.jar" }));
        Assert.Equal($"mmcorejJar '{_dir}/lib/MMCoreJ.jar' does not exist.", explicitJar.Message);
    }

    [Fact]
    public void A_missing_configuration_file_is_named()
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(new JsonObject { ["configFile"] = "scope.cfg" }));
        Assert.Equal($"configFile '{_dir}/scope.cfg' does not exist; save one with Micro-Manager's Hardware Configuration Wizard.", e.Message);
    }

    [Fact]
    public void No_JVM_at_javaHome_fails_with_the_paths_tried()
    {
        var e = Assert.Throws<JvmNotFoundException>(() => Configure(new JsonObject { ["javaHome"] = "/opt/jdk-none" }));
        Assert.Contains("javaHome = '/opt/jdk-none'", e.Message);
        Assert.Contains("/opt/jdk-none/lib/server/libjvm.so", e.Message);
        Assert.Contains("/opt/jdk-none/lib/server/libjvm.so", e.PathsTried);
    }

    [Theory]
    [InlineData("circularBufferMB", "0.5", "'circularBufferMB' is 0.5; expected a whole number of megabytes, at least 1.")]
    [InlineData("focusAxis", "\"Q\"", "'focusAxis' is 'Q'; expected \"Z\" or \"F\".")]
    [InlineData("focusLimitsUm", "[5]", "'focusLimitsUm' is [5]; expected [min, max] in µm with min <= max.")]
    [InlineData("xLimitsUm", "[10, -10]", "'xLimitsUm' is [10,-10]; expected [min, max] in µm with min <= max.")]
    [InlineData("stopOnOverflow", "\"yes\"", "'stopOnOverflow' is \"yes\"; expected true or false.")]
    [InlineData("jvmOptions", "[1, 2]", "'jvmOptions' is [1,2]; expected an array of strings.")]
    [InlineData("sensorPixelSizeUm", "\"big\"", "setting 'sensorPixelSizeUm' of plugin 'micromanager' is 'big'; expected a number.")]
    public void A_setting_of_the_wrong_form_is_named_with_what_was_expected(string key, string json, string expected)
    {
        var e = Assert.Throws<MicroManagerConfigurationException>(() => Configure(new JsonObject { [key] = JsonNode.Parse(json) }));
        Assert.StartsWith("plugins.json", e.Message);
        Assert.EndsWith(expected, e.Message);
    }

    [Fact]
    public void Settings_are_read_with_paths_resolved_against_plugins_json()
    {
        var settings = MicroManagerSettings.FromContext(MicroManagerRig.Context(_dir, new JsonObject
        {
            ["jvmOptions"] = new JsonArray("-Xmx2g", "-XX:+UseG1GC"),
            ["deviceAdapterPaths"] = new JsonArray("adapters"),
            ["focusLimitsUm"] = new JsonArray(-100, 250.5),
            ["stopOnOverflow"] = true,
            ["sensorPixelSizeUm"] = 6.5,
        }));
        Assert.Equal(StandIn.InstallDir, settings.MicromanagerDir);
        Assert.Equal(Path.Combine(_dir, "demo.cfg"), settings.ConfigFile);
        Assert.Equal(StandIn.Jar, settings.MmcorejJarPath);
        Assert.Equal(["-Xmx2g", "-XX:+UseG1GC"], settings.JvmOptions);
        Assert.Equal([Path.Combine(_dir, "adapters")], settings.DeviceAdapterPaths!);
        Assert.Equal(new AxisLimits(-100, 250.5), settings.FocusLimitsUm);
        Assert.Null(settings.XLimitsUm);
        Assert.Equal(64, settings.CircularBufferMB);
        Assert.True(settings.StopOnOverflow);
        Assert.Equal(6.5, settings.SensorPixelSizeUm);
        Assert.Equal(StageAxis.Z, settings.FocusAxis);
        Assert.Equal("micromanager", settings.Name);
    }
}

/// <summary>Errors that appear when a device is opened: the configuration is loaded by the (stand-in) core.</summary>
[Collection(SharedJvm.Name)]
public sealed class MicroManagerPluginOpenTests
{
    private static MicroManagerConfigurationException OpenFails(string config)
    {
        using var rig = MicroManagerRig.Create(config);
        return Assert.Throws<MicroManagerConfigurationException>(() => rig.CameraFactory.Open());
    }

    [Fact]
    public void A_configuration_the_core_cannot_load_fails_with_the_cores_message_and_the_host_carries_on()
    {
        var config = StandIn.DemoConfig.Replace("Device,Camera,DemoCamera,DCam", "Device,Camera,PCO_Camera,pco_camera", StringComparison.Ordinal);
        var e = OpenFails(config);
        Assert.Contains("Micro-Manager could not load the configuration '", e.Message);
        Assert.Contains("Line 8: Device,Camera,PCO_Camera,pco_camera\nFailed to load device adapter \"PCO_Camera\"", e.Message);
        var java = Assert.IsType<JavaException>(e.InnerException);
        Assert.Equal("java.lang.Exception", java.JavaClass);

        using var rig = MicroManagerRig.Create();
        using var camera = rig.CameraFactory.Open();
        Assert.Equal(512, camera.Info.SensorWidth);
    }

    [Fact]
    public void A_bad_property_value_in_the_configuration_names_its_line()
    {
        var e = OpenFails(StandIn.DemoConfig.Replace("Property,Camera,PixelType,16bit", "Property,Camera,PixelType,12bit", StringComparison.Ordinal));
        Assert.Contains("Line 13: Property,Camera,PixelType,12bit\nError in device \"Camera\": Invalid property value \"12bit\" for property PixelType (allowed: 8bit, 16bit)", e.Message);
    }

    [Fact]
    public void An_unknown_label_in_the_configuration_names_it()
    {
        var e = OpenFails(StandIn.DemoConfig + "\nProperty,Camera2,Exposure,10\n");
        Assert.Contains("Property,Camera2,Exposure,10\nNo device with label \"Camera2\"", e.Message);
    }

    [Fact]
    public void A_configuration_without_a_camera_says_so_when_the_camera_is_opened()
    {
        var e = OpenFails("Device,Z,DemoCamera,DStage\nProperty,Core,Initialize,1\nProperty,Core,Focus,Z\n");
        Assert.EndsWith("assigns no camera: add a line 'Property,Core,Camera,<label>' for one of its camera devices.", e.Message);
    }

    [Fact]
    public void An_8_bit_camera_delivers_UInt8_frames()
    {
        using var rig = MicroManagerRig.Create(StandIn.DemoConfig.Replace("Property,Camera,PixelType,16bit", "Property,Camera,PixelType,8bit", StringComparison.Ordinal));
        using var camera = (MicroManager.Devices.MicroManagerCamera)rig.CameraFactory.Open();
        Assert.Equal((PixelType.UInt8, 8), (camera.Info.PixelType, camera.Info.BitDepth));
        using var pool = new FramePool(4, 512, 512, PixelType.UInt8);
        camera.Configure(camera.Settings with { ExposureSeconds = 0 });
        camera.StartSequence(pool, 3);
        for (var n = 0; n < 3; n++)
        {
            Assert.Equal(FrameWaitResult.Frame, camera.WaitForFrame(TimeSpan.FromSeconds(10), out var frame, TestContext.Current.CancellationToken));
            using (frame)
            {
                Assert.Equal(PixelType.UInt8, frame!.PixelType);
                var pixels = frame.Pixels<byte>();
                for (var i = 0; i < pixels.Length; i++)
                {
                    Assert.Equal((byte)(n + (i % 512) + (4 * (i / 512))), pixels[i]);
                }
            }
        }
    }
}
