namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>
/// <c>dcamapi_init</c> / <c>dcamapi_uninit</c> for the whole process, reference-counted over the users (open cameras
/// and enumerations) as navigate's <c>camReg</c> does: the first user initialises, the last one uninitialises.
/// </summary>
internal static unsafe class DcamApi
{
    private static readonly Lock Gate = new();
    private static int s_users;
    private static int s_deviceCount;

    /// <summary>Initialises DCAM-API if no one else holds it; dispose the lease to give it back.</summary>
    /// <exception cref="DcamException">dcamapi_init failed (other than finding no camera).</exception>
    public static Lease Acquire()
    {
        lock (Gate)
        {
            if (s_users == 0)
            {
                var init = new DcamApiInit { Size = sizeof(DcamApiInit) };
                var err = DcamNative.dcamapi_init(&init);
                if (err < 0 && err != DcamErrors.NoCamera)
                {
                    // Hamamatsu's samples call uninit after a failed init too.
                    _ = DcamNative.dcamapi_uninit();
                    throw new DcamException(err, "dcamapi_init");
                }

                // NOCAMERA leaves the API initialised with no device: still a user, still uninit at the end.
                s_deviceCount = err < 0 ? 0 : init.DeviceCount;
            }

            s_users++;
            return new Lease(s_deviceCount);
        }
    }

    /// <summary>How many leases are out (for tests).</summary>
    internal static int Users
    {
        get
        {
            lock (Gate)
            {
                return s_users;
            }
        }
    }

    private static void Release()
    {
        lock (Gate)
        {
            if (--s_users == 0)
            {
                var err = DcamNative.dcamapi_uninit();
                if (err < 0)
                {
                    throw new DcamException(err, "dcamapi_uninit");
                }
            }
        }
    }

    /// <summary>One user's hold on the initialised API.</summary>
    public sealed class Lease : IDisposable
    {
        private int _released;

        internal Lease(int deviceCount) => DeviceCount = deviceCount;

        /// <summary>The number of cameras dcamapi_init found.</summary>
        public int DeviceCount { get; }

        /// <summary>Gives the hold back; the last one uninitialises DCAM-API.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Release();
            }
        }
    }
}
