using Navigate.Plugins.MicroManager.Jni;

namespace Navigate.Plugins.MicroManager.Core;

/// <summary>
/// The MMCoreJ classes and method ids the plugin calls, looked up once per process: every descriptor follows SWIG's
/// mapping of MMCore.h (C++ <c>long</c> is Java <c>int</c>, <c>unsigned</c> is Java <c>long</c>). Looking them all
/// up at once makes an incompatible MMCoreJ.jar fail at open, naming the missing method, rather than mid-acquisition.
/// </summary>
internal sealed class MmCoreBindings
{
    private const string S = "Ljava/lang/String;";
    private static readonly Lock Gate = new();
    private static MmCoreBindings? _instance;

    private MmCoreBindings(JavaVirtualMachine jvm)
    {
        Core = new JavaClass(jvm, "mmcorej/CMMCore");
        StrVector = new JavaClass(jvm, "mmcorej/StrVector");
        Metadata = new JavaClass(jvm, "mmcorej/Metadata");
        MetadataSingleTag = new JavaClass(jvm, "mmcorej/MetadataSingleTag");
        ShortArray = new JavaClass(jvm, "[S");
        ByteArray = new JavaClass(jvm, "[B");

        CoreConstructor = Core.Constructor("()V");
        Delete = Core.Method("delete", "()V");
        GetVersionInfo = Core.Method("getVersionInfo", $"(){S}");
        SetDeviceAdapterSearchPaths = Core.Method("setDeviceAdapterSearchPaths", "(Lmmcorej/StrVector;)V");
        LoadSystemConfiguration = Core.Method("loadSystemConfiguration", $"({S})V");
        UnloadAllDevices = Core.Method("unloadAllDevices", "()V");
        GetLoadedDevices = Core.Method("getLoadedDevices", "()Lmmcorej/StrVector;");
        GetDeviceLibrary = Core.Method("getDeviceLibrary", $"({S}){S}");
        GetDeviceName = Core.Method("getDeviceName", $"({S}){S}");
        GetDeviceDescription = Core.Method("getDeviceDescription", $"({S}){S}");
        GetDevicePropertyNames = Core.Method("getDevicePropertyNames", $"({S})Lmmcorej/StrVector;");
        HasProperty = Core.Method("hasProperty", $"({S}{S})Z");
        GetProperty = Core.Method("getProperty", $"({S}{S}){S}");
        SetProperty = Core.Method("setProperty", $"({S}{S}{S})V");
        GetAllowedPropertyValues = Core.Method("getAllowedPropertyValues", $"({S}{S})Lmmcorej/StrVector;");
        IsPropertyReadOnly = Core.Method("isPropertyReadOnly", $"({S}{S})Z");
        HasPropertyLimits = Core.Method("hasPropertyLimits", $"({S}{S})Z");
        GetPropertyLowerLimit = Core.Method("getPropertyLowerLimit", $"({S}{S})D");
        GetPropertyUpperLimit = Core.Method("getPropertyUpperLimit", $"({S}{S})D");
        GetCameraDevice = Core.Method("getCameraDevice", $"(){S}");
        GetFocusDevice = Core.Method("getFocusDevice", $"(){S}");
        GetXYStageDevice = Core.Method("getXYStageDevice", $"(){S}");
        SetExposure = Core.Method("setExposure", "(D)V");
        GetExposure = Core.Method("getExposure", "()D");
        SetRoi = Core.Method("setROI", "(IIII)V");
        GetRoi = Core.Method("getROI", "([I[I[I[I)V");
        ClearRoi = Core.Method("clearROI", "()V");
        GetImageWidth = Core.Method("getImageWidth", "()J");
        GetImageHeight = Core.Method("getImageHeight", "()J");
        GetBytesPerPixel = Core.Method("getBytesPerPixel", "()J");
        GetImageBitDepth = Core.Method("getImageBitDepth", "()J");
        GetNumberOfComponents = Core.Method("getNumberOfComponents", "()J");
        SnapImage = Core.Method("snapImage", "()V");
        GetImage = Core.Method("getImage", "()Ljava/lang/Object;");
        StartSequenceAcquisition = Core.Method("startSequenceAcquisition", "(IDZ)V");
        StartContinuousSequenceAcquisition = Core.Method("startContinuousSequenceAcquisition", "(D)V");
        StopSequenceAcquisition = Core.Method("stopSequenceAcquisition", "()V");
        IsSequenceRunning = Core.Method("isSequenceRunning", "()Z");
        GetRemainingImageCount = Core.Method("getRemainingImageCount", "()I");
        PopNextImage = Core.Method("popNextImage", "()Ljava/lang/Object;");
        PopNextImageMd = Core.Method("popNextImageMD", "(Lmmcorej/Metadata;)Ljava/lang/Object;");
        IsBufferOverflowed = Core.Method("isBufferOverflowed", "()Z");
        SetCircularBufferMemoryFootprint = Core.Method("setCircularBufferMemoryFootprint", "(J)V");
        ClearCircularBuffer = Core.Method("clearCircularBuffer", "()V");
        SetPosition = Core.Method("setPosition", $"({S}D)V");
        GetPosition = Core.Method("getPosition", $"({S})D");
        SetXYPosition = Core.Method("setXYPosition", $"({S}DD)V");
        GetXPosition = Core.Method("getXPosition", $"({S})D");
        GetYPosition = Core.Method("getYPosition", $"({S})D");
        DeviceBusy = Core.Method("deviceBusy", $"({S})Z");
        Stop = Core.Method("stop", $"({S})V");

        StrVectorConstructor = StrVector.Constructor("()V");
        StrVectorAdd = StrVector.Method("add", $"({S})V");
        StrVectorToArray = StrVector.Method("toArray", "()[Ljava/lang/String;");

        MetadataConstructor = Metadata.Constructor("()V");
        MetadataHasTag = Metadata.Method("HasTag", $"({S})Z");
        MetadataGetSingleTag = Metadata.Method("GetSingleTag", $"({S})Lmmcorej/MetadataSingleTag;");
        MetadataDelete = Metadata.Method("delete", "()V");
        SingleTagGetValue = MetadataSingleTag.Method("GetValue", $"(){S}");
    }

