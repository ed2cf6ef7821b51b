using System.CommandLine;
using System.Globalization;
using Navigate.Data;
using Navigate.Host.Data;
using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary><c>navigate inspect PATH [--json]</c>: every image, position and level of a dataset.</summary>
internal static class InspectCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var path = new Argument<string>("path") { Description = "The dataset (an OME-Zarr folder, a TIFF file ...)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var format = new Option<string?>("--format") { Description = "Read it as this format (default: the format that recognises it)." };
        var command = new Command("inspect", "Describe a dataset: every image, position and level with shape, chunks, dtype, codec, axes, scale and channels, and its label images.") { path, json, format };
        command.SetAction(parse =>
        {
            using var session = CliSession.Start(parse, global);
            var description = new DatasetDescriber(session.Get<FormatCatalog>()).Describe(parse.GetValue(path)!, parse.GetValue(format));
            if (parse.GetValue(json))
            {
                CliJson.Write(console.Out, description);
                return ExitCodes.Success;
            }

            console.Ansi.MarkupLine($"[bold]{Markup.Escape(description.Path)}[/] ({Markup.Escape(description.Format)}), {description.Images.Count} image(s)");
            foreach (var image in description.Images)
            {
                var axes = string.Join(", ", image.Axes.Select(a => a.Unit is null ? $"{a.Name} ({a.Type})" : $"{a.Name} ({a.Type}, {a.Unit})"));
                console.Ansi.MarkupLine(Markup.Escape($"image {image.Name} at '{image.Path}': axes {axes}"));
                if (image.Channels.Count > 0)
                {
                    console.Ansi.MarkupLine(Markup.Escape("  channels: " + string.Join(", ", image.Channels.Select(c => $"{c.Name} #{c.Color}"))));
                }

                console.Ansi.Write(LevelTable(image.Levels));
                foreach (var label in image.Labels)
                {
                    console.Ansi.MarkupLine(Markup.Escape($"  label {label.Name} at '{label.Path}'"));
                    console.Ansi.Write(LevelTable(label.Levels));
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Table LevelTable(IReadOnlyList<LevelDescription> levels)
    {
        var table = new Table().AddColumns("Level", "Shape", "Chunks", "Dtype", "Codec", "Scale", "Translation");
        foreach (var level in levels)
        {
            table.AddRow(
                Markup.Escape(level.Path),
                string.Join("×", level.Shape),
                string.Join("×", level.Chunks),
                level.DataType,
                Markup.Escape(level.Codec),
                string.Join(", ", level.Scale.Select(G)),
                level.Translation is null ? "-" : string.Join(", ", level.Translation.Select(G)));
        }

        return table;
    }

    private static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
