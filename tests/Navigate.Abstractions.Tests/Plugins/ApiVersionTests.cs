using Navigate.Plugins;

namespace Navigate.Abstractions.Tests.Plugins;

public sealed class ApiVersionTests
{
    [Theory]
    [InlineData("1.0.0", 1, 0, 0)]
    [InlineData("2.13.7-beta.1", 2, 13, 7)]
    [InlineData(" 1.2.3+build ", 1, 2, 3)]
    public void ParsesSemVer(string text, int major, int minor, int patch)
        => Assert.Equal(new ApiVersion(major, minor, patch), ApiVersion.Parse(text));

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("one.0.0")]
    [InlineData("")]
    public void RejectsWhatIsNotSemVer(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ApiVersion.Parse(text));
        Assert.Contains($"'{text}'", ex.Message);
    }

    [Theory]
    [InlineData("1.4.0", "1.0.0", true)]
    [InlineData("1.4.0", "1.4.9", true)]
    [InlineData("1.4.0", "1.5.0", false)]
    [InlineData("1.4.0", "2.0.0", false)]
    [InlineData("2.0.0", "1.9.0", false)]
    public void HostsSameMajorAndNoNewerMinor(string host, string plugin, bool expected)
        => Assert.Equal(expected, ApiVersion.Parse(host).CanHost(ApiVersion.Parse(plugin)));

    [Fact]
    public void PluginInfoDefaultsToTheCompiledApiVersion()
        => Assert.Equal(NavigateApi.Version, new PluginInfo("x", "1.0").ApiVersion);
}
