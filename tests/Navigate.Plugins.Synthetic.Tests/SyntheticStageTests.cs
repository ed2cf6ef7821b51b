using Navigate.Devices;

namespace Navigate.Plugins.Synthetic.Tests;

public sealed class SyntheticStageTests
{
    [Fact]
    public async Task MovesAreReadBack()
    {
        using var stage = new SyntheticStage();
        await stage.MoveToAsync(new StagePosition(X: 100, Z: -5), TestContext.Current.CancellationToken);
        await stage.MoveByAsync(new StagePosition(X: 1.5, Theta: 90), TestContext.Current.CancellationToken);
        Assert.Equal(new StagePosition(101.5, 0, -5, 90, 0), stage.GetPosition());
    }

    [Fact]
    public async Task AMoveOutsideTheLimitsNamesTheAxisAndMovesNothing()
    {
        using var stage = new SyntheticStage();
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await stage.MoveToAsync(new StagePosition(X: 10, Z: 20_000), TestContext.Current.CancellationToken));
        Assert.StartsWith("Synthetic stage: Z target 20000 is outside its limits [-10000, 10000].", ex.Message);
        Assert.Equal(0, stage.GetPosition().X);
    }
}
