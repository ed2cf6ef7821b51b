using System.Collections.Frozen;

namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>The <c>DCAMERR</c> codes of dcamapi4.h the plugin can name, as the negative int32 values functions return.</summary>
internal static class DcamErrors
{
    public const int Success = 1;
    public const int Busy = unchecked((int)0x80000101);
    public const int Abort = unchecked((int)0x80000102);
    public const int NotReady = unchecked((int)0x80000103);
    public const int Timeout = unchecked((int)0x80000106);
    public const int NoCamera = unchecked((int)0x80000206);
    public const int InvalidCamera = unchecked((int)0x80000806);
    public const int InvalidHandle = unchecked((int)0x80000807);
    public const int InvalidParam = unchecked((int)0x80000808);
    public const int InvalidValue = unchecked((int)0x80000821);
    public const int OutOfRange = unchecked((int)0x80000822);
    public const int NotWritable = unchecked((int)0x80000823);
    public const int InvalidPropertyId = unchecked((int)0x80000825);
    public const int NotSupport = unchecked((int)0x80000F03);

    private static readonly FrozenDictionary<int, string> Names = new Dictionary<int, string>
    {
        [unchecked((int)0x80000101)] = "BUSY",
        [unchecked((int)0x80000102)] = "ABORT",
        [unchecked((int)0x80000103)] = "NOTREADY",
        [unchecked((int)0x80000104)] = "NOTSTABLE",
        [unchecked((int)0x80000105)] = "UNSTABLE",
        [unchecked((int)0x80000106)] = "TIMEOUT",
        [unchecked((int)0x80000107)] = "NOTBUSY",
        [unchecked((int)0x80000110)] = "EXCLUDED",
        [unchecked((int)0x80000301)] = "LOSTFRAME",
        [unchecked((int)0x80000302)] = "COOLINGTROUBLE",
        [unchecked((int)0x80000303)] = "NOTRIGGER",
        [unchecked((int)0x80000304)] = "TEMPERATURE_TROUBLE",
        [unchecked((int)0x80000305)] = "TOOFREQUENTTRIGGER",
        [unchecked((int)0x80000F06)] = "MISSINGFRAME_TROUBLE",
        [unchecked((int)0x80000201)] = "NORESOURCE",
        [unchecked((int)0x80000203)] = "NOMEMORY",
        [unchecked((int)0x80000204)] = "NOMODULE",
        [unchecked((int)0x80000205)] = "NODRIVER",
        [unchecked((int)0x80000206)] = "NOCAMERA",
        [unchecked((int)0x80000207)] = "NOGRABBER",
        [unchecked((int)0x81001001)] = "FAILOPENBUS",
        [unchecked((int)0x82001001)] = "FAILOPENCAMERA",
        [unchecked((int)0x80000806)] = "INVALIDCAMERA",
        [unchecked((int)0x80000807)] = "INVALIDHANDLE",
        [unchecked((int)0x80000808)] = "INVALIDPARAM",
        [unchecked((int)0x80000821)] = "INVALIDVALUE",
        [unchecked((int)0x80000822)] = "OUTOFRANGE",
        [unchecked((int)0x80000823)] = "NOTWRITABLE",
        [unchecked((int)0x80000824)] = "NOTREADABLE",
        [unchecked((int)0x80000825)] = "INVALIDPROPERTYID",
        [unchecked((int)0x80000826)] = "NEWAPIREQUIRED",
        [unchecked((int)0x80000827)] = "WRONGHANDSHAKE",
        [unchecked((int)0x80000828)] = "NOPROPERTY",
        [unchecked((int)0x8000082B)] = "INVALIDSUBARRAY",
        [unchecked((int)0x8000082C)] = "ACCESSDENY",
        [unchecked((int)0x8000083F)] = "LESSSYSTEMMEMORY",
        [unchecked((int)0x80000802)] = "UNKNOWNSTRID",
        [unchecked((int)0x80000F03)] = "NOTSUPPORT",
        [unchecked((int)0x80000F01)] = "UNREACH",
        [unchecked((int)0x80000F02)] = "NOTIMPLEMENT",
        [unchecked((int)0x80000F04)] = "UNLOADED",
        [unchecked((int)0x80000F07)] = "NOCONNECTION",
        [unchecked((int)0x83001002)] = "FAILREADCAMERA",
        [unchecked((int)0x83001003)] = "FAILWRITECAMERA",
        [unchecked((int)0x84002001)] = "INVALIDWAITHANDLE",
        [unchecked((int)0x84002002)] = "NEWRUNTIMEREQUIRED",
        [unchecked((int)0xE1000002)] = "ALREADYOPENED",
    }.ToFrozenDictionary();

    /// <summary>The error's name without the <c>DCAMERR_</c> prefix, or <c>UNKNOWN</c>.</summary>
    public static string Name(int code) => Names.TryGetValue(code, out var name) ? name : "UNKNOWN";
}
