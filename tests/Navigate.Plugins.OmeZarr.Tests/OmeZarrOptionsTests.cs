using Navigate.Data;

namespace Navigate.Plugins.OmeZarr.Tests;

public sealed class OmeZarrOptionsTests
{
    private static OmeZarrOptions Parse(params (string Key, string Value)[] settings) =>
        OmeZarrOptions.Parse(new DataSourceOptions { Settings = settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase) });

    [Fact]
    public void Defaults_are_navigate_and_zarr_python_defaults()
    {
        var options = Parse();
        Assert.Equal(OmeZarrCompression.Lz4, options.Compression);
        Assert.Equal(5, options.EffectiveCompressionLevel);
        Assert.Null(options.Chunks);
        Assert.Equal(4, options.Levels);
        Assert.Equal(OmeZarrLayout.Navigate, options.Layout);
        Assert.Equal(Environment.ProcessorCount, options.Threads);
        Assert.Equal(4, options.WriteThreads);
        Assert.Equal(64, options.BufferMegabytes);
    }

    [Fact]
    public void Every_setting_is_parsed()
    {
        var options = Parse(("compression", "zstd"), ("clevel", "7"), ("chunks", "4, 256,512"), ("levels", "2"), ("layout", "bioformats2raw"), ("threads", "3"), ("write_threads", "6"), ("buffer_mb", "128"));
        Assert.Equal(new OmeZarrOptions
        {
            Compression = OmeZarrCompression.Zstd,
            CompressionLevel = 7,
            Chunks = new ChunkShape(4, 256, 512),
            Levels = 2,
            Layout = OmeZarrLayout.Bioformats2Raw,
            Threads = 3,
            WriteThreads = 6,
            BufferMegabytes = 128,
        }, options);
        Assert.Equal(options, OmeZarrOptions.Parse(options.ToSettings()));
    }

    [Theory]
    [InlineData("none", OmeZarrCompression.None)]
    [InlineData("blosc-lz4", OmeZarrCompression.Lz4)]
    [InlineData("LZ4", OmeZarrCompression.Lz4)]
    [InlineData("blosc-zstd", OmeZarrCompression.Zstd)]
    [InlineData("gzip", OmeZarrCompression.Gzip)]
    public void Compression_names(string value, OmeZarrCompression expected) =>
        Assert.Equal(expected, Parse(("compression", value)).Compression);

    [Theory]
    [InlineData("colour", "blue", "Unknown ome-zarr setting 'colour'; expected one of compression, clevel, chunks, levels, layout, threads, write_threads, buffer_mb, zarr_version, shard.")]
    [InlineData("compression", "brotli", "ome-zarr setting 'compression' is 'brotli'; expected none, lz4, zstd or gzip.")]
    [InlineData("clevel", "10", "ome-zarr setting 'clevel' is '10'; expected a whole number from 0 to 9.")]
    [InlineData("levels", "0", "ome-zarr setting 'levels' is '0'; expected a whole number from 1 to 16.")]
    [InlineData("layout", "wells", "ome-zarr setting 'layout' is 'wells'; expected navigate, bioformats2raw or hcs.")]
    [InlineData("chunks", "1,512", "ome-zarr setting 'chunks' is '1,512'; expected three sizes Z,Y,X such as 1,512,512.")]
    [InlineData("chunks", "1,0,512", "ome-zarr setting 'chunks' is '1,0,512'; its Y size '0' is not a whole number of at least 1")]
    [InlineData("buffer_mb", "8", "ome-zarr setting 'buffer_mb' is '8'; expected a whole number from 16 to 1048576.")]
    [InlineData("threads", "many", "ome-zarr setting 'threads' is 'many'; expected a whole number from 1 to 256.")]
    [InlineData("write_threads", "0", "ome-zarr setting 'write_threads' is '0'; expected a whole number from 1 to 256.")]
    public void Bad_settings_are_named_in_the_error(string key, string value, string message)
    {
        var e = Assert.Throws<OmeZarrOptionsException>(() => Parse((key, value)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(key, e.Setting);
    }

    [Fact]
    public void NavigatesOmeZarrParametersAreSettingsThisPluginTakes()
    {
        var settings = Navigate.Experiment.OmeZarrParametersReader.Parse("""
            OMEZarrParameters:
              chunk_shape: [1, 1, 8, 256, 256]
              shard_shape: [1, 1, 32, 256, 256]
              down_sample:
                enabled: true
                scale_factors: [1, 2, 4, 8, 16]
            """);

        var options = OmeZarrOptions.Parse(settings);

        Assert.Equal(new ChunkShape(32, 256, 256), options.EffectiveShard);
        Assert.Equal(OmeZarrLayout.Hcs, options.Layout);
        Assert.Equal(5, options.Levels);
    }
}
