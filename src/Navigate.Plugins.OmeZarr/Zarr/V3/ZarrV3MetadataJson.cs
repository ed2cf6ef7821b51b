using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>Reads and writes Zarr v3 <c>zarr.json</c> documents (arrays and groups) and v3 codec lists.</summary>
internal static class ZarrV3MetadataJson
{
    public const string NodeKey = "zarr.json";

    private static readonly string[] ArrayKeys =
        ["zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs", "attributes", "dimension_names", "storage_transformers"];

    private static readonly string[] GroupKeys = ["zarr_format", "node_type", "attributes"];

    /// <summary>"array" or "group", after checking <c>zarr_format</c> is 3.</summary>
    public static string NodeType(JsonObject json, string key)
    {
        JsonNode? format = json["zarr_format"];
        if (format is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out int f) || f != 3)
        {
            throw new ZarrMetadataException($"'{key}': \"zarr_format\" must be 3, found {ZarrMetadataJson.Describe(format)}.", key);
        }

        return json["node_type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() is "array" or "group"
            ? t.GetValue<string>()
            : throw new ZarrMetadataException($"'{key}': \"node_type\" must be \"array\" or \"group\", found {ZarrMetadataJson.Describe(json["node_type"])}.", key);
    }

    public static void ValidateGroup(JsonObject json, string key)
    {
        if (NodeType(json, key) != "group")
        {
            throw new ZarrMetadataException($"'{key}': expected a group, found \"node_type\": \"array\".", key);
        }

        CheckExtensions(json, GroupKeys, key);
        _ = Attributes(json, key);
    }

    public static JsonObject Attributes(JsonObject json, string key) => json["attributes"] switch
    {
        null => [],
        JsonObject o => o,
        JsonNode other => throw new ZarrMetadataException($"'{key}': \"attributes\" must be an object, found {ZarrMetadataJson.Describe(other)}.", key),
    };

    public static JsonObject GroupJson(JsonObject? attributes) => new()
    {
        ["zarr_format"] = 3,
        ["node_type"] = "group",
        ["attributes"] = attributes?.DeepClone() ?? new JsonObject(),
    };

