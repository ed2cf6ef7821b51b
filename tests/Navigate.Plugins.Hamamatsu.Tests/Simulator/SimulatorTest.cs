using Navigate.Plugins.Hamamatsu.Interop;

namespace Navigate.Plugins.Hamamatsu.Tests.Simulator;

/// <summary>Tests that drive the simulator share its process-wide state, so they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SimulatorCollectionDefinition
{
    public const string Name = "dcamapi-sim";
}

/// <summary>
/// Base of every simulator test: starts from the default cameras and fresh counters, and afterwards checks that the
/// test left nothing behind — no open camera or wait handle, no attached buffers, DCAM-API uninitialised.
/// </summary>
[Collection(SimulatorCollectionDefinition.Name)]
public abstract class SimulatorTest : IDisposable
{
    protected SimulatorTest()
    {
        DcamSim.RequireBuilt();
        DcamSim.SetEnvironment("DCAMSIM_CAMERAS", DcamSim.DefaultCameras);
        DcamSim.SetEnvironment("DCAMSIM_LOG", null);
        DcamSim.FailNext(null);
        DcamSim.ResetStats();
    }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        DcamSim.FailNext(null);
        DcamSim.SetEnvironment("DCAMSIM_CAMERAS", DcamSim.DefaultCameras);
        DcamSim.SetEnvironment("DCAMSIM_LOG", null);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var stats = DcamSim.GetStats();
        Assert.Equal(0, DcamApi.Users);
        Assert.Equal(0, stats.OpenCameras);
        Assert.Equal(0, stats.OpenWaits);
        Assert.Equal(0, stats.Attached);
        Assert.Equal(0, stats.Capturing);
        Assert.Equal(0, stats.Initialized);
        Assert.Equal(stats.InitCalls, stats.UninitCalls);
        GC.SuppressFinalize(this);
    }
}
