using System.CommandLine;
using System.Globalization;
using Navigate.Data;
using Navigate.Host.Data;

namespace Navigate.Host.Cli;

/// <summary><c>navigate convert SRC DST</c>: rewrites a dataset with other codecs, chunks or format.</summary>
internal static class ConvertCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var source = new Argument<string>("source") { Description = "The dataset to read." };
        var target = new Argument<string>("target") { Description = "Where the new dataset goes." };
        var format = new Option<string?>("--format") { Description = "The target's format (default: the source's)." };
        var compression = new Option<string?>("--compression") { Description = "none|lz4|zstd|gzip." };
        var clevel = new Option<int?>("--clevel") { Description = "Compression level." };
        var chunks = new Option<string?>("--chunks") { Description = "Chunk shape Z,Y,X." };
        var levels = new Option<int?>("--levels") { Description = "Pyramid levels, including full resolution." };
        var layout = new Option<string?>("--layout") { Description = "OME-Zarr layout: navigate|bioformats2raw." };
        var zarrVersion = new Option<string?>("--zarr-version") { Description = "OME-Zarr: 2 (OME-NGFF 0.4) or 3 (OME-NGFF 0.5, sharded)." };
        var shard = new Option<string?>("--shard") { Description = "OME-Zarr v3 shard shape Z,Y,X, a multiple of --chunks." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing data at the target." };
        var command = new Command("convert", "Rewrite a dataset (every level, position and its metadata) with other codecs, chunks or format.")
        {
            source, target, format, compression, clevel, chunks, levels, layout, zarrVersion, shard, overwrite,
        };
        command.SetAction(parse =>
        {
            using var session = CliSession.Start(parse, global);
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            void Put(string key, string? value)
            {
                if (value is not null)
                {
                    settings[key] = value;
                }
            }

            Put("compression", parse.GetValue(compression));
            Put("clevel", parse.GetValue(clevel)?.ToString(CultureInfo.InvariantCulture));
            Put("chunks", parse.GetValue(chunks));
            Put("levels", parse.GetValue(levels)?.ToString(CultureInfo.InvariantCulture));
            Put("layout", parse.GetValue(layout));
            Put("zarr_version", parse.GetValue(zarrVersion));
            Put("shard", parse.GetValue(shard));
            var options = new DataSourceOptions { Overwrite = parse.GetValue(overwrite), Settings = settings };
            var result = new DatasetConverter(session.Get<FormatCatalog>()).Convert(parse.GetValue(source)!, parse.GetValue(target)!, parse.GetValue(format), options);
            var what = result.Unit == ConversionUnit.Planes
                ? $"{result.Amount} planes"
                : string.Create(CultureInfo.InvariantCulture, $"{result.Amount / 1e6:F1} MB of pixels, every level");
            console.Out.WriteLine($"converted {what}: {parse.GetValue(source)} -> {parse.GetValue(target)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
