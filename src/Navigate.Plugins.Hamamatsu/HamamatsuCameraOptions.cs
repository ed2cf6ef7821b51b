using System.Globalization;

namespace Navigate.Plugins.Hamamatsu;

/// <summary>How the plugin finds DCAM-API and sets up a camera when it opens it (plugins.json <c>settings</c>).</summary>
public sealed record HamamatsuCameraOptions
{
    /// <summary>The name the camera is known by (<see cref="Devices.CameraInfo.Name"/>).</summary>
    public string Name { get; init; } = "hamamatsu";

    /// <summary>
    /// Full path of <c>libdcamapi.so</c> / <c>dcamapi.dll</c> (setting <c>library</c>, relative to plugins.json);
    /// null to look beside the plugin and then in the platform's default search path.
    /// </summary>
    public string? LibraryPath { get; init; }

    /// <summary>
    /// Frame buffers attached to DCAM (setting <c>ring_frames</c>, default 32, at least 3). The camera writes them
    /// round-robin; a frame not copied out before the camera comes round again is counted as dropped. Memory used is
    /// this many frames of the current ROI (32 full ORCA-Flash4.0 frames: 256 MiB).
    /// </summary>
    public int RingFrames { get; init; } = 32;

    /// <summary>TRIGGER ACTIVE to set on open (setting <c>trigger_active</c>); null leaves the camera's.</summary>
    public DcamTriggerActive? TriggerActive { get; init; }

    /// <summary>TRIGGER MODE to set on open (setting <c>trigger_mode</c>); null leaves the camera's.</summary>
    public DcamTriggerMode? TriggerMode { get; init; }

    /// <summary>Reads the options from a plugin's plugins.json settings.</summary>
    /// <exception cref="FormatException">A setting has a value the plugin does not understand (names key and value).</exception>
    public static HamamatsuCameraOptions FromPluginContext(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ring = context.GetSetting("ring_frames", 32);
        if (ring < 3 || ring > 100_000 || ring != Math.Floor(ring))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"plugins.json: setting 'ring_frames' of plugin '{context.Name}' is {ring}; expected a whole number of frames from 3 to 100000."));
        }

        return new HamamatsuCameraOptions
        {
            LibraryPath = context.GetPathSetting("library"),
            RingFrames = (int)ring,
            TriggerActive = ParseEnum<DcamTriggerActive>(context, "trigger_active"),
            TriggerMode = ParseEnum<DcamTriggerMode>(context, "trigger_mode"),
        };
    }

    private static T? ParseEnum<T>(PluginContext context, string key)
        where T : struct, Enum
    {
        var text = context.GetSetting(key);
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<T>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value)
            && Enum.IsDefined(value) && !int.TryParse(text, out _))
        {
            return value;
        }

        var allowed = string.Join(", ", Enum.GetNames<T>().Select(n => $"'{n.ToLowerInvariant()}'"));
        throw new FormatException($"plugins.json: setting '{key}' of plugin '{context.Name}' is '{text}'; expected one of {allowed}.");
    }
}

/// <summary>DCAM TRIGGER ACTIVE: what part of the trigger signal starts (and ends) an exposure.</summary>
public enum DcamTriggerActive
{
    /// <summary>An edge starts an exposure of the set exposure time.</summary>
    Edge = 1,

    /// <summary>The exposure lasts as long as the trigger level is active.</summary>
    Level = 2,

    /// <summary>Each edge ends one exposure and starts the next (readout synchronised to the trigger).</summary>
    SyncReadout = 3,
}

/// <summary>DCAM TRIGGER MODE.</summary>
public enum DcamTriggerMode
{
    /// <summary>Every trigger takes one frame.</summary>
    Normal = 1,

    /// <summary>The first trigger starts a sequence the camera then times itself.</summary>
    Start = 6,
}
