namespace Navigate.Host.Tests.Infrastructure;

/// <summary>Debian's python3 with python3-tifffile, an independent reader of the TIFF files the CLI writes.</summary>
internal static class TiffPython
{
    /// <summary>Skips (or, on CI with NAVIGATE_REQUIRE_READERS=1, fails) when tifffile is not installed.</summary>
    public static void Require()
    {
        var present = File.Exists(ZarrPython.Python) && Run("import tifffile, numpy").Exit == 0;
        if (present)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("NAVIGATE_REQUIRE_READERS") == "1")
        {
            Assert.Fail($"{ZarrPython.Python} cannot import tifffile: install python3-tifffile (NAVIGATE_REQUIRE_READERS=1 makes this a failure).");
        }

        Assert.Skip($"{ZarrPython.Python} cannot import tifffile (apt-get install python3-tifffile).");
    }

    // The same /usr/bin/python3, not the PATH one: Debian's packages are what CI installs.
    public static (int Exit, string Stdout, string Stderr) Run(string script, params string[] args) => ZarrPython.Run(script, args);
}
