using System.Globalization;
using Navigate.Devices;
using Navigate.Plugins.MicroManager.Core;

namespace Navigate.Plugins.MicroManager.Devices;

/// <summary>Which of the core's stages a <see cref="MicroManagerStage"/> drives.</summary>
public enum MicroManagerStageKind
{
    /// <summary>The focus (z) drive: <c>getFocusDevice()</c>, moved with <c>setPosition</c>.</summary>
    Focus,

    /// <summary>The XY stage: <c>getXYStageDevice()</c>, moved with <c>setXYPosition</c>.</summary>
    XY,
}

/// <summary>
/// The Micro-Manager core's focus drive or XY stage as an <see cref="IStage"/>. Limits come from the plugin settings,
/// else (focus) from the limits of the device's <c>Position</c> property, else there are none beyond the device's
/// own (which then refuses a move with a <see cref="JavaException"/> carrying its message).
/// </summary>
public sealed class MicroManagerStage : IStage
{
    private const string PositionProperty = "Position";
    private readonly MicroManagerSession _session;
    private readonly MmCore _core;
    private readonly Dictionary<StageAxis, AxisLimits> _limits;
    private int _disposed;

    internal MicroManagerStage(string name, MicroManagerSession session, MicroManagerStageKind kind)
    {
        Name = name;
        Kind = kind;
        _session = session;
        _core = session.Acquire();
        try
        {
            var settings = session.Settings;
            Label = kind == MicroManagerStageKind.Focus ? _core.GetFocusDevice() : _core.GetXYStageDevice();
            if (Label.Length == 0)
            {
                var role = kind == MicroManagerStageKind.Focus ? "Focus" : "XYStage";
                throw new MicroManagerConfigurationException(
                    $"The configuration '{settings.ConfigFile}' assigns no {(kind == MicroManagerStageKind.Focus ? "focus stage" : "XY stage")}: add a line 'Property,Core,{role},<label>'.");
            }

            var unlimited = new AxisLimits(double.NegativeInfinity, double.PositiveInfinity);
            _limits = kind == MicroManagerStageKind.Focus
                ? new() { [settings.FocusAxis] = settings.FocusLimitsUm ?? PositionPropertyLimits() ?? unlimited }
                : new() { [StageAxis.X] = settings.XLimitsUm ?? unlimited, [StageAxis.Y] = settings.YLimitsUm ?? unlimited };
            Axes = [.. _limits.Keys];
        }
        catch
        {
            session.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Focus drive or XY stage.</summary>
    public MicroManagerStageKind Kind { get; }

    /// <summary>The stage's device label in the Micro-Manager configuration.</summary>
    public string Label { get; }

    /// <inheritdoc />
    public IReadOnlyList<StageAxis> Axes { get; }

    /// <inheritdoc />
    public AxisLimits GetLimits(StageAxis axis)
        => _limits.TryGetValue(axis, out var limits)
            ? limits
            : throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Stage '{Name}' ({Label}) has no {axis} axis; its axes are {string.Join(", ", Axes)}.");

    /// <inheritdoc />
    public StagePosition GetPosition()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return Kind == MicroManagerStageKind.Focus
            ? new StagePosition().With(Axes[0], _core.GetPosition(Label))
            : new StagePosition(X: _core.GetXPosition(Label), Y: _core.GetYPosition(Label));
    }

    /// <inheritdoc />
    public async ValueTask MoveToAsync(StagePosition target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var any = false;
        foreach (var axis in Enum.GetValues<StageAxis>())
        {
            if (target[axis] is not { } value)
            {
                continue;
            }

            var limits = GetLimits(axis);
            if (!double.IsFinite(value) || !limits.Contains(value))
            {
                throw new ArgumentOutOfRangeException(nameof(target), value, string.Create(CultureInfo.InvariantCulture,
                    $"{axis} = {value} µm is outside the limits of stage '{Name}' ({Label}): {limits.Minimum} to {limits.Maximum} µm; nothing moved."));
            }

            any = true;
        }

        if (!any)
        {
            return;
        }

        // The JNI calls block (a real stage may take seconds), so they run off the caller's thread.
        await Task.Run(() => Move(target, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask MoveByAsync(StagePosition delta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var current = GetPosition();
        var target = new StagePosition();
        foreach (var axis in Enum.GetValues<StageAxis>())
        {
            if (delta[axis] is { } d)
            {
                target = target.With(axis, (current[axis] ?? throw new ArgumentOutOfRangeException(nameof(delta), axis, $"Stage '{Name}' has no {axis} axis.")) + d);
            }
        }

        return MoveToAsync(target, cancellationToken);
    }

    private void Move(StagePosition target, CancellationToken cancellationToken)
    {
        if (Kind == MicroManagerStageKind.Focus)
        {
            _core.SetPosition(Label, target[Axes[0]]!.Value);
        }
        else
        {
            var x = target.X ?? _core.GetXPosition(Label);
            var y = target.Y ?? _core.GetYPosition(Label);
            _core.SetXYPosition(Label, x, y);
        }

        while (_core.DeviceBusy(Label))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _core.Stop(Label);
                cancellationToken.ThrowIfCancellationRequested();
            }

            Thread.Sleep(1);
        }
    }

    private AxisLimits? PositionPropertyLimits()
        => _core.HasProperty(Label, PositionProperty) && _core.HasPropertyLimits(Label, PositionProperty)
            ? new AxisLimits(_core.GetPropertyLowerLimit(Label, PositionProperty), _core.GetPropertyUpperLimit(Label, PositionProperty))
            : null;

    /// <summary>Gives the core back (the last device of the configuration unloads it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Release();
        }
    }
}
