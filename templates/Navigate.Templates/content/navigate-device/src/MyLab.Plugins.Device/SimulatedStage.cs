using System.Globalization;
using Navigate.Devices;

namespace MyLab.Plugins.Device;

/// <summary>Opens simulated stages. The host calls <see cref="Open"/> only when the stage is used.</summary>
/// <param name="name">The device name.</param>
/// <param name="limits">The travel of each axis the stage has.</param>
public sealed class SimulatedStageFactory(string name, IReadOnlyDictionary<StageAxis, AxisLimits> limits) : IStageFactory
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public IStage Open() => new SimulatedStage(name, limits);
}

/// <summary>
/// A stage without hardware: moves arrive at once, limits are enforced as on a real stage. A move is checked on every
/// axis before any axis moves, so a bad target leaves the stage where it was.
/// </summary>
/// <remarks>
/// To drive real hardware, replace the body of <see cref="MoveToAsync"/> (send the move, await the controller's
/// "arrived", honour the cancellation token by stopping the axes) and <see cref="GetPosition"/> (read the encoders).
/// </remarks>
public sealed class SimulatedStage : IStage
{
    private readonly Dictionary<StageAxis, AxisLimits> _limits;
    private readonly StageAxis[] _axes;
    private readonly Lock _gate = new();
    private StagePosition _position;

    /// <summary>Opens a simulated stage with the given axes and travel; every axis starts at 0 or its nearest limit.</summary>
    /// <exception cref="ArgumentException">No axis, or limits with minimum ≥ maximum.</exception>
    public SimulatedStage(string name, IReadOnlyDictionary<StageAxis, AxisLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Count == 0)
        {
            throw new ArgumentException($"Stage '{name}': expected at least one axis.", nameof(limits));
        }

        foreach (var (axis, range) in limits)
        {
            if (!(range.Minimum < range.Maximum))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Stage '{name}': axis {axis} has limits [{range.Minimum}, {range.Maximum}]; expected minimum < maximum."), nameof(limits));
            }
        }

        Name = name;
        _limits = new Dictionary<StageAxis, AxisLimits>(limits);
        _axes = [.. _limits.Keys.Order()];
        _position = new StagePosition();
        foreach (var axis in _axes)
        {
            _position = _position.With(axis, Math.Clamp(0, _limits[axis].Minimum, _limits[axis].Maximum));
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<StageAxis> Axes => _axes;

    /// <summary>The travel used when plugins.json gives none: x and y ±25 mm, z ±10 mm, focus ±5 mm.</summary>
    public static Dictionary<StageAxis, AxisLimits> DefaultLimits() => new()
    {
        [StageAxis.X] = new(-25_000, 25_000),
        [StageAxis.Y] = new(-25_000, 25_000),
        [StageAxis.Z] = new(-10_000, 10_000),
        [StageAxis.F] = new(-5_000, 5_000),
    };

    /// <inheritdoc />
    public AxisLimits GetLimits(StageAxis axis)
        => _limits.TryGetValue(axis, out var limits)
            ? limits
            : throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Stage '{Name}' has no {axis} axis; its axes are {string.Join(", ", _axes)}.");

    /// <inheritdoc />
    public StagePosition GetPosition()
    {
        lock (_gate)
        {
            return _position;
        }
    }

    /// <inheritdoc />
    public ValueTask MoveToAsync(StagePosition target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _position = Apply(_position, target, relative: false);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MoveByAsync(StagePosition delta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delta);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _position = Apply(_position, delta, relative: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // A real stage closes its serial port or SDK handle here.
    }

    private StagePosition Apply(StagePosition current, StagePosition move, bool relative)
    {
        var next = current;
        foreach (var axis in Enum.GetValues<StageAxis>())
        {
            if (move[axis] is not { } value)
            {
                continue;
            }

            var limits = GetLimits(axis);
            var target = relative ? current[axis]!.Value + value : value;
            if (!double.IsFinite(target) || !limits.Contains(target))
            {
                throw new ArgumentOutOfRangeException(nameof(move), target, string.Create(CultureInfo.InvariantCulture, $"Stage '{Name}': {axis} target {target} is outside its limits [{limits.Minimum}, {limits.Maximum}]; nothing moved."));
            }

            next = next.With(axis, target);
        }

        return next;
    }
}
