using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Tests.Jni;

public sealed class JvmLocatorTests
{
    private static string RealJavaHome()
    {
        var lib = JvmLocator.Find(null, null);
        return Directory.GetParent(lib)!.Parent!.Parent!.FullName; // <home>/lib/server/libjvm.so
    }

    [Fact]
    public void A_bad_javaHome_lists_every_path_tried()
    {
        var e = Assert.Throws<JvmNotFoundException>(() => JvmLocator.Find("/opt/no-such-jdk", null));
        Assert.Contains("javaHome = '/opt/no-such-jdk'", e.Message);
        Assert.Contains("/opt/no-such-jdk/lib/server/libjvm.so", e.Message);
        Assert.Contains("/opt/no-such-jdk/jre/lib/server/libjvm.so", e.Message);
        Assert.Equal(["/opt/no-such-jdk", "/opt/no-such-jdk/lib/server/libjvm.so", "/opt/no-such-jdk/jre/lib/server/libjvm.so", "/opt/no-such-jdk/jre/lib/amd64/server/libjvm.so", "/opt/no-such-jdk/jre/lib/aarch64/server/libjvm.so"], e.PathsTried);
    }

    [Fact]
    public void A_bad_javaHome_is_not_silently_replaced_by_JAVA_HOME()
    {
        var home = RealJavaHome();
        Assert.Throws<JvmNotFoundException>(() => JvmLocator.Find("/opt/no-such-jdk", null, name => name == "JAVA_HOME" ? home : null));
    }

    [Fact]
    public void javaHome_may_name_a_Java_home_or_the_library_itself()
    {
        var home = RealJavaHome();
        var lib = Path.Combine(home, "lib", "server", "libjvm.so");
        Assert.Equal(lib, JvmLocator.Find(home, null));
        Assert.Equal(lib, JvmLocator.Find(lib, null));
    }

    [Fact]
    public void JAVA_HOME_comes_first_and_a_stale_one_falls_through_to_the_usual_places()
    {
        var home = RealJavaHome();
        Assert.Equal(Path.Combine(home, "lib", "server", "libjvm.so"), JvmLocator.Find(null, null, name => name == "JAVA_HOME" ? home : null));

        var found = JvmLocator.Find(null, null, name => name == "JAVA_HOME" ? "/opt/stale-jdk" : null);
        Assert.StartsWith("/usr/lib/jvm/", found);
    }

    [Fact]
    public void The_JRE_bundled_with_Micro_Manager_is_a_candidate()
    {
        var mm = Directory.CreateTempSubdirectory("navigate-mm-jre-").FullName;
        try
        {
            var lib = Path.Combine(mm, "jre", "lib", "server", "libjvm.so");
            Directory.CreateDirectory(Path.GetDirectoryName(lib)!);
            File.WriteAllBytes(lib, []);
            Assert.Equal(lib, JvmLocator.Find(null, mm, _ => null));
        }
        finally
        {
            Directory.Delete(mm, recursive: true);
        }
    }
}
