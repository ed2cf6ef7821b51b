using System.Diagnostics.CodeAnalysis;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>What kind of number an element is.</summary>
public enum ZarrDataKind
{
    /// <summary>Unsigned integer (numpy <c>u</c>).</summary>
    UnsignedInteger,

    /// <summary>Signed integer (numpy <c>i</c>).</summary>
    SignedInteger,

    /// <summary>IEEE floating point (numpy <c>f</c>).</summary>
    Float,
}

/// <summary>The byte order of stored elements.</summary>
public enum ZarrByteOrder
{
    /// <summary>Single-byte types (numpy <c>|</c>).</summary>
    NotApplicable,

    /// <summary>Little endian (numpy <c>&lt;</c>).</summary>
    LittleEndian,

    /// <summary>Big endian (numpy <c>&gt;</c>): read, never written.</summary>
    BigEndian,
}

/// <summary>
/// A Zarr v2 <c>dtype</c> such as <c>"&lt;u2"</c>: unsigned/signed integers of 1, 2, 4, 8 bytes and floats of 4 and 8
/// bytes, in either byte order. In memory (every buffer the engine hands to callers) elements are little endian.
/// </summary>
public sealed record ZarrDataType
{
    private ZarrDataType(ZarrDataKind kind, int itemSize, ZarrByteOrder byteOrder)
    {
        Kind = kind;
        ItemSize = itemSize;
        ByteOrder = byteOrder;
        char order = byteOrder switch
        {
            ZarrByteOrder.BigEndian => '>',
            ZarrByteOrder.LittleEndian => '<',
            _ => '|',
        };
        char kindChar = kind switch
        {
            ZarrDataKind.UnsignedInteger => 'u',
            ZarrDataKind.SignedInteger => 'i',
            _ => 'f',
        };
        TypeString = string.Create(null, stackalloc char[8], $"{order}{kindChar}{itemSize}");
    }

    /// <summary><c>|u1</c>.</summary>
    public static ZarrDataType UInt8 { get; } = new(ZarrDataKind.UnsignedInteger, 1, ZarrByteOrder.NotApplicable);

    /// <summary><c>|i1</c>.</summary>
    public static ZarrDataType Int8 { get; } = new(ZarrDataKind.SignedInteger, 1, ZarrByteOrder.NotApplicable);

    /// <summary><c>&lt;u2</c>.</summary>
    public static ZarrDataType UInt16 { get; } = new(ZarrDataKind.UnsignedInteger, 2, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;i2</c>.</summary>
    public static ZarrDataType Int16 { get; } = new(ZarrDataKind.SignedInteger, 2, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;u4</c>.</summary>
    public static ZarrDataType UInt32 { get; } = new(ZarrDataKind.UnsignedInteger, 4, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;i4</c>.</summary>
    public static ZarrDataType Int32 { get; } = new(ZarrDataKind.SignedInteger, 4, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;u8</c>.</summary>
    public static ZarrDataType UInt64 { get; } = new(ZarrDataKind.UnsignedInteger, 8, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;i8</c>.</summary>
    public static ZarrDataType Int64 { get; } = new(ZarrDataKind.SignedInteger, 8, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;f4</c>.</summary>
    public static ZarrDataType Float32 { get; } = new(ZarrDataKind.Float, 4, ZarrByteOrder.LittleEndian);

    /// <summary><c>&lt;f8</c>.</summary>
    public static ZarrDataType Float64 { get; } = new(ZarrDataKind.Float, 8, ZarrByteOrder.LittleEndian);

    /// <summary>Integer or float.</summary>
    public ZarrDataKind Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>The stored byte order.</summary>
    public ZarrByteOrder ByteOrder { get; }

    /// <summary>The numpy type string, e.g. <c>"&lt;u2"</c>.</summary>
    public string TypeString { get; }

    /// <summary>True when stored bytes need swapping to become little endian in memory.</summary>
    public bool IsBigEndian => ByteOrder == ZarrByteOrder.BigEndian;

    /// <summary>The same type stored little endian (what callers see in memory).</summary>
    public ZarrDataType AsLittleEndian() => ByteOrder == ZarrByteOrder.BigEndian ? new(Kind, ItemSize, ZarrByteOrder.LittleEndian) : this;

    /// <summary>The numpy name of the type (<c>uint16</c>, <c>float32</c>...).</summary>
    public string NumpyName => Kind switch
    {
        ZarrDataKind.UnsignedInteger => "uint" + (ItemSize * 8),
        ZarrDataKind.SignedInteger => "int" + (ItemSize * 8),
        _ => "float" + (ItemSize * 8),
    };

    /// <summary>Parses a numpy type string; throws <see cref="ZarrMetadataException"/> naming <paramref name="key"/> if it is not one we support.</summary>
    /// <param name="typeString">E.g. <c>"&lt;u2"</c>, <c>"|u1"</c>, <c>"&gt;f8"</c>.</param>
    /// <param name="key">The metadata key, for the message.</param>
    public static ZarrDataType Parse(string typeString, string? key = null)
    {
        if (TryParse(typeString, out ZarrDataType? type))
        {
            return type;
        }

        throw new ZarrMetadataException(
            $"Unsupported dtype '{typeString}' in '{key}': expected one of |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f4 <f8 (or '>' for big endian).",
            key);
    }

    /// <summary>Parses a numpy type string; false if it is not one we support.</summary>
    /// <param name="typeString">E.g. <c>"&lt;u2"</c>.</param>
    /// <param name="type">The type.</param>
    public static bool TryParse(string? typeString, [NotNullWhen(true)] out ZarrDataType? type)
    {
        type = null;
        if (typeString is not { Length: 3 })
        {
            return false;
        }

        ZarrDataKind kind;
        switch (typeString[1])
        {
            case 'u': kind = ZarrDataKind.UnsignedInteger; break;
            case 'i': kind = ZarrDataKind.SignedInteger; break;
            case 'f': kind = ZarrDataKind.Float; break;
            default: return false;
        }

        int size = typeString[2] - '0';
        bool sizeOk = kind == ZarrDataKind.Float ? size is 4 or 8 : size is 1 or 2 or 4 or 8;
        if (!sizeOk)
        {
            return false;
        }

        ZarrByteOrder order;
        switch (typeString[0])
        {
            case '|' when size == 1: order = ZarrByteOrder.NotApplicable; break;
            case '<' or '>' when size == 1: order = ZarrByteOrder.NotApplicable; break;
            case '<': order = ZarrByteOrder.LittleEndian; break;
            case '>': order = ZarrByteOrder.BigEndian; break;
            default: return false;
        }

        type = new ZarrDataType(kind, size, order);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => TypeString;
}
