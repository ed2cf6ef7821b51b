namespace Navigate.Host.Cli;

/// <summary>Process exit codes of the navigate CLI.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Something failed at run time (device, file, plugin).</summary>
    public const int RuntimeError = 1;

    /// <summary>The command line was wrong.</summary>
    public const int UsageError = 2;
}
