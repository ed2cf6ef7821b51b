using System.Collections.Frozen;
using System.Globalization;

namespace Navigate.Plugins.Hamamatsu.Interop;

/// <summary>
/// DCAM property ids (dcamprop.h) the plugin reads or writes, with the names navigate uses for them (its
/// <c>property_dict</c> keys) and DCAM's own display names for error messages.
/// </summary>
internal static class DcamProperties
{
    public const int TriggerSource = 0x00100110;
    public const int TriggerActive = 0x00100120;
    public const int TriggerMode = 0x00100210;
    public const int TriggerPolarity = 0x00100220;
    public const int TriggerDelay = 0x00100260;
    public const int ExposureTime = 0x001F0110;
    public const int ExposureTimeControl = 0x001F0130;
    public const int ReadoutSpeed = 0x00400110;
    public const int ReadoutDirection = 0x00400130;
    public const int SensorMode = 0x00400210;
    public const int Binning = 0x00401110;
    public const int SubarrayHPos = 0x00402110;
    public const int SubarrayHSize = 0x00402120;
    public const int SubarrayVPos = 0x00402130;
    public const int SubarrayVSize = 0x00402140;
    public const int SubarrayMode = 0x00402150;
    public const int ReadoutTime = 0x00403010;
    public const int CyclicTriggerPeriod = 0x00403020;
    public const int MinimumTriggerBlanking = 0x00403030;
    public const int MinimumTriggerInterval = 0x00403050;
    public const int InternalFrameRate = 0x00403810;
    public const int InternalLineSpeed = 0x00403840;
    public const int InternalLineInterval = 0x00403850;
    public const int BitsPerChannel = 0x00420130;
    public const int ImageWidth = 0x00420210;
    public const int ImageHeight = 0x00420220;
    public const int ImageRowBytes = 0x00420230;
    public const int ImageFrameBytes = 0x00420240;
    public const int ImagePixelType = 0x00420270;
    public const int PixelWidth = 0x00420810;
    public const int PixelHeight = 0x00420820;
    public const int DefectCorrectMode = 0x00470010;

    /// <summary>One known property.</summary>
    /// <param name="Id">DCAM property id.</param>
    /// <param name="Key">navigate's name for it.</param>
    /// <param name="DcamName">DCAM's display name.</param>
    /// <param name="Unit">Unit when DCAM reports none (sizes in pixels, bytes).</param>
    public sealed record Known(int Id, string Key, string DcamName, string Unit = "");

    /// <summary>The properties <see cref="HamamatsuCamera.DescribeProperties"/> reports, in this order.</summary>
    public static IReadOnlyList<Known> Described { get; } =
    [
        new(ExposureTime, "exposure_time", "EXPOSURE TIME"),
        new(SensorMode, "sensor_mode", "SENSOR MODE"),
        new(Binning, "binning", "BINNING"),
        new(ReadoutSpeed, "readout_speed", "READOUT SPEED"),
        new(ReadoutDirection, "readout_direction", "READOUT DIRECTION"),
        new(ReadoutTime, "readout_time", "TIMING READOUT TIME"),
        new(TriggerSource, "trigger_source", "TRIGGER SOURCE"),
        new(TriggerActive, "trigger_active", "TRIGGER ACTIVE"),
        new(TriggerMode, "trigger_mode", "TRIGGER MODE"),
        new(TriggerPolarity, "trigger_polarity", "TRIGGER POLARITY"),
        new(TriggerDelay, "trigger_delay", "TRIGGER DELAY"),
        new(InternalLineInterval, "internal_line_interval", "INTERNAL LINE INTERVAL"),
        new(InternalFrameRate, "internal_frame_rate", "INTERNAL FRAME RATE"),
        new(CyclicTriggerPeriod, "cyclic_trigger_period", "TIMING CYCLIC TRIGGER PERIOD"),
        new(MinimumTriggerBlanking, "minimum_trigger_blank", "TIMING MINIMUM TRIGGER BLANKING"),
        new(MinimumTriggerInterval, "minimum_trigger_interval", "TIMING MINIMUM TRIGGER INTERVAL"),
        new(SubarrayMode, "subarray_mode", "SUBARRAY MODE"),
        new(SubarrayHPos, "subarray_hpos", "SUBARRAY HPOS", "px"),
        new(SubarrayHSize, "subarray_hsize", "SUBARRAY HSIZE", "px"),
        new(SubarrayVPos, "subarray_vpos", "SUBARRAY VPOS", "px"),
        new(SubarrayVSize, "subarray_vsize", "SUBARRAY VSIZE", "px"),
        new(ImageWidth, "image_width", "IMAGE WIDTH", "px"),
        new(ImageHeight, "image_height", "IMAGE HEIGHT", "px"),
        new(BitsPerChannel, "bits_per_channel", "BIT PER CHANNEL", "bit"),
        new(PixelWidth, "pixel_width", "IMAGE DETECTOR PIXEL WIDTH"),
        new(PixelHeight, "pixel_height", "IMAGE DETECTOR PIXEL HEIGHT"),
        new(DefectCorrectMode, "defect_correct_mode", "DEFECT CORRECT MODE"),
    ];

    private static readonly FrozenDictionary<int, Known> ById = Described
        .Concat(
        [
            new Known(ExposureTimeControl, "exposuretime_control", "EXPOSURE TIME CONTROL"),
            new Known(InternalLineSpeed, "internal_line_speed", "INTERNAL LINE SPEED"),
            new Known(ImageRowBytes, "image_rowbytes", "IMAGE ROWBYTES", "B"),
            new Known(ImageFrameBytes, "image_framebytes", "IMAGE FRAMEBYTES", "B"),
            new Known(ImagePixelType, "image_pixeltype", "IMAGE PIXEL TYPE"),
        ])
        .ToFrozenDictionary(p => p.Id);

    /// <summary>"EXPOSURE TIME (0x001F0110)" for a known id, "property 0x12345678" otherwise.</summary>
    public static string Describe(int id) => ById.TryGetValue(id, out var known)
        ? string.Create(CultureInfo.InvariantCulture, $"{known.DcamName} (0x{id:X8})")
        : string.Create(CultureInfo.InvariantCulture, $"property 0x{id:X8}");

    /// <summary>The unit text for a DCAM unit code, or the known property's own unit.</summary>
    public static string Unit(int id, int dcamUnit) => dcamUnit switch
    {
        1 => "s",
        2 => "°C",
        3 => "K",
        4 => "m/s",
        5 => "1/s",
        6 => "°",
        7 => "µm",
        _ => ById.TryGetValue(id, out var known) ? known.Unit : "",
    };
}
