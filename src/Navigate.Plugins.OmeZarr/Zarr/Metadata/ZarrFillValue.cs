using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// An array's <c>fill_value</c>: the value of elements in chunks that were never written. <c>null</c> (JSON null) means
/// "no fill value"; the engine then reads missing chunks as zeros, as zarr-python does for numeric types.
/// </summary>
public readonly record struct ZarrFillValue
{
    private readonly long _bits;

    private ZarrFillValue(ZarrFillValueKind kind, long bits)
    {
        Kind = kind;
        _bits = bits;
    }

    /// <summary>No fill value (JSON null).</summary>
    public static ZarrFillValue Null => default;

    /// <summary>Zero.</summary>
    public static ZarrFillValue Zero => FromInteger(0);

    /// <summary>Which kind of value this is.</summary>
    public ZarrFillValueKind Kind { get; }

    /// <summary>True for JSON null.</summary>
    public bool IsNull => Kind == ZarrFillValueKind.Null;

    /// <summary>A signed integer fill value.</summary>
    /// <param name="value">The value.</param>
    public static ZarrFillValue FromInteger(long value) => new(ZarrFillValueKind.Integer, value);

    /// <summary>An unsigned integer fill value (for values above <see cref="long.MaxValue"/>).</summary>
    /// <param name="value">The value.</param>
    public static ZarrFillValue FromUnsignedInteger(ulong value) =>
        value <= long.MaxValue ? FromInteger((long)value) : new(ZarrFillValueKind.UnsignedInteger, unchecked((long)value));

    /// <summary>A floating point fill value (NaN and infinities included).</summary>
    /// <param name="value">The value.</param>
    public static ZarrFillValue FromDouble(double value) => new(ZarrFillValueKind.Float, BitConverter.DoubleToInt64Bits(value));

    /// <summary>The value as a double (integers converted).</summary>
    public double AsDouble() => Kind switch
    {
        ZarrFillValueKind.Float => BitConverter.Int64BitsToDouble(_bits),
        ZarrFillValueKind.UnsignedInteger => (ulong)_bits,
        _ => _bits,
    };

    /// <summary>Parses a JSON <c>fill_value</c> for <paramref name="type"/>; throws <see cref="ZarrMetadataException"/> on a mismatch.</summary>
    /// <param name="node">The JSON value (null, a number, or "NaN"/"Infinity"/"-Infinity").</param>
    /// <param name="type">The array's dtype.</param>
    /// <param name="key">The metadata key, for the message.</param>
    public static ZarrFillValue FromJson(JsonNode? node, ZarrDataType type, string? key = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (node is null)
        {
            return Null;
        }

        if (node is not JsonValue value)
        {
            throw Mismatch(ZarrMetadataJson.Describe(node), type, key, "expected a number, null, \"NaN\", \"Infinity\" or \"-Infinity\"");
        }

        ZarrFillValue parsed;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                string s = value.GetValue<string>();
                double special = s switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    _ => throw Mismatch($"\"{s}\"", type, key, "the only strings allowed are \"NaN\", \"Infinity\" and \"-Infinity\""),
                };
                parsed = FromDouble(special);
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue(out long l))
                {
                    parsed = FromInteger(l);
                }
                else if (value.TryGetValue(out ulong u))
                {
                    parsed = FromUnsignedInteger(u);
                }
                else
                {
                    parsed = FromDouble(value.GetValue<double>());
                }

                break;
            default:
                throw Mismatch(ZarrMetadataJson.Describe(node), type, key, "expected a number, null, \"NaN\", \"Infinity\" or \"-Infinity\"");
        }

        parsed.CheckFits(type, key, ZarrMetadataJson.Describe(node));
        return parsed;
    }

    /// <summary>The JSON form zarr-python writes: null, an integer, a float, or "NaN"/"Infinity"/"-Infinity".</summary>
    public JsonNode? ToJson()
    {
        switch (Kind)
        {
            case ZarrFillValueKind.Null:
                return null;
            case ZarrFillValueKind.Integer:
                return JsonValue.Create(_bits);
            case ZarrFillValueKind.UnsignedInteger:
                return JsonValue.Create((ulong)_bits);
            default:
                double d = BitConverter.Int64BitsToDouble(_bits);
                if (double.IsNaN(d))
                {
                    return JsonValue.Create("NaN");
                }

                if (double.IsInfinity(d))
                {
                    return JsonValue.Create(d > 0 ? "Infinity" : "-Infinity");
                }

                return JsonValue.Create(d);
        }
    }

    /// <summary>Throws <see cref="ZarrMetadataException"/> unless the value can be stored in <paramref name="type"/> exactly.</summary>
    /// <param name="type">The dtype.</param>
    /// <param name="key">The metadata key, for the message.</param>
    public void EnsureFits(ZarrDataType type, string? key = null) =>
        CheckFits(type, key, ZarrMetadataJson.Describe(ToJson()));

    /// <summary>Writes one element holding the value, little endian, into <paramref name="destination"/> (null writes zeros).</summary>
    /// <param name="type">The dtype (its byte order is ignored: memory is little endian).</param>
    /// <param name="destination">At least <see cref="ZarrDataType.ItemSize"/> bytes.</param>
    public void WriteElement(ZarrDataType type, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(type);
        Span<byte> element = destination[..type.ItemSize];
        if (IsNull)
        {
            element.Clear();
            return;
        }

        if (type.Kind == ZarrDataKind.Float)
        {
            double d = AsDouble();
            if (double.IsNaN(d))
            {
                // JSON "NaN" carries no sign or payload: write numpy's positive quiet NaN (.NET's double.NaN is negative).
                if (type.ItemSize == 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(element, 0x7FC00000U);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(element, 0x7FF8000000000000UL);
                }

                return;
            }

            if (type.ItemSize == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(element, (float)d);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(element, d);
            }

            return;
        }

        // Integers: two's complement truncated to the item size (range was checked when the value was accepted).
        long bits = Kind == ZarrFillValueKind.Float ? (long)AsDouble() : _bits;
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(eight, bits);
        eight[..type.ItemSize].CopyTo(element);
    }

    /// <inheritdoc />
    public override string ToString() => ZarrMetadataJson.Describe(ToJson());

    private void CheckFits(ZarrDataType type, string? key, string text)
    {
        if (IsNull || type.Kind == ZarrDataKind.Float)
        {
            return;
        }

        if (Kind == ZarrFillValueKind.Float)
        {
            double d = AsDouble();
            if (double.IsNaN(d) || double.IsInfinity(d) || Math.Floor(d) != d)
            {
                throw Mismatch(text, type, key, "an integer dtype needs an integer fill value");
            }
        }

        bool fits;
        if (Kind == ZarrFillValueKind.UnsignedInteger)
        {
            fits = type.Kind == ZarrDataKind.UnsignedInteger && type.ItemSize == 8;
        }
        else
        {
            double v = Kind == ZarrFillValueKind.Float ? AsDouble() : _bits;
            long l = Kind == ZarrFillValueKind.Float ? (long)v : _bits;
            int bits = type.ItemSize * 8;
            if (type.Kind == ZarrDataKind.UnsignedInteger)
            {
                fits = l >= 0 && (bits == 64 || l < (1L << bits));
            }
            else
            {
                fits = bits == 64 || (l >= -(1L << (bits - 1)) && l < (1L << (bits - 1)));
            }

            if (Kind == ZarrFillValueKind.Float && Math.Abs(v) >= 9.2e18)
            {
                fits = false;
            }
        }

        if (!fits)
        {
            throw Mismatch(text, type, key, $"the value does not fit in {type.NumpyName}");
        }
    }

    private static ZarrMetadataException Mismatch(string found, ZarrDataType type, string? key, string reason) =>
        new($"Invalid fill_value {found} for dtype '{type.TypeString}' in '{key}': {reason}.", key);
}

/// <summary>Which kind of value a <see cref="ZarrFillValue"/> holds.</summary>
public enum ZarrFillValueKind
{
    /// <summary>JSON null: no fill value.</summary>
    Null,

    /// <summary>A signed 64-bit integer.</summary>
    Integer,

    /// <summary>An unsigned 64-bit integer above <see cref="long.MaxValue"/>.</summary>
    UnsignedInteger,

    /// <summary>A double (NaN and infinities included).</summary>
    Float,
}
