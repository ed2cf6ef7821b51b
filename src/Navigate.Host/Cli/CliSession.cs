using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Host.Hosting;

namespace Navigate.Host.Cli;

/// <summary>The services one CLI command runs with: plugins from the chosen plugins.json, console logging to stderr.</summary>
internal sealed class CliSession : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private CliSession(ServiceProvider services, ILoggerFactory loggerFactory, string? pluginsFile)
    {
        Services = services;
        _loggerFactory = loggerFactory;
        PluginsFile = pluginsFile;
    }

    public ServiceProvider Services { get; }

    public string? PluginsFile { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static CliSession Start(ParseResult parse, GlobalOptions global)
    {
        var verbose = parse.GetValue(global.Verbose);
        var loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = false;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var pluginsFile = PluginsFileLocator.Find(parse.GetValue(global.Plugins), loggerFactory.CreateLogger("Navigate.Host"));
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddNavigate(o =>
        {
            o.PluginsFile = pluginsFile;
            o.LoggerFactory = loggerFactory;
        });
        return new CliSession(services.BuildServiceProvider(), loggerFactory, pluginsFile);
    }

    public void Dispose()
    {
        Services.Dispose();
        _loggerFactory.Dispose();
    }
}
