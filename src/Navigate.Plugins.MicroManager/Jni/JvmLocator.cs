namespace Navigate.Plugins.MicroManager.Jni;

/// <summary>
/// Finds the JVM library (<c>libjvm.so</c>, <c>libjvm.dylib</c>, <c>jvm.dll</c>) to host: in the configured Java
/// home only, when one is configured; otherwise in <c>JAVA_HOME</c>, the JRE bundled with Micro-Manager, the
/// <c>java</c> on <c>PATH</c>, and the usual install folders.
/// </summary>
internal static class JvmLocator
{
    /// <summary>Where the JVM library sits below a Java home (JDK 9+ first, then the Java 8 JRE layouts).</summary>
    private static IEnumerable<string> LibraryPathsUnder(string home)
    {
        if (OperatingSystem.IsWindows())
        {
            yield return Path.Combine(home, "bin", "server", "jvm.dll");
            yield return Path.Combine(home, "jre", "bin", "server", "jvm.dll");
            yield return Path.Combine(home, "bin", "client", "jvm.dll");
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return Path.Combine(home, "lib", "server", "libjvm.dylib");
            yield return Path.Combine(home, "jre", "lib", "server", "libjvm.dylib");
            yield return Path.Combine(home, "Contents", "Home", "lib", "server", "libjvm.dylib");
        }
        else
        {
            yield return Path.Combine(home, "lib", "server", "libjvm.so");
            yield return Path.Combine(home, "jre", "lib", "server", "libjvm.so");
            yield return Path.Combine(home, "jre", "lib", "amd64", "server", "libjvm.so");
            yield return Path.Combine(home, "jre", "lib", "aarch64", "server", "libjvm.so");
        }
    }

    /// <summary>Finds the JVM library.</summary>
    /// <param name="javaHome">The plugin's <c>javaHome</c> setting (a Java home or the library file itself), or null.</param>
    /// <param name="micromanagerDir">The Micro-Manager install folder (its bundled <c>jre</c> is a candidate), or null.</param>
    /// <param name="environment">Reads environment variables (<c>JAVA_HOME</c>, <c>PATH</c>); the process environment by default.</param>
    /// <exception cref="JvmNotFoundException">No candidate exists; the message lists every path tried.</exception>
    public static string Find(string? javaHome, string? micromanagerDir, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var tried = new List<string>();
        if (javaHome is not null)
        {
            // An explicit setting is the only place looked at: falling back elsewhere would hide a typo.
            if (File.Exists(javaHome))
            {
                return javaHome;
            }

            tried.Add(javaHome);
            foreach (var candidate in LibraryPathsUnder(javaHome))
            {
                tried.Add(candidate);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new JvmNotFoundException(
                $"No JVM library found for the plugin setting javaHome = '{javaHome}'. Paths tried:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", tried)
                + $"{Environment.NewLine}Point javaHome at a Java 8 or newer installation (a JDK or JRE folder that contains lib/server).",
                tried);
        }

        foreach (var home in CandidateHomes(micromanagerDir, environment))
        {
            foreach (var candidate in LibraryPathsUnder(home))
            {
                if (tried.Contains(candidate))
                {
                    continue;
                }

                tried.Add(candidate);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new JvmNotFoundException(
            "No JVM library found. Set the plugin setting javaHome or the environment variable JAVA_HOME to a Java 8 or newer "
            + $"installation, or install one (Debian: apt-get install openjdk-17-jre-headless). Paths tried:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", tried),
            tried);
    }

    private static IEnumerable<string> CandidateHomes(string? micromanagerDir, Func<string, string?> environment)
    {
        var javaHomeVariable = environment("JAVA_HOME");
        if (!string.IsNullOrWhiteSpace(javaHomeVariable))
        {
            yield return javaHomeVariable;
        }

        if (micromanagerDir is not null)
        {
            // Micro-Manager for Windows ships its own JRE in the install folder.
            yield return Path.Combine(micromanagerDir, "jre");
        }

        var javaOnPath = FindOnPath(OperatingSystem.IsWindows() ? "java.exe" : "java", environment("PATH"));
        if (javaOnPath is not null)
        {
            // bin/java -> the home is bin's parent (following /usr/bin/java -> /etc/alternatives/java -> ...).
            var home = Directory.GetParent(Path.GetDirectoryName(javaOnPath)!)?.FullName;
            if (home is not null)
            {
                yield return home;
            }
        }

        foreach (var root in InstallRoots())
        {
            if (!Directory.Exists(root))
            {
                continue;
            }

            var defaultJava = Path.Combine(root, "default-java");
            if (Directory.Exists(defaultJava))
            {
                yield return defaultJava;
            }

            string[] homes;
            try
            {
                homes = Directory.GetDirectories(root);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            Array.Sort(homes, StringComparer.Ordinal);
            foreach (var home in homes)
            {
                yield return home;
            }
        }
    }

    private static IEnumerable<string> InstallRoots()
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var programFiles in new[] { Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), Environment.GetFolderPath(Environment.SpecialFolder.ProgramFilesX86) })
            {
                if (programFiles.Length == 0)
                {
                    continue;
                }

                yield return Path.Combine(programFiles, "Java");
                yield return Path.Combine(programFiles, "Eclipse Adoptium");
                yield return Path.Combine(programFiles, "Microsoft");
                yield return Path.Combine(programFiles, "Zulu");
            }
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "/Library/Java/JavaVirtualMachines";
        }
        else
        {
            yield return "/usr/lib/jvm";
            yield return "/usr/java";
            yield return "/opt/java";
        }
    }

    private static string? FindOnPath(string executable, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, executable);
            if (!File.Exists(candidate))
            {
                continue;
            }

            try
            {
                var target = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true);
                return target?.FullName ?? Path.GetFullPath(candidate);
            }
            catch (IOException)
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }
}
