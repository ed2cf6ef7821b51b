using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Navigate.Data;
using Navigate.Devices;

namespace Navigate.Plugins.OmeTiff.Metadata;

/// <summary>
/// Writes and reads the OME-XML (schema 2016-06) of one stack file: <c>OME &gt; Image &gt; Pixels</c> with the
/// required attributes, one <c>Channel</c>, one <c>TiffData</c> naming the file by UUID, one <c>Plane</c> per page
/// with its stage position, and a <c>MapAnnotation</c> carrying navigate's indices and acquisition shape.
/// </summary>
/// <remarks>
/// The XML is pure ASCII (µ is written as a character reference) so it is a valid TIFF ASCII field and valid UTF-8.
/// </remarks>
internal static class OmeXml
{
    /// <summary>The OME namespace.</summary>
    public const string Namespace = "http://www.openmicroscopy.org/Schemas/OME/2016-06";

    /// <summary>Namespace of our map annotation.</summary>
    public const string AnnotationNamespace = "navigate.acquisition";

    private const string Micrometre = "\u00B5m";
    private static readonly XNamespace Ome = Namespace;

    /// <summary>The OME-XML of <paramref name="stack"/>.</summary>
    public static string Build(StackInfo stack, string creator)
    {
        var settings = new XmlWriterSettings { Encoding = Encoding.ASCII, Indent = true, IndentChars = "  ", NewLineChars = "\n" };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("OME", Namespace);
            w.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
            w.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance", $"{Namespace} {Namespace}/ome.xsd");
            w.WriteAttributeString("UUID", Urn(stack.Uuid));
            w.WriteAttributeString("Creator", creator);

            w.WriteStartElement("Image", Namespace);
            w.WriteAttributeString("ID", "Image:0");
            w.WriteAttributeString("Name", Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(stack.FileName)));
            if (stack.AcquisitionDate is { } date)
            {
                w.WriteElementString("AcquisitionDate", Namespace, date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            }

            if (stack.PositionStage is { } stage && (stage.X ?? stage.Y ?? stage.Z) is not null)
            {
                w.WriteStartElement("StageLabel", Namespace);
                w.WriteAttributeString("Name", $"Position{stack.Position}");
                WriteLength(w, "X", stage.X, "XUnit");
                WriteLength(w, "Y", stage.Y, "YUnit");
                WriteLength(w, "Z", stage.Z, "ZUnit");
                w.WriteEndElement();
            }

            WritePixels(w, stack);
            w.WriteStartElement("AnnotationRef", Namespace);
            w.WriteAttributeString("ID", "Annotation:0");
            w.WriteEndElement();
            w.WriteEndElement(); // Image

            w.WriteStartElement("StructuredAnnotations", Namespace);
            w.WriteStartElement("MapAnnotation", Namespace);
            w.WriteAttributeString("ID", "Annotation:0");
            w.WriteAttributeString("Namespace", AnnotationNamespace);
            w.WriteStartElement("Value", Namespace);
            foreach (var (key, value) in AnnotationPairs(stack))
            {
                w.WriteStartElement("M", Namespace);
                w.WriteAttributeString("K", key);
                w.WriteString(value);
                w.WriteEndElement();
            }

            w.WriteEndElement(); // Value
            w.WriteEndElement(); // MapAnnotation
            w.WriteEndElement(); // StructuredAnnotations
            w.WriteEndElement(); // OME
            w.WriteEndDocument();
        }

