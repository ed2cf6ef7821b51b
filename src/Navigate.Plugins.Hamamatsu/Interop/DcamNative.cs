using System.Runtime.InteropServices;

namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>
/// The DCAM-API 4 functions navigate calls, bound with source-generated P/Invoke. Names and argument types follow
/// <c>dcamapi4.h</c>; each returns a <c>DCAMERR</c> (negative on failure). The library name <c>dcamapi</c> is
/// resolved by <see cref="DcamLibrary"/>, which the assembly registers as its import resolver.
/// </summary>
internal static unsafe partial class DcamNative
{
    public const string Library = "dcamapi";

    [LibraryImport(Library)]
    public static partial int dcamapi_init(DcamApiInit* param);

    [LibraryImport(Library)]
    public static partial int dcamapi_uninit();

    [LibraryImport(Library)]
    public static partial int dcamdev_open(DcamDevOpen* param);

    [LibraryImport(Library)]
    public static partial int dcamdev_close(nint hdcam);

    [LibraryImport(Library)]
    public static partial int dcamdev_getstring(nint hdcam, DcamDevString* param);

    [LibraryImport(Library)]
    public static partial int dcamprop_getattr(nint hdcam, DcamPropAttr* param);

    [LibraryImport(Library)]
    public static partial int dcamprop_getvalue(nint hdcam, int propertyId, double* value);

    [LibraryImport(Library)]
    public static partial int dcamprop_setvalue(nint hdcam, int propertyId, double value);

    [LibraryImport(Library)]
    public static partial int dcamprop_setgetvalue(nint hdcam, int propertyId, double* value, int option);

    // dcamapi4.h declares `const DCAMBUF_ATTACH*`: a pointer, on every platform (navigate's ctypes binding passes the
    // struct by value, which only works on Win64 where large structs travel by hidden pointer).
    [LibraryImport(Library)]
    public static partial int dcambuf_attach(nint hdcam, DcamBufAttach* param);

    [LibraryImport(Library)]
    public static partial int dcambuf_release(nint hdcam, int kind);

    [LibraryImport(Library)]
    public static partial int dcamcap_start(nint hdcam, int mode);

    [LibraryImport(Library)]
    public static partial int dcamcap_stop(nint hdcam);

    [LibraryImport(Library)]
    public static partial int dcamcap_transferinfo(nint hdcam, DcamCapTransferInfo* param);

    [LibraryImport(Library)]
    public static partial int dcamcap_firetrigger(nint hdcam, int kind);

    [LibraryImport(Library)]
    public static partial int dcamwait_open(DcamWaitOpen* param);

    [LibraryImport(Library)]
    public static partial int dcamwait_close(nint hwait);

    [LibraryImport(Library)]
    public static partial int dcamwait_start(nint hwait, DcamWaitStart* param);

    [LibraryImport(Library)]
    public static partial int dcamwait_abort(nint hwait);
}
