using System.Text.Json.Nodes;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Devices;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Devices;

[Collection(SharedJvm.Name)]
public sealed class MicroManagerStageTests
{
    [Fact]
    public async Task The_focus_stage_moves_and_reads_back_within_the_limits_of_its_Position_property()
    {
        using var rig = MicroManagerRig.Create();
        using var stage = (MicroManagerStage)rig.StageFactory("micromanager:focus").Open();
        Assert.Equal("Z", stage.Label);
        Assert.Equal([StageAxis.Z], stage.Axes);
        Assert.Equal(new AxisLimits(-300, 300), stage.GetLimits(StageAxis.Z));

        await stage.MoveToAsync(new StagePosition(Z: 120.5), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(Z: 120.5), stage.GetPosition());
        await stage.MoveByAsync(new StagePosition(Z: -20), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(Z: 100.5), stage.GetPosition());

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stage.MoveToAsync(new StagePosition(Z: 400), TestContext.Current.CancellationToken).AsTask());
        Assert.StartsWith("Z = 400 µm is outside the limits of stage 'micromanager:focus' (Z): -300 to 300 µm; nothing moved.", e.Message);
        Assert.Equal(new StagePosition(Z: 100.5), stage.GetPosition());
    }

    [Fact]
    public async Task Limits_from_the_settings_take_precedence_and_the_focus_axis_can_be_F()
    {
        using var rig = MicroManagerRig.Create(settings: new JsonObject { ["focusLimitsUm"] = new JsonArray(-50, 50), ["focusAxis"] = "F" });
        using var stage = rig.StageFactory("micromanager:focus").Open();
        Assert.Equal([StageAxis.F], stage.Axes);
        Assert.Equal(new AxisLimits(-50, 50), stage.GetLimits(StageAxis.F));
        await stage.MoveToAsync(new StagePosition(F: -49), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(F: -49), stage.GetPosition());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stage.MoveToAsync(new StagePosition(F: 100), TestContext.Current.CancellationToken).AsTask());
        var axis = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stage.MoveToAsync(new StagePosition(Z: 1), TestContext.Current.CancellationToken).AsTask());
        Assert.StartsWith("Stage 'micromanager:focus' (Z) has no Z axis; its axes are F.", axis.Message);
    }

    [Fact]
    public async Task The_XY_stage_moves_both_axes_or_one_keeping_the_other()
    {
        using var rig = MicroManagerRig.Create();
        using var stage = rig.StageFactory("micromanager:xy").Open();
        Assert.Equal([StageAxis.X, StageAxis.Y], stage.Axes);
        await stage.MoveToAsync(new StagePosition(X: 1000, Y: 2000), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(X: 1000, Y: 2000), stage.GetPosition());
        await stage.MoveToAsync(new StagePosition(Y: 2500), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(X: 1000, Y: 2500), stage.GetPosition());
        await stage.MoveByAsync(new StagePosition(X: 10.25), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(X: 1010.25, Y: 2500), stage.GetPosition());
    }

    [Fact]
    public async Task Without_configured_limits_the_device_refuses_a_move_beyond_its_travel_with_its_own_message()
    {
        using var rig = MicroManagerRig.Create();
        using var stage = rig.StageFactory("micromanager:xy").Open();
        Assert.Equal(new AxisLimits(double.NegativeInfinity, double.PositiveInfinity), stage.GetLimits(StageAxis.X));
        var e = await Assert.ThrowsAsync<JavaException>(() => stage.MoveToAsync(new StagePosition(X: 25000, Y: 0), TestContext.Current.CancellationToken).AsTask());
        Assert.Equal("Error in device \"XY\": Position (25000.0, 0.0) um is out of range (0.0 to 20000.0 um on both axes)", e.JavaMessage);
        Assert.Equal(new StagePosition(X: 0, Y: 0), stage.GetPosition());
    }

    [Fact]
    public async Task Configured_XY_limits_refuse_a_move_before_anything_moves()
    {
        using var rig = MicroManagerRig.Create(settings: new JsonObject { ["xLimitsUm"] = new JsonArray(0, 5000), ["yLimitsUm"] = new JsonArray(0, 4000) });
        using var stage = rig.StageFactory("micromanager:xy").Open();
        await stage.MoveToAsync(new StagePosition(X: 100, Y: 100), TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stage.MoveToAsync(new StagePosition(X: 200, Y: 4500), TestContext.Current.CancellationToken).AsTask());
        Assert.StartsWith("Y = 4500 µm is outside the limits of stage 'micromanager:xy' (XY): 0 to 4000 µm; nothing moved.", e.Message);
        Assert.Equal(new StagePosition(X: 100, Y: 100), stage.GetPosition());
        Assert.Throws<ArgumentOutOfRangeException>(() => stage.GetLimits(StageAxis.Theta));
    }

    [Fact]
    public async Task A_cancelled_move_does_not_start()
    {
        using var rig = MicroManagerRig.Create();
        using var stage = rig.StageFactory("micromanager:focus").Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stage.MoveToAsync(new StagePosition(Z: 10), cancelled.Token).AsTask());
        Assert.Equal(new StagePosition(Z: 0), stage.GetPosition());
    }

    [Fact]
    public async Task The_camera_and_the_stages_share_one_core_that_is_unloaded_when_the_last_closes()
    {
        using var rig = MicroManagerRig.Create();
        var camera = rig.OpenCamera();
        var focus = rig.StageFactory("micromanager:focus").Open();
        var xy = rig.StageFactory("micromanager:xy").Open();
        var core = camera.Core;
        await focus.MoveToAsync(new StagePosition(Z: 50), TestContext.Current.CancellationToken);
        camera.Dispose();
        Assert.Equal(50, focus.GetPosition().Z);
        focus.Dispose();
        using (var again = rig.OpenCamera())
        {
            Assert.Same(core, again.Core);
        }

        xy.Dispose();
        using var fresh = rig.OpenCamera();
        using var freshFocus = rig.StageFactory("micromanager:focus").Open();
        Assert.NotSame(core, fresh.Core);
        Assert.Equal(0, freshFocus.GetPosition().Z);
    }
}
