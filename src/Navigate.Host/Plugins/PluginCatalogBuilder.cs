using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins;

namespace Navigate.Host.Plugins;

/// <summary>
/// Loads the plugins a manifest lists and registers their services. A plugin that cannot be used is skipped with one
/// log line and a status; it never takes the host or the other plugins down (as a failing Serilog sink never takes the
/// logger down).
/// </summary>
public sealed class PluginCatalogBuilder
{
    private readonly IPluginAssemblyLoader _loader;
    private readonly ApiVersionGate _gate;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Creates a builder.</summary>
    public PluginCatalogBuilder(IPluginAssemblyLoader loader, ApiVersionGate gate, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loader = loader;
        _gate = gate;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Navigate.Plugins");
    }

    /// <summary>Loads every entry of <paramref name="manifest"/>, adding the services of those that load to <paramref name="services"/>.</summary>
    public IReadOnlyList<PluginRecord> Load(PluginManifest manifest, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(services);
        var records = new List<PluginRecord>(manifest.Entries.Count);
        foreach (var entry in manifest.Entries)
        {
            var record = LoadEntry(manifest, entry, services);
            if (record.Status is PluginStatus.Loaded)
            {
                _logger.LogDebug("Plugin {Name} {Version} loaded from {Path}: {Provides}", record.Name, record.Version, record.Path, string.Join(", ", record.Provides));
            }
            else if (record.Status is not PluginStatus.Disabled)
            {
                _logger.LogWarning("Plugin '{Name}' skipped ({Status}): {Reason}", record.Name, record.Status, record.Reason);
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>Registers a plugin instance that the embedding application created itself (no plugins.json, no isolation).</summary>
    public PluginRecord Add(INavigatePlugin plugin, IServiceCollection services, System.Text.Json.JsonElement settings = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var info = plugin.Info;
        var directory = Path.GetDirectoryName(plugin.GetType().Assembly.Location) ?? AppContext.BaseDirectory;
        var entry = new PluginEntry(info.Name, plugin.GetType().Assembly.Location, true, null, settings);
        return Configure(entry, plugin, info, directory, directory, services);
    }

    private PluginRecord LoadEntry(PluginManifest manifest, PluginEntry entry, IServiceCollection services)
    {
        if (entry.Problem is not null)
        {
            return Skip(entry, entry.Path, PluginStatus.Rejected, entry.Problem);
        }

        var path = Path.GetFullPath(entry.Path, manifest.Directory);
        if (!entry.Enabled)
        {
            return Skip(entry, path, PluginStatus.Disabled, "disabled in plugins.json.");
        }

        if (EscapesFolder(manifest.Directory, path))
        {
            return Skip(entry, path, PluginStatus.Rejected, $"its path '{entry.Path}' resolves to {path}, outside the plugins.json folder {manifest.Directory}.");
        }

        if (!File.Exists(path))
        {
            return Skip(entry, path, PluginStatus.Rejected, $"file not found: {path} (path '{entry.Path}' relative to {manifest.FilePath}). Build it with `dotnet build`, or fix the path.");
        }

        if (entry.Sha256 is { } expected)
        {
            var actual = HashFile(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                return Skip(entry, path, PluginStatus.Rejected, $"sha256 mismatch for {path}: plugins.json expects {expected.ToLowerInvariant()}, the file has {actual}.");
            }
        }

        LoadedPluginAssembly loaded;
        try
        {
            loaded = _loader.Load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Skip(entry, path, PluginStatus.Failed, $"cannot load {path}: {e.GetType().Name}: {e.Message}");
        }

        if (_gate.CheckReference(loaded.AbstractionsReference) is { } referenceProblem)
        {
            return Skip(entry, path, PluginStatus.Incompatible, referenceProblem);
        }

        Type[] entryTypes;
        try
        {
            entryTypes = FindEntryTypes(loaded.Assembly);
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or TypeLoadException or FileLoadException or FileNotFoundException or BadImageFormatException)
        {
            return Skip(entry, path, PluginStatus.Failed, $"cannot read the types of {Path.GetFileName(path)}: {e.GetType().Name}: {FirstLoaderMessage(e)}");
        }

        if (entryTypes.Length == 0)
        {
            return Skip(entry, path, PluginStatus.Failed, $"{Path.GetFileName(path)} has no public, concrete type implementing {nameof(INavigatePlugin)} with a public parameterless constructor{ForeignInterfaceHint(loaded.Assembly)}.");
        }

        // All entry types of one assembly form one plugin: any failure skips them all, so a plugin is never half there.
        var staged = new ServiceCollection();
        var infos = new List<PluginInfo>();
        var provides = new List<string>();
        foreach (var type in entryTypes)
        {
            INavigatePlugin plugin;
            try
            {
                plugin = (INavigatePlugin)Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                return Skip(entry, path, PluginStatus.Failed, $"its entry type {type.FullName} threw {e.InnerException.GetType().Name} in its constructor: {e.InnerException.Message}");
            }
            catch (Exception e) when (e is MissingMethodException or MemberAccessException or TypeLoadException)
            {
                return Skip(entry, path, PluginStatus.Failed, $"its entry type {type.FullName} cannot be created: {e.Message}");
            }

            PluginInfo info;
            try
            {
                info = plugin.Info ?? throw new InvalidOperationException("Info is null.");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Skip(entry, path, PluginStatus.Failed, $"its entry type {type.FullName} threw reading Info: {e.Message}");
            }

            if (_gate.CheckDeclared(info.ApiVersion) is { } declaredProblem)
            {
                return Skip(entry, path, PluginStatus.Incompatible, declaredProblem, info);
            }

            var record = Configure(entry, plugin, info, Path.GetDirectoryName(path)!, manifest.Directory, staged);
            if (record.Status != PluginStatus.Loaded)
            {
                return record with { Path = path };
            }

            infos.Add(info);
            provides.AddRange(record.Provides);
        }

        foreach (var descriptor in staged)
        {
            services.Add(descriptor);
        }

        return new PluginRecord(entry.Name, path, PluginStatus.Loaded, null, infos[0].Version, infos[0].ApiVersion, provides);
    }

    private PluginRecord Configure(PluginEntry entry, INavigatePlugin plugin, PluginInfo info, string directory, string manifestDirectory, IServiceCollection target)
    {
        var staged = new ServiceCollection();
        var context = new PluginContext(entry.Name, directory, entry.Settings, _loggerFactory.CreateLogger(entry.Name), manifestDirectory);
        try
        {
            plugin.ConfigureServices(staged, context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Skip(entry, entry.Path, PluginStatus.Failed, $"{plugin.GetType().FullName}.ConfigureServices threw {e.GetType().Name}: {e.Message}", info);
        }

        foreach (var descriptor in staged)
        {
            target.Add(descriptor);
        }

        return new PluginRecord(entry.Name, entry.Path, PluginStatus.Loaded, null, info.Version, info.ApiVersion, Describe(staged));
    }

    private static List<string> Describe(IServiceCollection staged)
    {
        var provides = new List<string>();
        foreach (var d in staged)
        {
            var instance = d.IsKeyedService ? d.KeyedImplementationInstance : d.ImplementationInstance;
            provides.Add(instance switch
            {
                ICameraFactory camera => $"camera:{camera.Name}",
                IStageFactory stage => $"stage:{stage.Name}",
                IDataSourceFormat format => $"format:{format.Name}",
                _ => d.ServiceType.Name,
            });
        }

        return provides;
    }

    private static Type[] FindEntryTypes(Assembly assembly)
        => [.. assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
            && typeof(INavigatePlugin).IsAssignableFrom(t)
            && t.GetConstructor(Type.EmptyTypes) is not null)];

    private static string ForeignInterfaceHint(Assembly assembly)
    {
        // A plugin that shipped its own copy of Navigate.Abstractions implements an INavigatePlugin the host cannot see.
        var foreign = assembly.GetExportedTypes()
            .SelectMany(t => t.GetInterfaces())
            .FirstOrDefault(i => i.FullName == typeof(INavigatePlugin).FullName && i != typeof(INavigatePlugin));
        return foreign is null
            ? string.Empty
            : $" (it implements an INavigatePlugin from another copy of Navigate.Abstractions, {foreign.Assembly.Location}: reference it with Private=false)";
    }

    private static string FirstLoaderMessage(Exception e)
        => e is ReflectionTypeLoadException r && r.LoaderExceptions.FirstOrDefault(x => x is not null) is { } first ? first.Message : e.Message;

    private static bool EscapesFolder(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return true;
        }

        // A link inside the folder that points outside it escapes as well.
        var target = File.Exists(path) ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) : null;
        return target is not null && EscapesFolder(folder, target.FullName);
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static PluginRecord Skip(PluginEntry entry, string path, PluginStatus status, string reason, PluginInfo? info = null)
        => new(entry.Name, path, status, reason, info?.Version, info?.ApiVersion, []);
}
