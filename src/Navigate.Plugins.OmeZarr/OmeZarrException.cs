namespace Navigate.Plugins.OmeZarr;

/// <summary>
/// The base of every error this plugin raises about OME-Zarr content, options or navigate experiment files. Catch it
/// to handle them all; the sealed subtypes say which part was wrong.
/// </summary>
public abstract class OmeZarrException : Exception
{
    private protected OmeZarrException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// OME-NGFF metadata (<c>.zattrs</c>) that breaks the OME-NGFF 0.4 rules or that this plugin cannot use. The message
/// names the file, the JSON path, what was expected and what was found.
/// </summary>
public sealed class NgffMetadataException : OmeZarrException
{
    internal NgffMetadataException(string document, string jsonPath, string message, Exception? innerException = null)
        : base($"{document}: {jsonPath}: {message}", innerException)
    {
        Document = document;
        JsonPath = jsonPath;
    }

    /// <summary>The file or key the metadata came from.</summary>
    public string Document { get; }

    /// <summary>Where in the JSON document the problem is, e.g. <c>multiscales[0].axes[1].type</c>.</summary>
    public string JsonPath { get; }
}

/// <summary>An OME-Zarr dataset whose arrays do not match its metadata or the layout it claims.</summary>
public sealed class OmeZarrLayoutException : OmeZarrException
{
    internal OmeZarrLayoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A format setting (<c>compression</c>, <c>chunks</c>, ...) with an unknown name or a bad value.</summary>
public sealed class OmeZarrOptionsException : OmeZarrException
{
    internal OmeZarrOptionsException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>The setting's name as given.</summary>
    public string Setting { get; }
}
