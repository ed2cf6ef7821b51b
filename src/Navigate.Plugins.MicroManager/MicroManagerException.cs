namespace Navigate.Plugins.MicroManager;

/// <summary>
/// Base of every error of the Micro-Manager plugin: a JVM that cannot be found or started, a setting or file that is
/// wrong, an exception thrown by Java code (MMCoreJ), or an acquisition the camera ended early.
/// </summary>
public abstract class MicroManagerException : Exception
{
    /// <summary>Creates the exception.</summary>
    private protected MicroManagerException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>No Java virtual machine library (libjvm) was found; <see cref="PathsTried"/> lists every candidate.</summary>
public sealed class JvmNotFoundException : MicroManagerException
{
    /// <summary>Creates the exception.</summary>
    public JvmNotFoundException(string message, IReadOnlyList<string> pathsTried)
        : base(message)
    {
        PathsTried = pathsTried;
    }

    /// <summary>The libjvm paths that were looked at, in order.</summary>
    public IReadOnlyList<string> PathsTried { get; }
}

/// <summary>The JVM was found but could not be loaded, started, attached to, or reused with these settings.</summary>
public sealed class JvmStartException : MicroManagerException
{
    /// <summary>Creates the exception.</summary>
    public JvmStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A Java exception thrown by a call into the JVM (for MMCoreJ, <c>java.lang.Exception</c> carries the core's error
/// text). The Java exception's cause, if any, is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class JavaException : MicroManagerException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="javaClass">The Java class of the exception, e.g. <c>java.lang.Exception</c>.</param>
    /// <param name="javaMessage">Its message (<c>getMessage()</c>); null when it has none.</param>
    /// <param name="calledMethod">The Java method whose call threw, e.g. <c>mmcorej.CMMCore.setExposure(D)V</c>.</param>
    /// <param name="cause">The Java exception's cause.</param>
    public JavaException(string javaClass, string? javaMessage, string? calledMethod, JavaException? cause = null)
        : base(Format(javaClass, javaMessage, calledMethod), cause)
    {
        JavaClass = javaClass;
        JavaMessage = javaMessage;
        CalledMethod = calledMethod;
    }

    /// <summary>The Java class of the exception.</summary>
    public string JavaClass { get; }

    /// <summary>The Java exception's message; null when it has none.</summary>
    public string? JavaMessage { get; }

    /// <summary>The Java method whose call threw; null when not known.</summary>
    public string? CalledMethod { get; }

    private static string Format(string javaClass, string? javaMessage, string? calledMethod)
    {
        var text = javaMessage is null ? javaClass : $"{javaClass}: {javaMessage.TrimEnd()}";
        return calledMethod is null ? text : $"{calledMethod} threw {text}";
    }
}

/// <summary>A plugin setting is missing or wrong, or a file or folder it names does not exist or cannot be used.</summary>
public sealed class MicroManagerConfigurationException : MicroManagerException
{
    /// <summary>Creates the exception.</summary>
    public MicroManagerConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A sequence acquisition ended before delivering its frames (a device error stopped the camera).</summary>
public sealed class MicroManagerAcquisitionException : MicroManagerException
{
    /// <summary>Creates the exception.</summary>
    public MicroManagerAcquisitionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