    public JavaClass Core { get; }

    public JavaClass StrVector { get; }

    public JavaClass Metadata { get; }

    public JavaClass MetadataSingleTag { get; }

    public JavaClass ShortArray { get; }

    public JavaClass ByteArray { get; }

    public JavaMethod CoreConstructor { get; }

    public JavaMethod Delete { get; }

    public JavaMethod GetVersionInfo { get; }

    public JavaMethod SetDeviceAdapterSearchPaths { get; }

    public JavaMethod LoadSystemConfiguration { get; }

    public JavaMethod UnloadAllDevices { get; }

    public JavaMethod GetLoadedDevices { get; }

    public JavaMethod GetDeviceLibrary { get; }

    public JavaMethod GetDeviceName { get; }

    public JavaMethod GetDeviceDescription { get; }

    public JavaMethod GetDevicePropertyNames { get; }

    public JavaMethod HasProperty { get; }

    public JavaMethod GetProperty { get; }

    public JavaMethod SetProperty { get; }

    public JavaMethod GetAllowedPropertyValues { get; }

    public JavaMethod IsPropertyReadOnly { get; }

    public JavaMethod HasPropertyLimits { get; }

    public JavaMethod GetPropertyLowerLimit { get; }

    public JavaMethod GetPropertyUpperLimit { get; }

    public JavaMethod GetCameraDevice { get; }

    public JavaMethod GetFocusDevice { get; }

    public JavaMethod GetXYStageDevice { get; }

    public JavaMethod SetExposure { get; }

    public JavaMethod GetExposure { get; }

    public JavaMethod SetRoi { get; }

    public JavaMethod GetRoi { get; }

    public JavaMethod ClearRoi { get; }

    public JavaMethod GetImageWidth { get; }

    public JavaMethod GetImageHeight { get; }

    public JavaMethod GetBytesPerPixel { get; }

    public JavaMethod GetImageBitDepth { get; }

    public JavaMethod GetNumberOfComponents { get; }

    public JavaMethod SnapImage { get; }

    public JavaMethod GetImage { get; }

    public JavaMethod StartSequenceAcquisition { get; }

    public JavaMethod StartContinuousSequenceAcquisition { get; }

    public JavaMethod StopSequenceAcquisition { get; }

    public JavaMethod IsSequenceRunning { get; }

    public JavaMethod GetRemainingImageCount { get; }

    public JavaMethod PopNextImage { get; }

    public JavaMethod PopNextImageMd { get; }

    public JavaMethod IsBufferOverflowed { get; }

    public JavaMethod SetCircularBufferMemoryFootprint { get; }

    public JavaMethod ClearCircularBuffer { get; }

    public JavaMethod SetPosition { get; }

    public JavaMethod GetPosition { get; }

    public JavaMethod SetXYPosition { get; }

    public JavaMethod GetXPosition { get; }

    public JavaMethod GetYPosition { get; }

    public JavaMethod DeviceBusy { get; }

    public JavaMethod Stop { get; }

    public JavaMethod StrVectorConstructor { get; }

    public JavaMethod StrVectorAdd { get; }

    public JavaMethod StrVectorToArray { get; }

    public JavaMethod MetadataConstructor { get; }

    public JavaMethod MetadataHasTag { get; }

    public JavaMethod MetadataGetSingleTag { get; }

    public JavaMethod MetadataDelete { get; }

    public JavaMethod SingleTagGetValue { get; }

    /// <summary>The bindings for the process's JVM, looked up on first use.</summary>
    /// <exception cref="JavaException">A class or method is missing (<c>NoClassDefFoundError</c>, <c>NoSuchMethodError</c>).</exception>
    public static MmCoreBindings Get(JavaVirtualMachine jvm)
    {
        lock (Gate)
        {
            return _instance ??= new MmCoreBindings(jvm);
        }
    }
}
