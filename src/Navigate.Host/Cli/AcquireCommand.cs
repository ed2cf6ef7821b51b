using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Navigate.Host.Acquisition;
using Navigate.Host.Data;
using Navigate.Host.Devices;
using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary><c>navigate acquire</c>: an acquisition from a camera into a dataset, with progress and a summary.</summary>
internal static class AcquireCommand
{
    /// <summary>Exit code of an acquisition stopped by Ctrl-C or SIGTERM (dataset closed and readable).</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code when <c>--fail-on-drop</c> is given and frames were dropped.</summary>
    public const int DroppedFrames = 3;

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var o = new AcquireOptions();
        var command = new Command("acquire", "Acquire frames from a camera into a dataset (default: the synthetic camera, a small 2-channel, 2-position stack, OME-Zarr).");
        o.AddTo(command);
        command.SetAction(parse =>
        {
            var request = o.ToRequest(parse);
            using var session = CliSession.Start(parse, global);
            var engine = new AcquisitionEngine(session.Get<DeviceCatalog>(), session.Get<FormatCatalog>(), session.Get<ILoggerFactory>());
            using var stop = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

            var json = parse.GetValue(o.Json);
            var summary = json || !console.ErrorAnsi.Profile.Capabilities.Interactive
                ? engine.Run(request, new LineProgress(console.Error, json), stop.Token)
                : RunWithProgressBar(console, engine, request, stop.Token);

            if (json)
            {
                CliJson.Write(console.Out, summary);
            }
            else
            {
                Print(console.Ansi, summary);
            }

            if (summary.Interrupted)
            {
                return Interrupted;
            }

            return summary.FramesDropped > 0 && parse.GetValue(o.FailOnDrop) ? DroppedFrames : ExitCodes.Success;

            void Stop(PosixSignalContext context)
            {
                // Keep the process alive: the engine stops the camera, writes what was captured and closes the dataset.
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }

    private static AcquisitionSummary RunWithProgressBar(CliConsole console, AcquisitionEngine engine, AcquisitionRequest request, CancellationToken token)
    {
        AcquisitionSummary? summary = null;
        console.ErrorAnsi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("acquiring", maxValue: request.Metadata.FrameCount);
                summary = engine.Run(request, new TaskProgress(task), token);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    private static void Print(IAnsiConsole ansi, AcquisitionSummary s)
    {
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("output", Markup.Escape($"{s.Output} ({s.Format})"));
        table.AddRow("camera", Markup.Escape($"{s.Camera}, {s.Width}×{s.Height}"));
        table.AddRow("frames written", $"{s.FramesWritten} of {s.FramesExpected}{(s.Interrupted ? " [yellow](interrupted)[/]" : string.Empty)}");
        table.AddRow("frames dropped", s.FramesDropped == 0 ? "0" : $"[red]{s.FramesDropped}[/] (first: {string.Join(", ", s.DroppedFrames.Take(10))})");
        table.AddRow("data", string.Create(CultureInfo.InvariantCulture, $"{s.BytesWritten / 1e6:F1} MB raw, {s.BytesOnDisk / 1e6:F1} MB on disk, compression ratio {s.CompressionRatio:F2}"));
        table.AddRow("speed", string.Create(CultureInfo.InvariantCulture, $"{s.MegabytesPerSecond:F0} MB/s, {s.FramesPerSecond:F1} frames/s over {s.Seconds:F2} s"));
        ansi.Write(table);
    }

    /// <summary>Progress for non-interactive output: a line on stderr every few seconds (none with --json).</summary>
    private sealed class LineProgress(TextWriter error, bool quiet) : IProgress<AcquisitionProgress>
    {
        private TimeSpan? _last;

        public void Report(AcquisitionProgress p)
        {
            if (quiet || (_last is { } last && p.Elapsed - last < TimeSpan.FromSeconds(2)))
            {
                return;
            }

            _last = p.Elapsed;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"navigate: {p.FramesWritten}/{p.FramesExpected} frames, {p.FramesPerSecond:F0} fps, {p.MegabytesPerSecond:F0} MB/s, queue {p.QueueFill:P0}, dropped {p.FramesDropped}"));
        }
    }

    /// <summary>Shows progress in a Spectre progress bar (its tasks may be updated from any thread).</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<AcquisitionProgress>
    {
        public void Report(AcquisitionProgress p)
        {
            task.Value = p.FramesWritten;
            task.Description = string.Create(CultureInfo.InvariantCulture, $"{p.FramesWritten}/{p.FramesExpected} frames  {p.FramesPerSecond:F0} fps  {p.MegabytesPerSecond:F0} MB/s  queue {p.QueueFill:P0}  dropped {p.FramesDropped}");
        }
    }
}
