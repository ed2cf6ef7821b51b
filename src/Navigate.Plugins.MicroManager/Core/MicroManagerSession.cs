using Microsoft.Extensions.Logging;
using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Core;

/// <summary>
/// The one <c>CMMCore</c> a plugin entry's camera and stages share, loaded from the configuration when the first of
/// them opens and unloaded when the last one closes (a real core owns the hardware: two cores must not load the
/// same devices).
/// </summary>
internal sealed class MicroManagerSession
{
    private readonly Lock _gate = new();
    private readonly MicroManagerSettings _settings;
    private readonly string _libjvm;
    private readonly ILogger _logger;
    private MmCore? _core;
    private int _users;

    public MicroManagerSession(MicroManagerSettings settings, string libjvm, ILogger logger)
    {
        _settings = settings;
        _libjvm = libjvm;
        _logger = logger;
    }

    /// <summary>The settings the session was made with.</summary>
    public MicroManagerSettings Settings => _settings;

    /// <summary>Returns the loaded core, starting the JVM and loading the configuration for the first user.</summary>
    /// <exception cref="JvmStartException">The JVM cannot be started.</exception>
    /// <exception cref="MicroManagerConfigurationException">MMCoreJ cannot be used, or the configuration does not load (carries the core's message).</exception>
    public MmCore Acquire()
    {
        lock (_gate)
        {
            if (_core is null)
            {
                _core = Load();
            }

            _users++;
            return _core;
        }
    }

    /// <summary>Gives the core back; the last user unloads the devices.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_users == 0 || --_users > 0 || _core is null)
            {
                return;
            }

            var core = _core;
            _core = null;
            try
            {
                core.UnloadAllDevices();
            }
            catch (JavaException e)
            {
                _logger.LogWarning(e, "Micro-Manager: unloading the devices of '{Config}' failed", _settings.ConfigFile);
            }
            finally
            {
                core.Dispose();
            }
        }
    }

    private MmCore Load()
    {
        var jar = _settings.MmcorejJarPath;
        var jvm = JavaVirtualMachine.GetOrCreate(new JvmStartOptions(
            _libjvm,
            [jar],
            new Dictionary<string, string> { ["mmcorej.library.path"] = _settings.MicromanagerDir },
            _settings.JvmOptions));

        MmCore core;
        try
        {
            core = MmCore.Create(jvm);
        }
        catch (JavaException e)
        {
            throw new MicroManagerConfigurationException(
                $"MMCoreJ from '{jar}' cannot be used: {e.Message}. Is it the MMCoreJ.jar of a Micro-Manager 2 install, with MMCoreJ_wrap in micromanagerDir '{_settings.MicromanagerDir}'?", e);
        }

        try
        {
            core.SetDeviceAdapterSearchPaths(_settings.DeviceAdapterPaths ?? [_settings.MicromanagerDir]);
            if (_settings.CircularBufferMB is { } mb)
            {
                core.SetCircularBufferMemoryFootprint(mb);
            }

            core.LoadSystemConfiguration(_settings.ConfigFile);
        }
        catch (JavaException e)
        {
            core.Dispose();
            throw new MicroManagerConfigurationException(
                $"Micro-Manager could not load the configuration '{_settings.ConfigFile}': {e.JavaMessage?.Trim() ?? e.Message}", e);
        }

        _logger.LogInformation(
            "Micro-Manager: {Version} loaded '{Config}' (JVM {Jvm})", core.GetVersionInfo(), _settings.ConfigFile, jvm.LibraryPath);
        return core;
    }
}
