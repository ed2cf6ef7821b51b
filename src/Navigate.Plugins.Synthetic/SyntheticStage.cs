using Navigate.Devices;

namespace Navigate.Plugins.Synthetic;

/// <summary>A five-axis stage without hardware: moves arrive at once, limits are enforced as on a real stage.</summary>
public sealed class SyntheticStage : IStage
{
    /// <summary>The device name.</summary>
    public const string DeviceName = "synthetic";

    private static readonly StageAxis[] AllAxes = [StageAxis.X, StageAxis.Y, StageAxis.Z, StageAxis.Theta, StageAxis.F];
    private readonly Lock _gate = new();
    private StagePosition _position = new(0, 0, 0, 0, 0);

    /// <inheritdoc />
    public string Name => DeviceName;

    /// <inheritdoc />
    public IReadOnlyList<StageAxis> Axes => AllAxes;

    /// <inheritdoc />
    public AxisLimits GetLimits(StageAxis axis) => axis switch
    {
        StageAxis.X or StageAxis.Y => new AxisLimits(-25_000, 25_000),
        StageAxis.Z => new AxisLimits(-10_000, 10_000),
        StageAxis.Theta => new AxisLimits(0, 360),
        StageAxis.F => new AxisLimits(-5_000, 5_000),
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "The synthetic stage has no such axis."),
    };

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
    }

    private StagePosition Apply(StagePosition current, StagePosition move, bool relative)
    {
        // Check every axis before moving any, so a bad target leaves the stage where it was.
        var next = current;
        foreach (var axis in AllAxes)
        {
            if (move[axis] is not { } value)
            {
                continue;
            }

            var target = relative ? current[axis]!.Value + value : value;
            var limits = GetLimits(axis);
            if (!double.IsFinite(target) || !limits.Contains(target))
            {
                throw new ArgumentOutOfRangeException(nameof(move), target, $"Synthetic stage: {axis} target {target} is outside its limits [{limits.Minimum}, {limits.Maximum}].");
            }

            next = next.With(axis, target);
        }

        return next;
    }
}
