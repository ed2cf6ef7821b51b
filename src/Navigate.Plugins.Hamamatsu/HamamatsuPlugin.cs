using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Interop;

namespace Navigate.Plugins.Hamamatsu;

/// <summary>
/// Registers one <see cref="ICameraFactory"/> per camera DCAM-API finds: <c>hamamatsu</c> for the first (device index
/// 0) and <c>hamamatsu:&lt;serial&gt;</c> for each camera by serial number.
/// </summary>
/// <remarks>
/// <para>Settings (plugins.json): <c>library</c> (path of libdcamapi.so / dcamapi.dll, relative to plugins.json),
/// <c>ring_frames</c>, <c>trigger_active</c> (edge, level, syncreadout), <c>trigger_mode</c> (normal, start).</para>
/// <para>Enumeration: dcamapi_init gives the device count, but DCAM reports serial numbers only for open devices, so
/// the plugin opens and closes each camera once at start-up (about a second per camera on real hardware) and
/// uninitialises DCAM-API again; cameras are opened for use only by <see cref="ICameraFactory.Open"/>.</para>
/// <para>When DCAM-API cannot be loaded, <see cref="ConfigureServices"/> throws
/// <see cref="DcamLibraryNotFoundException"/> listing every path tried: the host logs that one line, records the
/// reason in its plugin catalog and goes on without this plugin. Finding no camera is not an error: one
/// information line, nothing registered.</para>
/// </remarks>
public sealed class HamamatsuPlugin : INavigatePlugin
{
    /// <inheritdoc />
    public PluginInfo Info { get; } = new("Navigate.Plugins.Hamamatsu", "1.0.0");

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var options = HamamatsuCameraOptions.FromPluginContext(context);
        var loadedFrom = DcamLibrary.Load(options.LibraryPath, context.Directory);
        if (options.LibraryPath is not null && loadedFrom != options.LibraryPath)
        {
            context.Logger.LogWarning(
                "Setting 'library' = '{Configured}' could not be loaded; using DCAM-API from '{Loaded}' instead.", options.LibraryPath, loadedFrom);
        }

        // Cameras opened later find the library that loaded here, wherever the search found it.
        options = options with { LibraryPath = loadedFrom };
        var cameras = HamamatsuCamera.Enumerate(options, context.Logger);
        if (cameras.Count == 0)
        {
            context.Logger.LogInformation("DCAM-API ({Library}) found no camera; no Hamamatsu camera is registered.", loadedFrom);
            return;
        }

        var factories = new List<HamamatsuCameraFactory>
        {
            new("hamamatsu", index: 0, serialNumber: null, options, context.Logger),
        };
        foreach (var camera in cameras)
        {
            if (camera.SerialNumber is { Length: > 0 } serial)
            {
                factories.Add(new($"hamamatsu:{serial}", index: null, serial, options, context.Logger));
            }
        }

        foreach (var factory in factories)
        {
            services.AddSingleton<ICameraFactory>(factory);
        }

        context.Logger.LogInformation(
            "DCAM-API ({Library}): {Cameras}",
            loadedFrom,
            string.Join(", ", cameras.Select(c => $"#{c.Index} {c.Model ?? "?"} S/N {c.SerialNumber ?? "?"}")));
    }
}

/// <summary>Opens one Hamamatsu camera, by device index or by serial number.</summary>
public sealed class HamamatsuCameraFactory : ICameraFactory
{
    private readonly int? _index;
    private readonly string? _serialNumber;
    private readonly HamamatsuCameraOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a factory for the camera at <paramref name="index"/>, or else the one with <paramref name="serialNumber"/>.</summary>
    public HamamatsuCameraFactory(string name, int? index, string? serialNumber, HamamatsuCameraOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (index is null == serialNumber is null)
        {
            throw new ArgumentException("Give either a device index or a serial number.", nameof(index));
        }

        Name = name;
        _index = index;
        _serialNumber = serialNumber;
        _options = options with { Name = name };
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public ICamera Open() => _index is { } index
        ? HamamatsuCamera.Open(index, _options, _logger)
        : HamamatsuCamera.OpenBySerial(_serialNumber!, _options, _logger);
}
