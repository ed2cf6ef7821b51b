using Navigate.Devices;

namespace Navigate.Host.Devices;

/// <summary>The cameras and stages that plugins registered, by name.</summary>
public sealed class DeviceCatalog
{
    /// <summary>The camera used when none is named.</summary>
    public const string DefaultCamera = "synthetic";

    /// <summary>Creates the catalog from the registered factories.</summary>
    public DeviceCatalog(IEnumerable<ICameraFactory> cameras, IEnumerable<IStageFactory> stages)
    {
        Cameras = [.. cameras];
        Stages = [.. stages];
    }

    /// <summary>Every camera factory, in plugin order.</summary>
    public IReadOnlyList<ICameraFactory> Cameras { get; }

    /// <summary>Every stage factory, in plugin order.</summary>
    public IReadOnlyList<IStageFactory> Stages { get; }

    /// <summary>
    /// Opens the camera called <paramref name="name"/> (case-insensitive), or <see cref="DefaultCamera"/> when null.
    /// A name with a <c>:qualifier</c> that no factory has exactly (e.g. <c>hamamatsu:0001</c>) is an error, not a guess.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such camera; the message lists the cameras there are.</exception>
    public ICamera OpenCamera(string? name = null) => FindCamera(name).Open();

    /// <summary>The factory of the camera called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such camera; the message lists the cameras there are.</exception>
    public ICameraFactory FindCamera(string? name = null)
    {
        name ??= DefaultCamera;
        return Cameras.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No camera named '{name}'. Cameras: {List(Cameras.Select(c => c.Name))}. See `navigate plugins` for plugins that did not load.");
    }

    /// <summary>Opens the stage called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such stage; the message lists the stages there are.</exception>
    public IStage OpenStage(string name)
    {
        var factory = Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"No stage named '{name}'. Stages: {List(Stages.Select(s => s.Name))}.");
        return factory.Open();
    }

    private static string List(IEnumerable<string> names)
    {
        var text = string.Join(", ", names);
        return text.Length == 0 ? "(none)" : text;
    }
}
