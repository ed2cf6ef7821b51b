namespace Navigate.Devices;

/// <summary>The type of one pixel. Little-endian in memory, as every camera we drive delivers it.</summary>
public enum PixelType
{
    /// <summary>8-bit unsigned.</summary>
    UInt8,

    /// <summary>16-bit unsigned: sCMOS cameras deliver 12–16 significant bits in it.</summary>
    UInt16,

    /// <summary>16-bit signed.</summary>
    Int16,

    /// <summary>32-bit unsigned.</summary>
    UInt32,

    /// <summary>32-bit IEEE float.</summary>
    Float32,

    /// <summary>64-bit IEEE float.</summary>
    Float64,
}

/// <summary>Facts about <see cref="PixelType"/> values.</summary>
public static class PixelTypeInfo
{
    /// <summary>Bytes per pixel.</summary>
    public static int BytesPerPixel(this PixelType type) => type switch
    {
        PixelType.UInt8 => 1,
        PixelType.UInt16 or PixelType.Int16 => 2,
        PixelType.UInt32 or PixelType.Float32 => 4,
        PixelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>The numpy dtype name (<c>uint16</c>, <c>float32</c>, ...).</summary>
    public static string NumpyName(this PixelType type) => type switch
    {
        PixelType.UInt8 => "uint8",
        PixelType.UInt16 => "uint16",
        PixelType.Int16 => "int16",
        PixelType.UInt32 => "uint32",
        PixelType.Float32 => "float32",
        PixelType.Float64 => "float64",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>The CLR element type that matches the pixel type.</summary>
    public static Type ClrType(this PixelType type) => type switch
    {
        PixelType.UInt8 => typeof(byte),
        PixelType.UInt16 => typeof(ushort),
        PixelType.Int16 => typeof(short),
        PixelType.UInt32 => typeof(uint),
        PixelType.Float32 => typeof(float),
        PixelType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };
}
