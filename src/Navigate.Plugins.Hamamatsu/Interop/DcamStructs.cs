using System.Runtime.InteropServices;

namespace Navigate.Plugins.Hamamatsu.Interop;

// The parameter structs of dcamapi4.h, field for field (x64 sizes in the comments). DCAM's header packs to 8, which is
// natural alignment for these fields, so Sequential with Pack = 8 reproduces it. Every struct is blittable: no
// marshalling stub copies it, the generated P/Invoke passes a pointer to the caller's struct. The first field is the
// `size` the library checks against sizeof.

/// <summary><c>DCAMAPI_INIT</c> (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamApiInit
{
    public int Size;
    public int DeviceCount;
    public int Reserved;
    public int InitOptionBytes;
    public nint InitOption;
    public nint Guid;
}

/// <summary><c>DCAMDEV_OPEN</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamDevOpen
{
    public int Size;
    public int Index;
    public nint Hdcam;
}

/// <summary><c>DCAMDEV_STRING</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamDevString
{
    public int Size;
    public int StringId;
    public nint Text;
    public int TextBytes;
}

/// <summary><c>DCAMPROP_ATTR</c> (88 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamPropAttr
{
    public int Size;
    public int PropertyId;
    public int Option;
    public int Reserved1;
    public int Attribute;
    public int Group;
    public int Unit;
    public int Attribute2;
    public double ValueMin;
    public double ValueMax;
    public double ValueStep;
    public double ValueDefault;
    public int MaxChannel;
    public int Reserved3;
    public int MaxView;
    public int NumberOfElementProperty;
    public int ArrayBaseProperty;
    public int ElementPropertyStep;

    public readonly bool IsWritable => (Attribute & DcamAttribute.Writable) != 0;

    public readonly bool HasStep => (Attribute & DcamAttribute.HasStep) != 0 && ValueStep > 0;
}

/// <summary><c>DCAMBUF_ATTACH</c> (24 bytes): <c>Buffers</c> points at an array of <c>BufferCount</c> frame pointers.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamBufAttach
{
    public int Size;
    public int Kind;
    public nint Buffers;
    public int BufferCount;
}

/// <summary><c>DCAMCAP_TRANSFERINFO</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamCapTransferInfo
{
    public int Size;
    public int Kind;
    public int NewestFrameIndex;
    public int FrameCount;
}

/// <summary><c>DCAMWAIT_OPEN</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamWaitOpen
{
    public int Size;
    public int SupportEvent;
    public nint Hwait;
    public nint Hdcam;
}

/// <summary><c>DCAMWAIT_START</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct DcamWaitStart
{
    public int Size;
    public int EventHappened;
    public int EventMask;
    public int Timeout;
}

/// <summary>Bits of <see cref="DcamPropAttr.Attribute"/> (<c>DCAMPROPATTRIBUTE</c>).</summary>
internal static class DcamAttribute
{
    public const int HasRange = unchecked((int)0x80000000);
    public const int HasStep = 0x40000000;
    public const int HasDefault = 0x20000000;
    public const int Writable = 0x00020000;
    public const int Readable = 0x00010000;
    public const int TypeMask = 0x0000000F;
    public const int TypeMode = 1;
    public const int TypeLong = 2;
    public const int TypeReal = 3;
}

/// <summary>Other DCAM constants the plugin uses.</summary>
internal static class DcamConstants
{
    public const int CapStartSequence = -1;
    public const int CapStartSnap = 0;
    public const int AttachKindFrame = 0;
    public const int TransferKindFrame = 0;
    public const int EventFrameReady = 0x0002;
    public const int EventStopped = 0x0010;
    public const int StringBus = 0x04000101;
    public const int StringCameraId = 0x04000102;
    public const int StringVendor = 0x04000103;
    public const int StringModel = 0x04000104;
    public const int StringCameraVersion = 0x04000105;
    public const int StringDriverVersion = 0x04000106;
    public const int ModeOff = 1;
    public const int ModeOn = 2;
    public const int PixelTypeMono8 = 1;
    public const int PixelTypeMono16 = 2;
}
