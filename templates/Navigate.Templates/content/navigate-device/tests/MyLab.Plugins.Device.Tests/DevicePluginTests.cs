using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Devices;
using Navigate.Plugins;

namespace MyLab.Plugins.Device.Tests;

/// <summary>What the host sees: the plugin's info and what it registers from its plugins.json settings.</summary>
public sealed class DevicePluginTests
{
    private static PluginContext Context(string settingsJson)
        => new("MyLab.Plugins.Device", AppContext.BaseDirectory, JsonDocument.Parse(settingsJson).RootElement.Clone(), NullLogger.Instance, AppContext.BaseDirectory);

    private static ServiceCollection Configure(string settingsJson)
    {
        var services = new ServiceCollection();
        new DevicePlugin().ConfigureServices(services, Context(settingsJson));
        return services;
    }

    [Fact]
    public void DeclaresTheApiVersionItWasCompiledAgainst()
    {
        var info = new DevicePlugin().Info;

        Assert.Equal("MyLab.Plugins.Device", info.Name);
        Assert.Equal(NavigateApi.Version, info.ApiVersion);
        Assert.StartsWith("1.0.0", info.Version, StringComparison.Ordinal);
    }
//#if (IncludeCamera)

    [Fact]
    public void RegistersTheCameraWithTheSensorFromSettings()
    {
        var factory = Assert.IsType<SimulatedCameraFactory>(Assert.Single(Configure("""{ "sensorWidth": 256, "sensorHeight": 128 }"""), d => d.ServiceType == typeof(ICameraFactory)).ImplementationInstance);

        Assert.Equal(DevicePlugin.DeviceName, factory.Name);
        using var camera = factory.Open();
        Assert.Equal((256, 128), (camera.Info.SensorWidth, camera.Info.SensorHeight));
    }

    [Fact]
    public void ASensorSizeThatIsNotAWholeNumberIsReported()
    {
        var e = Assert.Throws<FormatException>(() => Configure("""{ "sensorWidth": 12.5 }"""));

        Assert.Equal("plugins.json: setting 'sensorWidth' of plugin 'MyLab.Plugins.Device' is 12.5; expected a whole number of at least 4.", e.Message);
    }
//#endif
//#if (IncludeStage)

    [Fact]
    public void RegistersTheStageWithTheLimitsFromSettings()
    {
        var factory = Assert.IsType<SimulatedStageFactory>(Assert.Single(Configure("""{ "limits": { "x": [-5, 5], "theta": [0, 360] } }"""), d => d.ServiceType == typeof(IStageFactory)).ImplementationInstance);

        Assert.Equal(DevicePlugin.DeviceName, factory.Name);
        using var stage = factory.Open();
        Assert.Equal([StageAxis.X, StageAxis.Theta], stage.Axes);
        Assert.Equal(new AxisLimits(0, 360), stage.GetLimits(StageAxis.Theta));
    }

    [Fact]
    public void WithoutLimitsTheStageHasTheDefaultTravel()
    {
        var factory = Assert.IsType<SimulatedStageFactory>(Assert.Single(Configure("{}"), d => d.ServiceType == typeof(IStageFactory)).ImplementationInstance);

        using var stage = factory.Open();
        Assert.Equal([StageAxis.X, StageAxis.Y, StageAxis.Z, StageAxis.F], stage.Axes);
    }

    [Theory]
    [InlineData("""{ "limits": { "q": [0, 1] } }""", "names axis 'q'; expected x, y, z, theta or f.")]
    [InlineData("""{ "limits": { "z": [5, 1] } }""", "setting 'limits.z' of plugin 'MyLab.Plugins.Device' is [5, 1]; expected [minimum, maximum] with minimum < maximum.")]
    [InlineData("""{ "limits": [0, 1] }""", "setting 'limits' of plugin 'MyLab.Plugins.Device' is Array; expected an object")]
    public void MalformedLimitsAreReportedWithTheAxisAndValue(string settings, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Configure(settings));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
//#endif
}
