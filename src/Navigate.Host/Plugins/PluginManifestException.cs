namespace Navigate.Host.Plugins;

/// <summary>plugins.json cannot be read at all (missing, not JSON, no <c>plugins</c> array).</summary>
public sealed class PluginManifestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PluginManifestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PluginManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PluginManifestException()
    {
    }
}
