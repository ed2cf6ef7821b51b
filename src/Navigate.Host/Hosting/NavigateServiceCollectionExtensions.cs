using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Navigate.Host.Data;
using Navigate.Host.Devices;
using Navigate.Host.Plugins;
using Navigate.Plugins;

namespace Navigate.Host.Hosting;

/// <summary>Hosts Navigate's plugins in any application that uses Microsoft.Extensions.DependencyInjection.</summary>
public static class NavigateServiceCollectionExtensions
{
    /// <summary>
    /// Loads the plugins named by <see cref="NavigateOptions.PluginsFile"/> (and <see cref="NavigateOptions.Plugins"/>)
    /// now, registers their services, and adds <see cref="PluginCatalog"/>, <see cref="DeviceCatalog"/> and
    /// <see cref="FormatCatalog"/>. Plugins that cannot load are skipped with a warning and listed in the catalog.
    /// </summary>
    /// <exception cref="PluginManifestException">The plugins file is missing or unreadable.</exception>
    public static IServiceCollection AddNavigate(this IServiceCollection services, Action<NavigateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new NavigateOptions();
        configure?.Invoke(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var builder = new PluginCatalogBuilder(options.AssemblyLoader ?? new IsolatedPluginAssemblyLoader(), new ApiVersionGate(NavigateApi.Current), loggerFactory);

        var records = new List<PluginRecord>();
        string? manifestPath = null;
        if (options.PluginsFile is { } file)
        {
            var manifest = PluginManifestReader.Read(file);
            manifestPath = manifest.FilePath;
            records.AddRange(builder.Load(manifest, services));
        }

        foreach (var plugin in options.Plugins)
        {
            records.Add(builder.Add(plugin, services));
        }

        services.AddSingleton(new PluginCatalog(manifestPath, records));
        services.AddSingleton<DeviceCatalog>();
        services.AddSingleton<FormatCatalog>();
        return services;
    }
}
