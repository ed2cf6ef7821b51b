using System.CommandLine;
using Navigate.Devices;
using Navigate.Host.Devices;
using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary><c>navigate devices [--camera NAME] [--json]</c>: the cameras and stages plugins provide, with their properties.</summary>
internal static class DevicesCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var camera = new Option<string?>("--camera") { Description = $"Show only this camera (default: every camera; '{DeviceCatalog.DefaultCamera}' is the default for acquisitions)." };
        var command = new Command("devices", "List cameras and stages with their properties (opens each device to read them).") { json, camera };
        command.SetAction(parse =>
        {
            using var session = CliSession.Start(parse, global);
            var catalog = session.Get<DeviceCatalog>();
            var chosen = parse.GetValue(camera);
            IEnumerable<ICameraFactory> cameras = chosen is null ? catalog.Cameras : [catalog.FindCamera(chosen)];
            var report = new DevicesReport(
                [.. cameras.Select(DescribeCamera)],
                [.. (chosen is null ? catalog.Stages : []).Select(DescribeStage)]);
            if (parse.GetValue(json))
            {
                CliJson.Write(console.Out, report);
                return report.HasErrors ? ExitCodes.RuntimeError : ExitCodes.Success;
            }

            Render(console.Ansi, report);
            return report.HasErrors ? ExitCodes.RuntimeError : ExitCodes.Success;
        });
        return command;
    }

    private static CameraReport DescribeCamera(ICameraFactory factory)
    {
        try
        {
            using var camera = factory.Open();
            return new CameraReport(factory.Name, camera.Info, camera.Settings, camera.DescribeProperties(), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CameraReport(factory.Name, null, null, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static StageReport DescribeStage(IStageFactory factory)
    {
        try
        {
            using var stage = factory.Open();
            var axes = stage.Axes.Select(a => new AxisReport(a, stage.GetLimits(a), stage.GetPosition()[a])).ToArray();
            return new StageReport(factory.Name, axes, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new StageReport(factory.Name, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static void Render(IAnsiConsole ansi, DevicesReport report)
    {
        foreach (var c in report.Cameras)
        {
            ansi.MarkupLine($"[bold]camera {Markup.Escape(c.Name)}[/]{(c.Name == DeviceCatalog.DefaultCamera ? " (default)" : string.Empty)}");
            if (c.Error is not null)
            {
                ansi.MarkupLine($"  [red]cannot open:[/] {Markup.Escape(c.Error)}");
                continue;
            }

            var i = c.Info!;
            ansi.MarkupLine(Markup.Escape($"  {i.Model}, serial {i.SerialNumber}, sensor {i.SensorWidth}×{i.SensorHeight} {i.PixelType} ({i.BitDepth}-bit), pixel {i.PixelSizeUm} µm"));
            var table = new Table().AddColumns("Property", "Value", "Min", "Max", "Step", "Unit", "Writable");
            foreach (var p in c.Properties)
            {
                table.AddRow(Markup.Escape(p.Name), G(p.Value), G(p.Minimum), G(p.Maximum), G(p.Step), Markup.Escape(p.Unit), p.Writable ? "yes" : "no");
            }

            ansi.Write(table);
        }

        foreach (var s in report.Stages)
        {
            ansi.MarkupLine($"[bold]stage {Markup.Escape(s.Name)}[/]");
            if (s.Error is not null)
            {
                ansi.MarkupLine($"  [red]cannot open:[/] {Markup.Escape(s.Error)}");
                continue;
            }

            var table = new Table().AddColumns("Axis", "Position", "Min", "Max");
            foreach (var a in s.Axes)
            {
                table.AddRow(a.Axis.ToString(), a.Position is { } p ? G(p) : "-", G(a.Limits.Minimum), G(a.Limits.Maximum));
            }

            ansi.Write(table);
        }

        if (report.Cameras.Count == 0 && report.Stages.Count == 0)
        {
            ansi.MarkupLine("No devices: no loaded plugin provides a camera or stage (see `navigate plugins`).");
        }
    }

    private static string G(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    internal sealed record DevicesReport(IReadOnlyList<CameraReport> Cameras, IReadOnlyList<StageReport> Stages)
    {
        public bool HasErrors => Cameras.Any(c => c.Error is not null) || Stages.Any(s => s.Error is not null);
    }

    internal sealed record CameraReport(string Name, CameraInfo? Info, CameraSettings? Settings, IReadOnlyList<CameraProperty> Properties, string? Error);

    internal sealed record StageReport(string Name, IReadOnlyList<AxisReport> Axes, string? Error);

    internal sealed record AxisReport(StageAxis Axis, AxisLimits Limits, double? Position);
}
