using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Reads and writes the v2 metadata documents (<c>.zarray</c>, <c>.zgroup</c>, <c>.zattrs</c>, <c>.zmetadata</c>).</summary>
internal static class ZarrMetadataJson
{
    public const string ArrayKey = ".zarray";
    public const string GroupKey = ".zgroup";
    public const string AttributesKey = ".zattrs";
    public const string ConsolidatedKey = ".zmetadata";

    // Non-ASCII text (units such as "µm") is written as UTF-8, not \u escapes: every JSON reader takes both.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    // Messages quote JSON as written ("<u2", not "\u003Cu2").
    private static readonly JsonSerializerOptions MessageOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>Parses a document that must be a JSON object; <see cref="ZarrMetadataException"/> naming the key otherwise.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string key)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ZarrMetadataException(
                $"'{key}' is not valid JSON: {e.Message}", key, e);
        }

        return node as JsonObject ?? throw new ZarrMetadataException(
            $"'{key}' must hold a JSON object, found {Describe(node)}.", key);
    }

    /// <summary>Parses a <c>.zarray</c> document and validates it.</summary>
    public static ZarrArrayMetadata ParseArray(JsonObject json, string key, ZarrCodecRegistry codecs)
    {
        CheckZarrFormat(json, key);
        long[] shape = ReadIntegers(json, "shape", key, long.MaxValue);
        long[] chunkLongs = ReadIntegers(json, "chunks", key, int.MaxValue);
        string dtypeText = json["dtype"] is JsonValue dv && dv.GetValueKind() == JsonValueKind.String
            ? dv.GetValue<string>()
            : throw new ZarrMetadataException($"'{key}': \"dtype\" must be a string such as \"<u2\", found {Describe(json["dtype"])}.", key);
        ZarrDataType dtype = ZarrDataType.Parse(dtypeText, key);

        IZarrCodec? compressor = json["compressor"] switch
        {
            null => null,
            JsonObject o => codecs.Create(o, key),
            JsonNode other => throw new ZarrMetadataException($"'{key}': \"compressor\" must be null or an object, found {Describe(other)}.", key),
        };

        var filters = new List<IZarrCodec>();
        switch (json["filters"])
        {
            case null:
                break;
            case JsonArray array:
                foreach (JsonNode? f in array)
                {
                    filters.Add(f is JsonObject fo
                        ? codecs.Create(fo, key)
                        : throw new ZarrMetadataException($"'{key}': each of \"filters\" must be an object, found {Describe(f)}.", key));
                }

                break;
            case JsonNode other:
                throw new ZarrMetadataException($"'{key}': \"filters\" must be null or an array, found {Describe(other)}.", key);
        }

        ZarrOrder order = json["order"] is JsonValue ov && ov.GetValueKind() == JsonValueKind.String
            ? ov.GetValue<string>() switch
            {
                "C" => ZarrOrder.C,
                "F" => ZarrOrder.F,
                string o => throw new ZarrMetadataException($"'{key}': \"order\" must be \"C\" or \"F\", found \"{o}\".", key),
            }
            : throw new ZarrMetadataException($"'{key}': \"order\" must be \"C\" or \"F\", found {Describe(json["order"])}.", key);

        char separator = json["dimension_separator"] switch
        {
            null => '.',
            JsonValue sv when sv.GetValueKind() == JsonValueKind.String && sv.GetValue<string>() is "." => '.',
            JsonValue sv when sv.GetValueKind() == JsonValueKind.String && sv.GetValue<string>() is "/" => '/',
            JsonNode other => throw new ZarrMetadataException($"'{key}': \"dimension_separator\" must be \".\" or \"/\", found {Describe(other)}.", key),
        };

        if (!json.ContainsKey("fill_value"))
        {
            throw new ZarrMetadataException($"'{key}': \"fill_value\" is required (null for none).", key);
        }

        ZarrFillValue fill = ZarrFillValue.FromJson(json["fill_value"], dtype, key);
        if (chunkLongs.Length != shape.Length)
        {
            throw new ZarrMetadataException(
                $"'{key}': \"chunks\" has {chunkLongs.Length} dimensions but \"shape\" has {shape.Length}.", key);
        }

        var metadata = new ZarrArrayMetadata
        {
            Shape = shape,
            Chunks = [.. chunkLongs.Select(c => (int)c)],
            DataType = dtype,
            Compressor = compressor,
            Filters = filters,
            FillValue = fill,
            Order = order,
            DimensionSeparator = separator,
        };
        ValidateArray(metadata, key);
        return metadata;
    }

    /// <summary>Checks an array's metadata before anything is sized from it.</summary>
    public static void ValidateArray(ZarrArrayMetadata m, string? key)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Rank == 0)
        {
            throw new ZarrMetadataException($"'{key}': \"shape\" must have at least one dimension (0-d arrays are not supported).", key);
        }

        if (m.Chunks.Count != m.Rank)
        {
            throw new ZarrMetadataException(
                $"'{key}': \"chunks\" has {m.Chunks.Count} dimensions but \"shape\" has {m.Rank}.", key);
        }

        long chunkElements = 1;
        long chunkCount = 1;
        double elements = 1;
        for (int d = 0; d < m.Rank; d++)
        {
            long size = m.Shape[d];
            int chunk = m.Chunks[d];
            if (size < 0)
            {
                throw new ZarrMetadataException($"'{key}': \"shape\"[{d}] is {size}; sizes must be 0 or more.", key);
            }

            if (chunk < 1)
            {
                throw new ZarrMetadataException($"'{key}': \"chunks\"[{d}] is {chunk}; chunk sizes must be 1 or more.", key);
            }

            chunkElements = SaturatingMultiply(chunkElements, chunk);
            chunkCount = SaturatingMultiply(chunkCount, (size / chunk) + (size % chunk == 0 ? 0 : 1));
            elements *= size;
        }

        long chunkBytes = SaturatingMultiply(chunkElements, m.DataType.ItemSize);
        if (chunkBytes > ZarrArrayMetadata.MaxChunkBytes)
        {
            throw new ZarrMetadataException(
                $"'{key}': a chunk of [{string.Join(", ", m.Chunks)}] × {m.DataType.ItemSize} bytes is {(chunkBytes == long.MaxValue ? "over 2^63" : chunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes; "
                + $"at most {ZarrArrayMetadata.MaxChunkBytes} bytes per chunk are supported.", key);
        }

        if (chunkCount == long.MaxValue)
        {
            throw new ZarrMetadataException(
                $"'{key}': shape [{string.Join(", ", m.Shape)}] with chunks [{string.Join(", ", m.Chunks)}] has more than 2^63 chunks.", key);
        }

        if (elements >= 9.2e18)
        {
            throw new ZarrMetadataException(
                $"'{key}': shape [{string.Join(", ", m.Shape)}] has more than 2^63 elements.", key);
        }

        if (m.DimensionSeparator is not ('.' or '/'))
        {
            throw new ZarrMetadataException($"'{key}': the dimension separator must be '.' or '/', found '{m.DimensionSeparator}'.", key);
        }

        m.FillValue.EnsureFits(m.DataType, key);
        if (m.ZarrFormat == 3)
        {
            ValidateV3(m, key);
        }
        else if (m.ZarrFormat != 2)
        {
            throw new ZarrMetadataException($"'{key}': the Zarr format must be 2 or 3, found {m.ZarrFormat}.", key);
        }
        else if (m.Codecs.Count > 0 || m.ChunkKeyEncoding != ZarrChunkKeyEncoding.V2 || m.DimensionNames is not null)
        {
            throw new ZarrMetadataException($"'{key}': codecs, the default chunk key encoding and dimension names are Zarr v3 features; set ZarrFormat = 3.", key);
        }
    }

    private static void ValidateV3(ZarrArrayMetadata m, string? key)
    {
        if (m.Compressor is not null || m.Filters.Count > 0)
        {
            throw new ZarrMetadataException($"'{key}': a Zarr v3 array takes its compressor in Codecs (e.g. ZarrV3Codec.Compressed(codec)), not Compressor or Filters.", key);
        }

        if (m.Order != ZarrOrder.C || m.DataType.IsBigEndian)
        {
            throw new ZarrMetadataException($"'{key}': a Zarr v3 array has C order and a little-endian data type; use a transpose codec or BytesCodec(BigEndian) for other stored layouts.", key);
        }

        if (m.FillValue.IsNull)
        {
            throw new ZarrMetadataException($"'{key}': a Zarr v3 array needs a fill value (null is not allowed).", key);
        }

        if (m.DimensionNames is { } names && names.Count != m.Rank)
        {
            throw new ZarrMetadataException($"'{key}': \"dimension_names\" has {names.Count} entries but \"shape\" has {m.Rank}.", key);
        }

        Span<byte> fill = stackalloc byte[8];
        m.FillValue.WriteElement(m.DataType, fill);
        _ = CodecChain.Bind(m.EffectiveCodecs, m.Chunks, m.DataType.ItemSize, fill[..m.DataType.ItemSize], key);
    }

    /// <summary>The <c>.zarray</c> JSON, keys sorted as zarr-python writes them.</summary>
    public static JsonObject ArrayToJson(ZarrArrayMetadata m)
    {
        var filters = m.Filters.Count == 0 ? null : new JsonArray([.. m.Filters.Select(f => (JsonNode)f.ToJson())]);
        return new JsonObject
        {
            ["chunks"] = new JsonArray([.. m.Chunks.Select(c => (JsonNode)c)]),
            ["compressor"] = m.Compressor?.ToJson(),
            ["dimension_separator"] = m.DimensionSeparator.ToString(),
            ["dtype"] = m.DataType.TypeString,
            ["fill_value"] = m.FillValue.ToJson(),
            ["filters"] = filters,
            ["order"] = m.Order == ZarrOrder.C ? "C" : "F",
            ["shape"] = new JsonArray([.. m.Shape.Select(s => (JsonNode)s)]),
            ["zarr_format"] = 2,
        };
    }

    public static JsonObject GroupJson() => new() { ["zarr_format"] = 2 };

    /// <summary>Checks a <c>.zgroup</c> document.</summary>
    public static void ValidateGroup(JsonObject json, string key) => CheckZarrFormat(json, key);

    /// <summary>UTF-8 JSON, 4-space indented, object keys sorted (as zarr-python's <c>json.dumps(sort_keys=True)</c>).</summary>
    public static byte[] Serialize(JsonNode node, bool sortKeys = true)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node, sortKeys);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string Describe(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        string text = node.ToJsonString(MessageOptions);
        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, bool sortKeys)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject o:
                writer.WriteStartObject();
                IEnumerable<KeyValuePair<string, JsonNode?>> properties = sortKeys ? o.OrderBy(p => p.Key, StringComparer.Ordinal) : o;
                foreach (var (name, value) in properties)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value, sortKeys);
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (JsonNode? item in a)
                {
                    Write(writer, item, sortKeys);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void CheckZarrFormat(JsonObject json, string key)
    {
        JsonNode? format = json["zarr_format"];
        if (format is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out int f) || f != 2)
        {
            throw new ZarrMetadataException(
                $"'{key}': \"zarr_format\" must be 2, found {Describe(format)}.", key);
        }
    }

    private static long[] ReadIntegers(JsonObject json, string name, string key, long max)
    {
        if (json[name] is not JsonArray array)
        {
            throw new ZarrMetadataException($"'{key}': \"{name}\" must be an array of integers, found {Describe(json[name])}.", key);
        }

        if (array.Count > 32)
        {
            throw new ZarrMetadataException($"'{key}': \"{name}\" has {array.Count} dimensions; at most 32 are supported.", key);
        }

        long[] values = new long[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            JsonNode? item = array[i];
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            {
                throw new ZarrMetadataException($"'{key}': \"{name}\"[{i}] must be an integer, found {Describe(item)}.", key);
            }

            if (!v.TryGetValue(out long l))
            {
                throw new ZarrMetadataException(
                    $"'{key}': \"{name}\"[{i}] is {Describe(item)}; expected an integer between 0 and {max}.", key);
            }

            if (l > max)
            {
                throw new ZarrMetadataException(
                    $"'{key}': \"{name}\"[{i}] is {l}; expected at most {max}.", key);
            }

            values[i] = l;
        }

        return values;
    }

    private static long SaturatingMultiply(long a, long b)
    {
        if (a == 0 || b == 0)
        {
            return 0;
        }

        return a > long.MaxValue / b ? long.MaxValue : a * b;
    }
}
