namespace Navigate.Experiment;

/// <summary>A navigate <c>experiment.yml</c> (or <c>configuration.yaml</c>) that lacks a key or has a bad value.</summary>
/// <remarks>The message names the file, the key path, what was expected and what was found.</remarks>
public sealed class NavigateExperimentException : FormatException
{
    internal NavigateExperimentException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