    public static ZarrArrayMetadata ParseArray(JsonObject json, string key, ZarrCodecRegistry registry)
    {
        if (NodeType(json, key) != "array")
        {
            throw new ZarrMetadataException($"'{key}': expected an array, found \"node_type\": \"group\".", key);
        }

        CheckExtensions(json, ArrayKeys, key);
        long[] shape = Integers(json["shape"], "shape", key, long.MaxValue);
        string typeName = json["data_type"] is JsonValue dv && dv.GetValueKind() == JsonValueKind.String
            ? dv.GetValue<string>()
            : throw new ZarrMetadataException($"'{key}': \"data_type\" must be a string such as \"uint16\", found {ZarrMetadataJson.Describe(json["data_type"])}.", key);
        ZarrDataType type = DataType(typeName, key);

        JsonObject grid = Named(json["chunk_grid"], "chunk_grid", key, out string gridName);
        if (gridName != "regular")
        {
            throw new ZarrMetadataException($"'{key}': \"chunk_grid\" \"{gridName}\" is not supported; expected \"regular\".", key);
        }

        long[] chunks = Integers(grid["chunk_shape"], "chunk_grid.configuration.chunk_shape", key, int.MaxValue);
        if (chunks.Length != shape.Length)
        {
            throw new ZarrMetadataException($"'{key}': \"chunk_shape\" has {chunks.Length} dimensions but \"shape\" has {shape.Length}.", key);
        }

        JsonObject encoding = Named(json["chunk_key_encoding"], "chunk_key_encoding", key, out string encodingName);
        ZarrChunkKeyEncoding keyEncoding = encodingName switch
        {
            "default" => ZarrChunkKeyEncoding.Default,
            "v2" => ZarrChunkKeyEncoding.V2,
            _ => throw new ZarrMetadataException($"'{key}': \"chunk_key_encoding\" \"{encodingName}\" is not supported; expected \"default\" or \"v2\".", key),
        };
        char separator = encoding["separator"] switch
        {
            null => keyEncoding == ZarrChunkKeyEncoding.Default ? '/' : '.',
            JsonValue sv when sv.GetValueKind() == JsonValueKind.String && sv.GetValue<string>() is "." or "/" => sv.GetValue<string>()[0],
            JsonNode other => throw new ZarrMetadataException($"'{key}': chunk_key_encoding \"separator\" must be \".\" or \"/\", found {ZarrMetadataJson.Describe(other)}.", key),
        };

        if (!json.ContainsKey("fill_value"))
        {
            throw new ZarrMetadataException($"'{key}': \"fill_value\" is required.", key);
        }

        ZarrFillValue fill = FillValue(json["fill_value"], type, key);
        if (json["codecs"] is not JsonArray codecArray || codecArray.Count == 0)
        {
            throw new ZarrMetadataException($"'{key}': \"codecs\" must be a non-empty array, found {ZarrMetadataJson.Describe(json["codecs"])}.", key);
        }

        List<ZarrV3Codec> codecs = ParseCodecs(codecArray, key, registry);
        if (json["storage_transformers"] is JsonArray { Count: > 0 } transformers)
        {
            throw new ZarrMetadataException($"'{key}': storage transformers are not supported, found {ZarrMetadataJson.Describe(transformers)}.", key);
        }

        string?[]? names = null;
        if (json["dimension_names"] is JsonArray nameArray)
        {
            if (nameArray.Count != shape.Length)
            {
                throw new ZarrMetadataException($"'{key}': \"dimension_names\" has {nameArray.Count} entries but \"shape\" has {shape.Length}.", key);
            }

            names = [.. nameArray.Select(n => n is null ? null
                : n is JsonValue nv && nv.GetValueKind() == JsonValueKind.String ? nv.GetValue<string>()
                : throw new ZarrMetadataException($"'{key}': each of \"dimension_names\" must be a string or null, found {ZarrMetadataJson.Describe(n)}.", key))];
        }
        else if (json["dimension_names"] is JsonNode other)
        {
            throw new ZarrMetadataException($"'{key}': \"dimension_names\" must be an array, found {ZarrMetadataJson.Describe(other)}.", key);
        }

        var metadata = new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = shape,
            Chunks = [.. chunks.Select(c => (int)c)],
            DataType = type,
            FillValue = fill,
            Codecs = codecs,
            ChunkKeyEncoding = keyEncoding,
            DimensionSeparator = separator,
            DimensionNames = names,
        };
        metadata.Validate(key);
        return metadata;
    }

    public static JsonObject ArrayToJson(ZarrArrayMetadata m, JsonObject? attributes)
    {
        var json = new JsonObject
        {
            ["zarr_format"] = 3,
            ["node_type"] = "array",
            ["shape"] = new JsonArray([.. m.Shape.Select(s => (JsonNode)s)]),
            ["data_type"] = m.DataType.NumpyName,
            ["chunk_grid"] = new JsonObject
            {
                ["name"] = "regular",
                ["configuration"] = new JsonObject { ["chunk_shape"] = new JsonArray([.. m.Chunks.Select(c => (JsonNode)c)]) },
            },
            ["chunk_key_encoding"] = new JsonObject
            {
                ["name"] = m.ChunkKeyEncoding == ZarrChunkKeyEncoding.Default ? "default" : "v2",
                ["configuration"] = new JsonObject { ["separator"] = m.DimensionSeparator.ToString() },
            },
            ["fill_value"] = FillValueToJson(m.FillValue, m.DataType),
            ["codecs"] = CodecsToJson(m.EffectiveCodecs, m.DataType.ItemSize),
            ["attributes"] = attributes?.DeepClone() ?? new JsonObject(),
        };
        if (m.DimensionNames is { } names)
        {
            json["dimension_names"] = new JsonArray([.. names.Select(n => (JsonNode?)n)]);
        }

        return json;
    }

    public static JsonArray CodecsToJson(IReadOnlyList<ZarrV3Codec> codecs, int itemSize) =>
        new([.. codecs.Select(c => (JsonNode)CodecToJson(c, itemSize))]);

    /// <summary>A v3 codec's <c>{"name": ..., "configuration": {...}}</c>.</summary>
    public static JsonObject CodecToJson(ZarrV3Codec codec, int itemSize)
    {
        JsonObject configuration;
        switch (codec)
        {
            case TransposeCodec t:
                configuration = new JsonObject { ["order"] = new JsonArray([.. t.Order.Select(o => (JsonNode)o)]) };
                break;
            case BytesCodec b:
                configuration = new JsonObject { ["endian"] = b.Endian == ZarrByteOrder.BigEndian ? "big" : "little" };
                break;
            case ShardingCodec s:
                configuration = new JsonObject
                {
                    ["chunk_shape"] = new JsonArray([.. s.ChunkShape.Select(c => (JsonNode)c)]),
                    ["codecs"] = CodecsToJson(s.Codecs.Count == 0 ? ZarrV3Codec.Default : s.Codecs, itemSize),
                    ["index_codecs"] = CodecsToJson(s.EffectiveIndexCodecs, sizeof(ulong)),
                    ["index_location"] = s.IndexLocation == ShardIndexLocation.Start ? "start" : "end",
                };
                break;
            case CompressionCodec { Codec: Crc32cCodec }:
                return new JsonObject { ["name"] = Crc32cCodec.CodecId };
            case CompressionCodec { Codec: BloscCodec blosc }:
                BloscShuffle shuffle = blosc.Shuffle == BloscShuffle.Auto
                    ? (itemSize == 1 ? BloscShuffle.BitShuffle : BloscShuffle.ByteShuffle)
                    : blosc.Shuffle;
                configuration = new JsonObject
                {
                    ["cname"] = blosc.CompressorName,
                    ["clevel"] = blosc.Level,
                    ["shuffle"] = shuffle switch
                    {
                        BloscShuffle.NoShuffle => "noshuffle",
                        BloscShuffle.BitShuffle => "bitshuffle",
                        _ => "shuffle",
                    },
                    ["typesize"] = itemSize,
                    ["blocksize"] = blosc.BlockSize,
                };
                break;
            case CompressionCodec { Codec: ZstdCodec zstd }:
                configuration = new JsonObject { ["level"] = zstd.Level, ["checksum"] = zstd.Checksum };
                break;
            case CompressionCodec { Codec: var other }:
                configuration = other.ToJson();
                configuration.Remove("id");
                break;
            default:
                throw new ArgumentException($"Unknown codec {codec}.", nameof(codec));
        }

        return new JsonObject { ["name"] = codec.Name, ["configuration"] = configuration };
    }

    public static List<ZarrV3Codec> ParseCodecs(JsonArray array, string key, ZarrCodecRegistry registry)
    {
        var codecs = new List<ZarrV3Codec>(array.Count);
        foreach (JsonNode? item in array)
        {
            JsonObject configuration = Named(item, "codecs", key, out string name);
            codecs.Add(name switch
            {
                TransposeCodec.CodecName => new TransposeCodec(TransposeOrder(configuration, key)),
                BytesCodec.CodecName => new BytesCodec(configuration["endian"] switch
                {
                    null => ZarrByteOrder.LittleEndian,
                    JsonValue e when e.GetValueKind() == JsonValueKind.String && e.GetValue<string>() == "little" => ZarrByteOrder.LittleEndian,
                    JsonValue e when e.GetValueKind() == JsonValueKind.String && e.GetValue<string>() == "big" => ZarrByteOrder.BigEndian,
                    JsonNode e => throw new ZarrCodecException($"Codec 'bytes' in '{key}': \"endian\" must be \"little\" or \"big\", found {ZarrMetadataJson.Describe(e)}.", key),
                }),
                ShardingCodec.CodecName => Sharding(configuration, key, registry),
                Crc32cCodec.CodecId => new CompressionCodec(Crc32cCodec.Instance),
                _ when registry.IsRegistered(name) => new CompressionCodec(registry.Create(ToNumcodecs(name, configuration), key)),
                _ => throw new ZarrCodecException(
                    $"Unknown codec '{name}' in '{key}': known Zarr v3 codecs are bytes, crc32c, sharding_indexed, transpose, {string.Join(", ", registry.Ids)}.", key),
            });
        }

        return codecs;
    }

    /// <summary>The v3 data type name of a numpy type string's kind and size (<c>uint16</c>...).</summary>
    public static ZarrDataType DataType(string name, string key) => name switch
    {
        "uint8" => ZarrDataType.UInt8,
        "int8" => ZarrDataType.Int8,
        "uint16" => ZarrDataType.UInt16,
        "int16" => ZarrDataType.Int16,
        "uint32" => ZarrDataType.UInt32,
        "int32" => ZarrDataType.Int32,
        "uint64" => ZarrDataType.UInt64,
        "int64" => ZarrDataType.Int64,
        "float32" => ZarrDataType.Float32,
        "float64" => ZarrDataType.Float64,
        _ => throw new ZarrMetadataException(
            $"Unsupported data_type '{name}' in '{key}': expected one of uint8 int8 uint16 int16 uint32 int32 uint64 int64 float32 float64.", key),
    };

    /// <summary>
    /// A v3 fill value: a number, "NaN", "Infinity", "-Infinity", or (floats) "0x" and the value's bits in hex. A NaN
    /// given in hex reads as the canonical quiet NaN (its payload is not kept).
    /// </summary>
    public static ZarrFillValue FillValue(JsonNode? node, ZarrDataType type, string key)
    {
        if (node is null)
        {
            throw new ZarrMetadataException($"'{key}': \"fill_value\" must not be null in Zarr v3; expected a number of type {type.NumpyName}.", key);
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } text && text.StartsWith("0x", StringComparison.Ordinal))
        {
            if (type.Kind != ZarrDataKind.Float
                || text.Length != 2 + (2 * type.ItemSize)
                || !ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong bits))
            {
                throw new ZarrMetadataException(
                    $"'{key}': \"fill_value\" \"{text}\" is not valid for {type.NumpyName}: hex fill values give a float's {type.ItemSize * 8} bits (\"0x\" and {type.ItemSize * 2} hex digits).", key);
            }

            return ZarrFillValue.FromDouble(type.ItemSize == 4 ? BitConverter.Int32BitsToSingle((int)bits) : BitConverter.Int64BitsToDouble((long)bits));
        }

        return ZarrFillValue.FromJson(node, type, key);
    }

    public static JsonNode FillValueToJson(ZarrFillValue fill, ZarrDataType type)
    {
        if (fill.IsNull)
        {
            return type.Kind == ZarrDataKind.Float ? JsonValue.Create(0.0) : JsonValue.Create(0);
        }

        return fill.ToJson()!;
    }

    private static ShardingCodec Sharding(JsonObject configuration, string key, ZarrCodecRegistry registry)
    {
        long[] inner = Integers(configuration["chunk_shape"], "sharding_indexed chunk_shape", key, int.MaxValue);
        if (configuration["codecs"] is not JsonArray innerCodecs || innerCodecs.Count == 0)
        {
            throw new ZarrCodecException($"Codec 'sharding_indexed' in '{key}': \"codecs\" must be a non-empty array, found {ZarrMetadataJson.Describe(configuration["codecs"])}.", key);
        }

        List<ZarrV3Codec>? indexCodecs = configuration["index_codecs"] switch
        {
            null => [BytesCodec.Little, new CompressionCodec(Crc32cCodec.Instance)],
            JsonArray a when a.Count > 0 => ParseCodecs(a, key, registry),
            JsonNode other => throw new ZarrCodecException($"Codec 'sharding_indexed' in '{key}': \"index_codecs\" must be a non-empty array, found {ZarrMetadataJson.Describe(other)}.", key),
        };
        ShardIndexLocation location = configuration["index_location"] switch
        {
            null => ShardIndexLocation.End,
            JsonValue l when l.GetValueKind() == JsonValueKind.String && l.GetValue<string>() == "end" => ShardIndexLocation.End,
            JsonValue l when l.GetValueKind() == JsonValueKind.String && l.GetValue<string>() == "start" => ShardIndexLocation.Start,
            JsonNode other => throw new ZarrCodecException($"Codec 'sharding_indexed' in '{key}': \"index_location\" must be \"start\" or \"end\", found {ZarrMetadataJson.Describe(other)}.", key),
        };
        return new ShardingCodec([.. inner.Select(i => (int)i)], ParseCodecs(innerCodecs, key, registry), indexCodecs, location);
    }

    private static int[] TransposeOrder(JsonObject configuration, string key)
    {
        if (configuration["order"] is not JsonArray order)
        {
            throw new ZarrCodecException($"Codec 'transpose' in '{key}': \"order\" must be an array of axis indices, found {ZarrMetadataJson.Describe(configuration["order"])}.", key);
        }

        return [.. Integers(order, "transpose order", key, 31).Select(o => (int)o)];
    }

    private static JsonObject ToNumcodecs(string name, JsonObject configuration)
    {
        var json = new JsonObject { ["id"] = name };
        foreach (var (k, value) in configuration)
        {
            json[k] = value?.DeepClone();
        }

        if (name == BloscCodec.CodecId && json["shuffle"] is JsonValue s && s.GetValueKind() == JsonValueKind.String)
        {
            json["shuffle"] = s.GetValue<string>() switch
            {
                "noshuffle" => 0,
                "shuffle" => 1,
                "bitshuffle" => 2,
                string other => (JsonNode)other,
            };
        }

        json.Remove("typesize");
        return json;
    }

    /// <summary>A <c>{"name": ..., "configuration": {...}}</c> object (a bare name string is allowed too); returns the configuration.</summary>
    private static JsonObject Named(JsonNode? node, string what, string key, out string name)
    {
        if (node is JsonValue sv && sv.GetValueKind() == JsonValueKind.String)
        {
            name = sv.GetValue<string>();
            return [];
        }

        if (node is not JsonObject o || o["name"] is not JsonValue nv || nv.GetValueKind() != JsonValueKind.String)
        {
            throw new ZarrMetadataException($"'{key}': each \"{what}\" entry must be an object with a string \"name\", found {ZarrMetadataJson.Describe(node)}.", key);
        }

        name = nv.GetValue<string>();
        return o["configuration"] switch
        {
            null => [],
            JsonObject c => c,
            JsonNode other => throw new ZarrMetadataException($"'{key}': \"{what}\" \"{name}\" has a \"configuration\" that is not an object: {ZarrMetadataJson.Describe(other)}.", key),
        };
    }

    /// <summary>Unknown top-level keys are extensions: refused unless they say <c>"must_understand": false</c>.</summary>
    private static void CheckExtensions(JsonObject json, string[] known, string key)
    {
        foreach (var (name, value) in json)
        {
            if (known.Contains(name))
            {
                continue;
            }

            if (value is JsonObject o && o["must_understand"] is JsonValue mu && mu.GetValueKind() == JsonValueKind.False)
            {
                continue;
            }

            throw new ZarrMetadataException(
                $"'{key}': unknown key \"{name}\" is an extension this reader does not understand (it would need \"must_understand\": false).", key);
        }
    }

    private static long[] Integers(JsonNode? node, string name, string key, long max)
    {
        if (node is not JsonArray array)
        {
            throw new ZarrMetadataException($"'{key}': \"{name}\" must be an array of integers, found {ZarrMetadataJson.Describe(node)}.", key);
        }

        if (array.Count > 32)
        {
            throw new ZarrMetadataException($"'{key}': \"{name}\" has {array.Count} dimensions; at most 32 are supported.", key);
        }

        long[] values = new long[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out long l) || l < 0 || l > max)
            {
                throw new ZarrMetadataException($"'{key}': \"{name}\"[{i}] must be an integer between 0 and {max}, found {ZarrMetadataJson.Describe(array[i])}.", key);
            }

            values[i] = l;
        }

        return values;
    }
}
