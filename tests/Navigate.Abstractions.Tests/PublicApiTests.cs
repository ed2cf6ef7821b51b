using PublicApiGenerator;

namespace Navigate.Abstractions.Tests;

/// <summary>
/// Plugins are built and versioned apart from the host, so Navigate.Abstractions must not drift by accident. A change
/// to its public API fails here until Navigate.Abstractions.approved.txt is updated on purpose (and NavigateApi.Version
/// bumped: minor for additions, major for anything else). To update: run the tests with NAVIGATE_APPROVE_API=1.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void ThePublicApiIsTheApprovedOne()
    {
        var api = typeof(Navigate.Plugins.NavigateApi).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"] })
            .ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(SourceFolder(), "Navigate.Abstractions.approved.txt");
        if (Environment.GetEnvironmentVariable("NAVIGATE_APPROVE_API") == "1")
        {
            File.WriteAllText(approvedPath, api);
        }

        Assert.True(File.Exists(approvedPath), $"{approvedPath} is missing; run the tests once with NAVIGATE_APPROVE_API=1 and review it.");
        Assert.Equal(File.ReadAllText(approvedPath).ReplaceLineEndings("\n"), api);
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
