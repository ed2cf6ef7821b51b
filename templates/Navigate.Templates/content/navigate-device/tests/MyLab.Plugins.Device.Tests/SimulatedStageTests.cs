using Navigate.Devices;

namespace MyLab.Plugins.Device.Tests;

public sealed class SimulatedStageTests : IDisposable
{
    private readonly SimulatedStage _stage = new("test-stage", new Dictionary<StageAxis, AxisLimits>
    {
        [StageAxis.X] = new(-100, 100),
        [StageAxis.Z] = new(10, 50),
    });

    public void Dispose() => _stage.Dispose();

    [Fact]
    public void HasTheConfiguredAxesAndStartsInsideTheirLimits()
    {
        Assert.Equal([StageAxis.X, StageAxis.Z], _stage.Axes);
        Assert.Equal(new AxisLimits(10, 50), _stage.GetLimits(StageAxis.Z));
        Assert.Equal(new StagePosition(X: 0, Z: 10), _stage.GetPosition());
    }

    [Fact]
    public async Task MovesToAbsoluteAndByRelativePositions()
    {
        await _stage.MoveToAsync(new StagePosition(X: 40, Z: 20), TestContext.Current.CancellationToken);
        await _stage.MoveByAsync(new StagePosition(X: -15), TestContext.Current.CancellationToken);

        Assert.Equal(new StagePosition(X: 25, Z: 20), _stage.GetPosition());
    }

    [Fact]
    public async Task ATargetOutsideTheLimitsMovesNothingAndNamesAxisValueAndLimits()
    {
        await _stage.MoveToAsync(new StagePosition(X: 5, Z: 15), TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _stage.MoveToAsync(new StagePosition(X: 50, Z: 60), TestContext.Current.CancellationToken));

        Assert.Contains("Stage 'test-stage': Z target 60 is outside its limits [10, 50]; nothing moved.", e.Message, StringComparison.Ordinal);
        Assert.Equal(new StagePosition(X: 5, Z: 15), _stage.GetPosition());
    }

    [Fact]
    public async Task AnAxisTheStageDoesNotHaveIsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _stage.MoveToAsync(new StagePosition(Theta: 10), TestContext.Current.CancellationToken));

        Assert.Contains("Stage 'test-stage' has no Theta axis; its axes are X, Z.", e.Message, StringComparison.Ordinal);
    }
}
