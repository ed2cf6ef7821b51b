namespace Navigate.Plugins.MicroManager.Core;

/// <summary>
/// The device roles a Micro-Manager configuration file assigns (<c>Property,Core,Camera|Focus|XYStage,&lt;label&gt;</c>),
/// read from the text without loading any hardware, so the host can list devices before one is opened.
/// </summary>
/// <param name="Camera">The camera's label, or null.</param>
/// <param name="Focus">The focus stage's label, or null.</param>
/// <param name="XYStage">The XY stage's label, or null.</param>
internal sealed record ConfigurationRoles(string? Camera, string? Focus, string? XYStage)
{
    /// <summary>Reads the role lines of <paramref name="configFile"/> (the last assignment of a role wins, as in MMCore).</summary>
    public static ConfigurationRoles Read(string configFile)
    {
        string? camera = null, focus = null, xy = null;
        foreach (var raw in File.ReadLines(configFile))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("Property,Core,", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length != 4)
            {
                continue;
            }

            var label = parts[3].Length == 0 ? null : parts[3];
            switch (parts[2])
            {
                case "Camera":
                    camera = label;
                    break;
                case "Focus":
                    focus = label;
                    break;
                case "XYStage":
                    xy = label;
                    break;
            }
        }

        return new ConfigurationRoles(camera, focus, xy);
    }
}
