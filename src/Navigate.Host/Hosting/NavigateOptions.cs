using Microsoft.Extensions.Logging;
using Navigate.Plugins;

namespace Navigate.Host.Hosting;

/// <summary>How <see cref="NavigateServiceCollectionExtensions.AddNavigate"/> finds and loads plugins.</summary>
public sealed class NavigateOptions
{
    /// <summary>The plugins.json to load; null to load none from a file (only <see cref="Plugins"/>).</summary>
    public string? PluginsFile { get; set; }

    /// <summary>Logger factory for plugin loading and for plugins; defaults to none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Plugin instances the application supplies itself, loaded after those of <see cref="PluginsFile"/>.</summary>
    public IList<INavigatePlugin> Plugins { get; } = [];

    /// <summary>The loader; replace only in tests.</summary>
    internal Navigate.Host.Plugins.IPluginAssemblyLoader? AssemblyLoader { get; set; }
}
