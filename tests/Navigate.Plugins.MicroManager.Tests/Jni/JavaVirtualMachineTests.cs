using Navigate.Plugins.MicroManager.Jni;
using Navigate.Plugins.MicroManager.Tests.Infrastructure;

namespace Navigate.Plugins.MicroManager.Tests.Jni;

[Collection(SharedJvm.Name)]
public sealed class JavaVirtualMachineTests(JvmFixture fixture)
{
    [Fact]
    public void The_process_has_one_JVM_and_asking_again_returns_it()
    {
        Assert.Same(fixture.Jvm, JavaVirtualMachine.GetOrCreate(StandIn.JvmOptions));
        Assert.Same(fixture.Jvm, JavaVirtualMachine.Current);
        Assert.True(fixture.Jvm.CreatedHere);
        Assert.Equal(StandIn.InstallDir, fixture.Jvm.GetSystemProperty("mmcorej.library.path"));
        Assert.Equal("true", fixture.Jvm.GetSystemProperty("java.awt.headless"));
    }

    [Fact]
    public void A_jar_that_is_not_on_the_running_JVMs_class_path_is_refused()
    {
        var options = StandIn.JvmOptions with { ClassPath = ["/opt/elsewhere/MMCoreJ.jar"] };
        var e = Assert.Throws<JvmStartException>(() => JavaVirtualMachine.GetOrCreate(options));
        Assert.Contains("does not contain '/opt/elsewhere/MMCoreJ.jar'", e.Message);
        Assert.Contains("one JVM", e.Message);
    }

    [Fact]
    public void Another_mmcorej_library_path_is_refused()
    {
        var options = StandIn.JvmOptions with { SystemProperties = new Dictionary<string, string> { ["mmcorej.library.path"] = "/opt/other-mm" } };
        var e = Assert.Throws<JvmStartException>(() => JavaVirtualMachine.GetOrCreate(options));
        Assert.Contains($"mmcorej.library.path = '{StandIn.InstallDir}', not '/opt/other-mm'", e.Message);
    }

    [Fact]
    public void A_second_JVM_library_is_refused_before_it_is_loaded()
    {
        var other = Directory.GetFiles("/usr/lib/jvm", "libjvm.so", SearchOption.AllDirectories)
            .FirstOrDefault(p => !string.Equals(Path.GetFullPath(p), Path.GetFullPath(fixture.Jvm.LibraryPath), StringComparison.Ordinal)
                && !string.Equals(new FileInfo(p).ResolveLinkTarget(true)?.FullName ?? p, new FileInfo(fixture.Jvm.LibraryPath).ResolveLinkTarget(true)?.FullName ?? fixture.Jvm.LibraryPath, StringComparison.Ordinal));
        var options = StandIn.JvmOptions with { LibraryPath = other ?? "/nonexistent/lib/server/libjvm.so" };
        var e = Assert.Throws<JvmStartException>(() => JavaVirtualMachine.GetOrCreate(options));
        Assert.Contains($"was loaded from '{fixture.Jvm.LibraryPath}'", e.Message);
    }
}
