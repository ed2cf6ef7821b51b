using System.CommandLine;
using Navigate.Host.Plugins;
using Spectre.Console;

namespace Navigate.Host.Cli;

/// <summary><c>navigate plugins [--json]</c>: every plugins.json entry with version, API version, what it provides and its status.</summary>
internal static class PluginsCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("plugins", "List the plugins of plugins.json: name, version, API version, what each provides, status, path.") { json };
        command.SetAction(parse =>
        {
            using var session = CliSession.Start(parse, global);
            var catalog = session.Get<PluginCatalog>();
            if (parse.GetValue(json))
            {
                CliJson.Write(console.Out, catalog);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Name", "Version", "API", "Provides", "Status", "Path");
            foreach (var p in catalog.Plugins)
            {
                var status = p.Status == PluginStatus.Loaded
                    ? "[green]loaded[/]"
                    : $"[yellow]{p.Status.ToString().ToLowerInvariant()}[/]: {Markup.Escape(p.Reason ?? string.Empty)}";
                table.AddRow(
                    Markup.Escape(p.Name),
                    Markup.Escape(p.Version ?? "-"),
                    Markup.Escape(p.ApiVersion ?? "-"),
                    Markup.Escape(string.Join(", ", p.Provides)),
                    status,
                    Markup.Escape(p.Path));
            }

            console.Ansi.Write(table);
            console.Ansi.MarkupLine($"plugins file: {Markup.Escape(catalog.ManifestPath ?? "(none)")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
