using System.CommandLine;
using System.Globalization;
using Navigate.Host.Benchmarks;
using Navigate.Host.Devices;
using Navigate.Host.Plugins;
using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary><c>navigate bench</c>: write throughput against references measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var output = new Option<string>("--out") { Description = "Folder to write in (default ./navigate-bench); deleted data after each row.", DefaultValueFactory = _ => "navigate-bench" };
        var gigabytes = new Option<double>("--gigabytes") { Description = "Data per row in GiB (default 2).", DefaultValueFactory = _ => 2 };
        var width = new Option<int>("--width") { Description = "Frame width (default 2048).", DefaultValueFactory = _ => 2048 };
        var height = new Option<int>("--height") { Description = "Frame height (default 2048).", DefaultValueFactory = _ => 2048 };
        var only = new Option<string[]>("--only") { Description = "Only our rows whose name contains one of these (e.g. lz4).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("bench", "Measure write throughput: plain file write (the disk), navigate none/lz4/zstd with and without pyramid, zarr-python; prints ratios.")
        {
            output, gigabytes, width, height, only, json,
        };
        command.SetAction(parse =>
        {
            using var session = CliSession.Start(parse, global);
            var w = parse.GetValue(width);
            var h = parse.GetValue(height);
            var frames = (int)Math.Max(1, Math.Round(parse.GetValue(gigabytes) * (1L << 30) / ((long)w * h * 2)));
            var plugins = session.PluginsFile ?? throw new UsageException("bench: no plugins.json found; pass --plugins FILE.");
            var runner = new BenchRunner(session.Get<DeviceCatalog>(), session.Get<PluginCatalog>(), parse.GetValue(output)!, w, h, frames, plugins, console.Error);
            var selected = parse.GetValue(only);
            var report = runner.Run(selected is { Length: > 0 } ? selected : null);
            if (parse.GetValue(json))
            {
                CliJson.Write(console.Out, report);
                return ExitCodes.Success;
            }

            console.Ansi.MarkupLine(Markup.Escape($"{report.Machine}; {report.Frames} frames of {report.FrameWidth}×{report.FrameHeight} uint16 per row, in {report.Folder}"));
            var table = new Table().AddColumns("Writer", "MB/s", "× plain", "× disk bound", "Cores busy", "CPU s/GB", "Peak RSS MB", "Ratio", "Files", "Dropped");
            foreach (var r in report.Rows)
            {
                if (r.Error is not null)
                {
                    table.AddRow(Markup.Escape(r.Name), "-", "-", "-", "-", "-", "-", "-", "-", Markup.Escape(r.Error));
                    continue;
                }

                table.AddRow(
                    Markup.Escape(r.Name),
                    F(r.MegabytesPerSecond, "F0"),
                    F(r.RatioToPlainWrite, "F2"),
                    F(r.RatioToDiskBound, "F2"),
                    F(r.CoresBusy, "F2"),
                    F(r.CpuSecondsPerGigabyte, "F2"),
                    F(r.PeakMemoryBytes / 1e6, "F0"),
                    F(r.CompressionRatio, "F2"),
                    r.Files.ToString(CultureInfo.InvariantCulture),
                    r.FramesDropped.ToString(CultureInfo.InvariantCulture));
            }

            console.Ansi.Write(table);
            if (report.Warnings.Count > 0)
            {
                // The details went to stderr when the run began; by the table, a reminder that these rows do not count.
                console.Ansi.MarkupLine($"[yellow]warning:[/] {report.Warnings.Count} Debug build(s) measured (listed at the start): not a Release install's figures.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
