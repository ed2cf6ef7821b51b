namespace Navigate.Devices;

/// <summary>A stage axis as navigate names them.</summary>
public enum StageAxis
{
    /// <summary>Lateral x (µm).</summary>
    X,

    /// <summary>Lateral y (µm).</summary>
    Y,

    /// <summary>Axial z (µm).</summary>
    Z,

    /// <summary>Rotation (degrees).</summary>
    Theta,

    /// <summary>Focus (µm).</summary>
    F,
}

/// <summary>A position on some or all stage axes; a null axis is not part of the position.</summary>
/// <param name="X">x in µm.</param>
/// <param name="Y">y in µm.</param>
/// <param name="Z">z in µm.</param>
/// <param name="Theta">Rotation in degrees.</param>
/// <param name="F">Focus in µm.</param>
public sealed record StagePosition(double? X = null, double? Y = null, double? Z = null, double? Theta = null, double? F = null)
{
    /// <summary>The value on <paramref name="axis"/>, or null.</summary>
    public double? this[StageAxis axis] => axis switch
    {
        StageAxis.X => X,
        StageAxis.Y => Y,
        StageAxis.Z => Z,
        StageAxis.Theta => Theta,
        StageAxis.F => F,
        _ => null,
    };

    /// <summary>A copy with <paramref name="axis"/> set to <paramref name="value"/>.</summary>
    public StagePosition With(StageAxis axis, double? value) => axis switch
    {
        StageAxis.X => this with { X = value },
        StageAxis.Y => this with { Y = value },
        StageAxis.Z => this with { Z = value },
        StageAxis.Theta => this with { Theta = value },
        StageAxis.F => this with { F = value },
        _ => this,
    };
}

/// <summary>The travel range of one axis.</summary>
/// <param name="Minimum">Lowest position.</param>
/// <param name="Maximum">Highest position.</param>
public readonly record struct AxisLimits(double Minimum, double Maximum)
{
    /// <summary>True when <paramref name="position"/> is within the limits.</summary>
    public bool Contains(double position) => position >= Minimum && position <= Maximum;
}

/// <summary>A motorised stage with one or more of the axes x, y, z, theta, f.</summary>
public interface IStage : IDisposable
{
    /// <summary>The device name the host knows it by.</summary>
    string Name { get; }

    /// <summary>The axes this stage moves.</summary>
    IReadOnlyList<StageAxis> Axes { get; }

    /// <summary>The travel range of <paramref name="axis"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The stage has no such axis.</exception>
    AxisLimits GetLimits(StageAxis axis);

    /// <summary>Reads back the position of every axis of this stage.</summary>
    StagePosition GetPosition();

    /// <summary>Moves the given axes to absolute positions and completes when they have arrived.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside its axis limits (names axis, value and limits); nothing moved.</exception>
    ValueTask MoveToAsync(StagePosition target, CancellationToken cancellationToken = default);

    /// <summary>Moves the given axes by relative distances and completes when they have arrived.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside its axis limits; nothing moved.</exception>
    ValueTask MoveByAsync(StagePosition delta, CancellationToken cancellationToken = default);
}

/// <summary>Opens a stage. See <see cref="ICameraFactory"/>.</summary>
public interface IStageFactory
{
    /// <summary>The name users pick the stage by.</summary>
    string Name { get; }

    /// <summary>Opens the stage.</summary>
    IStage Open();
}
