namespace Navigate.Host.Acquisition;

/// <summary>An acquisition cannot start or cannot go on (camera and dataset disagree, the format refuses ...).</summary>
public sealed class AcquisitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AcquisitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AcquisitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AcquisitionException()
    {
    }
}