        return Encoding.ASCII.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>Reads the OME-XML of the file <paramref name="filePath"/>; throws <see cref="InvalidOmeXmlException"/> naming what is missing.</summary>
    public static OmeStack Parse(string filePath, string xml)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new InvalidOmeXmlException(filePath, $"the OME-XML is not well-formed XML: {e.Message}", e);
        }

        var root = doc.Root!;
        if (root.Name.LocalName != "OME")
        {
            throw new InvalidOmeXmlException(filePath, $"expected root element <OME>, found <{root.Name.LocalName}>.");
        }

        var ns = root.Name.Namespace;
        var images = root.Elements(ns + "Image").ToList();
        if (images.Count == 0)
        {
            throw new InvalidOmeXmlException(filePath, "the OME-XML has no <Image> element; expected one per file.");
        }

        if (images.Count > 1)
        {
            throw new InvalidOmeXmlException(filePath, $"the OME-XML has {images.Count} <Image> elements; a navigate stack file holds exactly one.");
        }

        var image = images[0];
        var pixels = image.Element(ns + "Pixels") ?? throw new InvalidOmeXmlException(filePath, "<Image> has no <Pixels> element (required by the OME schema).");
        var sizeX = RequiredInt(filePath, pixels, "SizeX");
        var sizeY = RequiredInt(filePath, pixels, "SizeY");
        var sizeZ = RequiredInt(filePath, pixels, "SizeZ");
        var sizeC = RequiredInt(filePath, pixels, "SizeC");
        var sizeT = RequiredInt(filePath, pixels, "SizeT");
        var order = Required(filePath, pixels, "DimensionOrder");
        var type = Required(filePath, pixels, "Type");
        var pixelType = type switch
        {
            "uint8" => PixelType.UInt8,
            "uint16" => PixelType.UInt16,
            "int16" => PixelType.Int16,
            "uint32" => PixelType.UInt32,
            "float" => PixelType.Float32,
            "double" => PixelType.Float64,
            _ => throw new InvalidOmeXmlException(filePath, $"<Pixels Type=\"{type}\"> is not supported; expected uint8, uint16, int16, uint32, float or double."),
        };

        var tiffData = pixels.Elements(ns + "TiffData").ToList();
        if (tiffData.Count == 0)
        {
            throw new InvalidOmeXmlException(filePath, "<Pixels> has no <TiffData> element: the OME-XML does not say which pages hold the planes.");
        }

        var voxel = new VoxelSize(
            PhysicalSize(filePath, pixels, "PhysicalSizeX"),
            PhysicalSize(filePath, pixels, "PhysicalSizeY"),
            PhysicalSize(filePath, pixels, "PhysicalSizeZ"));
        var channelElement = pixels.Element(ns + "Channel");
        var map = root.Element(ns + "StructuredAnnotations")?.Elements(ns + "MapAnnotation")
            .FirstOrDefault(m => (string?)m.Attribute("Namespace") == AnnotationNamespace)?
            .Element(ns + "Value")?.Elements(ns + "M")
            .Where(m => m.Attribute("K") is not null)
            .GroupBy(m => (string)m.Attribute("K")!)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);

        var planes = new StagePosition?[sizeZ];
        var anyPlane = false;
        foreach (var plane in pixels.Elements(ns + "Plane"))
        {
            var theZ = RequiredInt(filePath, plane, "TheZ", allowZero: true);
            if (theZ < sizeZ && (int?)plane.Attribute("TheC") is 0 or null && (int?)plane.Attribute("TheT") is 0 or null)
            {
                var p = new StagePosition(Position(plane, "PositionX"), Position(plane, "PositionY"), Position(plane, "PositionZ"));
                if (p.X is not null || p.Y is not null || p.Z is not null)
                {
                    planes[theZ] = p;
                    anyPlane = true;
                }
            }
        }

        var stageLabel = image.Element(ns + "StageLabel");
        StagePosition? stage = stageLabel is null ? null : new StagePosition(Position(stageLabel, "X"), Position(stageLabel, "Y"), Position(stageLabel, "Z"));
        var significant = (int?)pixels.Attribute("SignificantBits") ?? (pixelType.BytesPerPixel() * 8);
        var info = new StackInfo
        {
            FileName = Path.GetFileName(filePath),
            Uuid = ParseUrn((string?)root.Attribute("UUID")),
            Width = sizeX,
            Height = sizeY,
            PixelType = pixelType,
            SignificantBits = significant,
            Planes = sizeZ,
            VoxelSize = voxel,
            TimeIncrementSeconds = (double?)pixels.Attribute("TimeIncrement") ?? 1,
            Channel = Int(map, "channel") ?? 0,
            Timepoint = Int(map, "timepoint") ?? 0,
            Position = Int(map, "position") ?? 0,
            ChannelInfo = channelElement is null ? null : ReadChannel(channelElement, map),
            PositionStage = stage,
            PlanePositions = anyPlane ? planes : [],
            Acquisition = ReadAcquisition(map),
        };
        return new OmeStack(info, sizeC, sizeT, order, [.. tiffData.Select(ReadTiffData)]);

        static TiffDataBlock ReadTiffData(XElement e) => new(
            (int?)e.Attribute("IFD") ?? 0,
            (int?)e.Attribute("FirstZ") ?? 0,
            (int?)e.Attribute("FirstC") ?? 0,
            (int?)e.Attribute("FirstT") ?? 0,
            (int?)e.Attribute("PlaneCount"),
            e.Elements().FirstOrDefault(u => u.Name.LocalName == "UUID") is { } uuid ? ((string?)uuid.Attribute("FileName"), uuid.Value.Trim()) : null);
    }

    private static void WritePixels(XmlWriter w, StackInfo stack)
    {
        w.WriteStartElement("Pixels", Namespace);
        w.WriteAttributeString("ID", "Pixels:0");
        w.WriteAttributeString("DimensionOrder", "XYZCT");
        w.WriteAttributeString("Type", OmeType(stack.PixelType));
        if (stack.SignificantBits > 0)
        {
            w.WriteAttributeString("SignificantBits", Int(stack.SignificantBits));
        }

        w.WriteAttributeString("Interleaved", "false");
        w.WriteAttributeString("BigEndian", "false");
        w.WriteAttributeString("SizeX", Int(stack.Width));
        w.WriteAttributeString("SizeY", Int(stack.Height));
        w.WriteAttributeString("SizeZ", Int(stack.Planes));
        w.WriteAttributeString("SizeC", "1");
        w.WriteAttributeString("SizeT", "1");
        w.WriteAttributeString("PhysicalSizeX", Num(stack.VoxelSize.X));
        w.WriteAttributeString("PhysicalSizeXUnit", Micrometre);
        w.WriteAttributeString("PhysicalSizeY", Num(stack.VoxelSize.Y));
        w.WriteAttributeString("PhysicalSizeYUnit", Micrometre);
        w.WriteAttributeString("PhysicalSizeZ", Num(stack.VoxelSize.Z));
        w.WriteAttributeString("PhysicalSizeZUnit", Micrometre);
        w.WriteAttributeString("TimeIncrement", Num(stack.TimeIncrementSeconds));
        w.WriteAttributeString("TimeIncrementUnit", "s");

        var channel = stack.ChannelInfo;
        w.WriteStartElement("Channel", Namespace);
        w.WriteAttributeString("ID", "Channel:0:0");
        w.WriteAttributeString("Name", channel?.Name ?? $"CH{stack.Channel:00}");
        w.WriteAttributeString("SamplesPerPixel", "1");
        if (channel is not null && Wavelength(channel.Laser) is { } nm)
        {
            w.WriteAttributeString("ExcitationWavelength", Num(nm));
            w.WriteAttributeString("ExcitationWavelengthUnit", "nm");
        }

        if (channel is not null && Color(channel.Color) is { } color)
        {
            w.WriteAttributeString("Color", Int(color));
        }

        w.WriteEndElement();

        w.WriteStartElement("TiffData", Namespace);
        w.WriteAttributeString("IFD", "0");
        w.WriteAttributeString("FirstZ", "0");
        w.WriteAttributeString("FirstC", "0");
        w.WriteAttributeString("FirstT", "0");
        w.WriteAttributeString("PlaneCount", Int(stack.Planes));
        w.WriteStartElement("UUID", Namespace);
        w.WriteAttributeString("FileName", stack.FileName);
        w.WriteString(Urn(stack.Uuid));
        w.WriteEndElement();
        w.WriteEndElement();

        for (var z = 0; z < stack.Planes; z++)
        {
            w.WriteStartElement("Plane", Namespace);
            w.WriteAttributeString("TheZ", Int(z));
            w.WriteAttributeString("TheT", "0");
            w.WriteAttributeString("TheC", "0");
            if (channel?.ExposureSeconds is { } exposure && double.IsFinite(exposure))
            {
                w.WriteAttributeString("ExposureTime", Num(exposure));
                w.WriteAttributeString("ExposureTimeUnit", "s");
            }

            if (z < stack.PlanePositions.Count && stack.PlanePositions[z] is { } p)
            {
                WriteLength(w, "PositionX", p.X, "PositionXUnit");
                WriteLength(w, "PositionY", p.Y, "PositionYUnit");
                WriteLength(w, "PositionZ", p.Z, "PositionZUnit");
            }

            w.WriteEndElement();
        }

        w.WriteEndElement(); // Pixels
    }

    private static IEnumerable<(string Key, string Value)> AnnotationPairs(StackInfo stack)
    {
        yield return ("channel", Int(stack.Channel));
        yield return ("timepoint", Int(stack.Timepoint));
        yield return ("position", Int(stack.Position));
        if (stack.Acquisition is { } a)
        {
            yield return ("channels", Int(a.Channels));
            yield return ("z_steps", Int(a.ZSteps));
            yield return ("timepoints", Int(a.Timepoints));
            yield return ("positions", Int(a.Positions));
            yield return ("per_stack", a.PerStack ? "true" : "false");
            yield return ("is_dynamic", a.IsDynamic ? "true" : "false");
            yield return ("microscope", a.MicroscopeName);
            foreach (var (key, value) in a.Extras.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                yield return ("extra." + key, value);
            }
        }

        if (stack.ChannelInfo is { } c)
        {
            if (c.Laser is not null)
            {
                yield return ("laser", c.Laser);
            }

            if (c.Filter is not null)
            {
                yield return ("filter", c.Filter);
            }

            if (c.LaserPower is { } power)
            {
                yield return ("laser_power", Num(power));
            }
        }
    }

    private static ChannelInfo ReadChannel(XElement channel, Dictionary<string, string> map)
    {
        var color = (int?)channel.Attribute("Color") is { } rgba ? ((uint)rgba >> 8).ToString("X6", CultureInfo.InvariantCulture) : "FFFFFF";
        return new ChannelInfo(
            (string?)channel.Attribute("Name") ?? "CH00",
            color,
            map.GetValueOrDefault("laser"),
            map.GetValueOrDefault("filter"),
            map.TryGetValue("laser_power", out var p) && double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var power) ? power : null,
            (double?)channel.Parent?.Elements(channel.Name.Namespace + "Plane").FirstOrDefault()?.Attribute("ExposureTime"));
    }

    private static AcquisitionFacts? ReadAcquisition(Dictionary<string, string> map)
    {
        if (Int(map, "channels") is not { } c || Int(map, "z_steps") is not { } z || Int(map, "timepoints") is not { } t || Int(map, "positions") is not { } p)
        {
            return null;
        }

        var extras = map.Where(kv => kv.Key.StartsWith("extra.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["extra.".Length..], kv => kv.Value, StringComparer.Ordinal);
        return new AcquisitionFacts(c, z, t, p, map.GetValueOrDefault("per_stack") != "false", map.GetValueOrDefault("is_dynamic") == "true",
            map.GetValueOrDefault("microscope") ?? "Navigate", extras);
    }

    private static string Required(string filePath, XElement e, string attribute)
        => (string?)e.Attribute(attribute) ?? throw new InvalidOmeXmlException(filePath, $"<{e.Name.LocalName}> lacks the required attribute {attribute}.");

    private static int RequiredInt(string filePath, XElement e, string attribute, bool allowZero = false)
    {
        var text = Required(filePath, e, attribute);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (value == 0 && !allowZero))
        {
            throw new InvalidOmeXmlException(filePath, $"<{e.Name.LocalName} {attribute}=\"{text}\">: expected a {(allowZero ? "non-negative" : "positive")} integer.");
        }

        return value;
    }

    private static double PhysicalSize(string filePath, XElement pixels, string attribute)
    {
        if (pixels.Attribute(attribute) is not { } a)
        {
            return 1;
        }

        if (!double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || !double.IsFinite(value))
        {
            throw new InvalidOmeXmlException(filePath, $"<Pixels {attribute}=\"{a.Value}\">: expected a positive number.");
        }

        var unit = (string?)pixels.Attribute(attribute + "Unit") ?? Micrometre;
        var toMicrometres = unit switch
        {
            Micrometre or "um" or "\u03BCm" => 1,
            "nm" => 1e-3,
            "mm" => 1e3,
            "cm" => 1e4,
            "m" => 1e6,
            _ => throw new InvalidOmeXmlException(filePath, $"<Pixels {attribute}Unit=\"{unit}\"> is not supported; expected nm, \u00B5m, mm, cm or m."),
        };
        return value * toMicrometres;
    }

    private static double? Position(XElement e, string attribute)
        => e.Attribute(attribute) is { } a && double.TryParse(a.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(Dictionary<string, string> map, string key)
        => map.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static void WriteLength(XmlWriter w, string attribute, double? value, string unitAttribute)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteAttributeString(attribute, Num(v));
            w.WriteAttributeString(unitAttribute, Micrometre);
        }
    }

    private static string OmeType(PixelType type) => type switch
    {
        PixelType.UInt8 => "uint8",
        PixelType.UInt16 => "uint16",
        PixelType.Int16 => "int16",
        PixelType.UInt32 => "uint32",
        PixelType.Float32 => "float",
        PixelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown pixel type."),
    };

    /// <summary>"488nm", "488 nm" or "488" as nanometres.</summary>
    private static double? Wavelength(string? laser)
    {
        if (laser is null)
        {
            return null;
        }

        var text = laser.Trim();
        if (text.EndsWith("nm", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^2].TrimEnd();
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var nm) && nm > 0 && double.IsFinite(nm) ? nm : null;
    }

    /// <summary>"RRGGBB" as OME's signed RGBA integer (alpha opaque).</summary>
    private static int? Color(string hex)
        => hex.Length == 6 && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb) ? unchecked((int)((rgb << 8) | 0xFF)) : null;

    private static string Urn(Guid uuid) => "urn:uuid:" + uuid.ToString("D");

    private static Guid ParseUrn(string? urn)
        => urn is not null && urn.StartsWith("urn:uuid:", StringComparison.Ordinal) && Guid.TryParse(urn.AsSpan(9), out var g) ? g : Guid.Empty;

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>What the OME-XML of one file says, beyond <see cref="StackInfo"/>.</summary>
/// <param name="Stack">The stack.</param>
/// <param name="SizeC">Pixels SizeC.</param>
/// <param name="SizeT">Pixels SizeT.</param>
/// <param name="DimensionOrder">Pixels DimensionOrder.</param>
/// <param name="TiffData">The TiffData blocks, in document order.</param>
internal sealed record OmeStack(StackInfo Stack, int SizeC, int SizeT, string DimensionOrder, IReadOnlyList<TiffDataBlock> TiffData);

/// <summary>One TiffData element.</summary>
/// <param name="Ifd">First page.</param>
/// <param name="FirstZ">First z.</param>
/// <param name="FirstC">First c.</param>
/// <param name="FirstT">First t.</param>
/// <param name="PlaneCount">Planes, or null (then: all remaining when it is the only block, else 1).</param>
/// <param name="Uuid">The UUID element's FileName and text, when present.</param>
internal sealed record TiffDataBlock(int Ifd, int FirstZ, int FirstC, int FirstT, int? PlaneCount, (string? FileName, string Urn)? Uuid);
