using Navigate.Devices;
using Navigate.Plugins.MicroManager.Core;

namespace Navigate.Plugins.MicroManager.Devices;

/// <summary>Opens the core's current camera.</summary>
internal sealed class MicroManagerCameraFactory(string name, MicroManagerSession session) : ICameraFactory
{
    public string Name { get; } = name;

    public ICamera Open() => new MicroManagerCamera(Name, session);
}

/// <summary>Opens the core's focus drive or XY stage.</summary>
internal sealed class MicroManagerStageFactory(string name, MicroManagerSession session, MicroManagerStageKind kind) : IStageFactory
{
    public string Name { get; } = name;

    public IStage Open() => new MicroManagerStage(Name, session, kind);
}
