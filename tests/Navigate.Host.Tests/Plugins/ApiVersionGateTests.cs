using Navigate.Host.Plugins;
using Navigate.Plugins;

namespace Navigate.Host.Tests.Plugins;

public sealed class ApiVersionGateTests
{
    private readonly ApiVersionGate _gate = new(new ApiVersion(1, 3, 2));

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.3.9")]
    public void AcceptsTheSameMajorWithAnOlderOrEqualMinor(string declared) => Assert.Null(_gate.CheckDeclared(declared));

    [Fact]
    public void RefusesANewerMinorAskingForAHostUpdate()
        => Assert.Equal("it was built for Navigate API 1.4.0, newer than this host's API 1.3.2: update the host.", _gate.CheckDeclared("1.4.0"));

    [Theory]
    [InlineData("0.9.0", "major 0")]
    [InlineData("2.0.0", "major 2")]
    public void RefusesAnotherMajor(string declared, string expected)
        => Assert.Contains(expected, _gate.CheckDeclared(declared));

    [Fact]
    public void RefusesAVersionThatIsNotSemVer()
        => Assert.Equal("its PluginInfo.ApiVersion 'latest' is not a SemVer version.", _gate.CheckDeclared("latest"));

    [Fact]
    public void ChecksTheMajorOfTheReferencedAbstractionsAssembly()
    {
        Assert.Null(_gate.CheckReference(new Version(1, 0, 0, 0)));
        Assert.Contains("compiled against Navigate.Abstractions 3.0.0.0", _gate.CheckReference(new Version(3, 0, 0, 0)));
        Assert.Contains("does not reference Navigate.Abstractions", _gate.CheckReference(null));
    }
}
