using Navigate.Experiment;

namespace Navigate.Experiment.Tests;

/// <summary>newer navigate's experiment.OMEZarrParameters become the ome-zarr settings of its v3 layout.</summary>
public sealed class OmeZarrParametersReaderTests
{
    private const string Navigate = """
        MicroscopeState:
          microscope_name: Mesoscale
        OMEZarrParameters:
          chunk_shape: [1, 1, 8, 256, 256]
          shard_shape: [1, 1, 32, 256, 256]
          down_sample:
            enabled: True
            scale_factors: [1, 2, 4, 8, 16]
        """;

    [Fact]
    public void Navigates_defaults_become_v3_chunks_shards_and_five_levels()
    {
        var settings = OmeZarrParametersReader.Parse(Navigate);
        Assert.Equal("3", settings["zarr_version"]);
        Assert.Equal("8,256,256", settings["chunks"]);
        Assert.Equal("32,256,256", settings["shard"]);
        Assert.Equal("5", settings["levels"]);
    }

    [Fact]
    public void Python_tuples_as_text_and_disabled_down_sampling()
    {
        var settings = OmeZarrParametersReader.Parse("""
            OMEZarrParameters:
              chunk_shape: (1, 1, 4, 128, 128)
              down_sample:
                enabled: False
                scale_factors: [1, 2]
            """);
        Assert.Equal("4,128,128", settings["chunks"]);
        Assert.Equal("1", settings["levels"]);
        Assert.False(settings.ContainsKey("shard"));
    }

    [Fact]
    public void No_section_means_no_settings() => Assert.Empty(OmeZarrParametersReader.Parse("MicroscopeState: {}\n"));

    [Theory]
    [InlineData("chunk_shape: [2, 1, 8, 256, 256]", "experiment.yml: OMEZarrParameters.chunk_shape is [2, 1, 8, 256, 256]; expected five sizes T, C, Z, Y, X with T = C = 1, such as [1, 1, 8, 256, 256].")]
    [InlineData("shard_shape: [1, 1, x, 256, 256]", "experiment.yml: OMEZarrParameters.shard_shape has 'x'; expected whole numbers.")]
    [InlineData("down_sample: {enabled: True, scale_factors: [1, 3]}", "experiment.yml: OMEZarrParameters.down_sample.scale_factors is [1, 3]; expected powers of two from 1 (1, 2, 4, ...): each level halves Y and X.")]
    public void Bad_values_name_the_key(string line, string message)
    {
        var e = Assert.Throws<NavigateExperimentException>(() => OmeZarrParametersReader.Parse("OMEZarrParameters:\n  " + line + "\n"));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
