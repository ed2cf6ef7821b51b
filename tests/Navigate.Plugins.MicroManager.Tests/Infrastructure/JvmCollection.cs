using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Tests.Infrastructure;

/// <summary>
/// Every test that touches the JVM: a process has one JVM, created here (before any of them runs) with the stand-in
/// on its class path, a small heap and <c>-Xcheck:jni</c>; the tests of this collection run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedJvm : ICollectionFixture<JvmFixture>
{
    public const string Name = "JVM";
}

public sealed class JvmFixture
{
    public JvmFixture()
    {
        Jvm = JavaVirtualMachine.GetOrCreate(StandIn.JvmOptions);
    }

    internal JavaVirtualMachine Jvm { get; }
}
