using System.Text.RegularExpressions;
using System.Xml.Linq;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Metadata;

namespace Navigate.Plugins.OmeTiff.Tests.Metadata;

/// <summary>The OME-XML we write has what the OME 2016-06 schema requires, in the order it requires it.</summary>
public sealed class OmeXmlTests
{
    private static readonly XNamespace Ome = "http://www.openmicroscopy.org/Schemas/OME/2016-06";

    private static StackInfo Stack(int planes = 3) => new()
    {
        FileName = "CH01_000002.ome.tiff",
        Uuid = Guid.Parse("3e450fae-b8f2-4d35-aa54-702168b2487f"),
        Width = 2048,
        Height = 1024,
        PixelType = PixelType.UInt16,
        SignificantBits = 12,
        Planes = planes,
        VoxelSize = new VoxelSize(0.1625, 0.1625, 0.5),
        TimeIncrementSeconds = 30,
        Channel = 1,
        Timepoint = 2,
        Position = 0,
        ChannelInfo = new ChannelInfo("CH01", "FF00FF", "561nm", "LP 570", 12.5, 0.05),
        PositionStage = new StagePosition(10, 20, 30),
        PlanePositions = [new StagePosition(10, 20, 30), null, new StagePosition(10.5, 20, 31)],
        AcquisitionDate = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        Acquisition = new AcquisitionFacts(2, planes, 5, 1, true, false, "Mesoscale", new Dictionary<string, string> { ["sample"] = "organoid" }),
    };

    /// <summary>Children of <paramref name="parent"/> must appear in the order the schema's sequence lists them.</summary>
    private static void InSchemaOrder(XElement parent, params string[] sequence)
    {
        var positions = parent.Elements().Select(e => Array.IndexOf(sequence, e.Name.LocalName)).ToArray();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void TheDocumentHasTheSchemasRequiredStructure()
    {
        var xml = OmeXml.Build(Stack(), "Navigate.Plugins.OmeTiff test");
        Assert.True(xml.All(ch => ch < 128), "OME-XML in a TIFF ASCII field must be ASCII");
        Assert.Contains("&#xB5;m", xml);

        var root = XDocument.Parse(xml).Root!;
        Assert.Equal(Ome + "OME", root.Name);
        Assert.Matches("^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", (string)root.Attribute("UUID")!);
        Assert.Equal("Navigate.Plugins.OmeTiff test", (string)root.Attribute("Creator")!);
        InSchemaOrder(root, "Rights", "Project", "Dataset", "Folder", "Experiment", "Plate", "Screen", "Experimenter", "ExperimenterGroup", "Instrument", "Image", "StructuredAnnotations", "ROI");

        var image = Assert.Single(root.Elements(Ome + "Image"));
        Assert.Matches(@"^Image:\S+$", (string)image.Attribute("ID")!);
        InSchemaOrder(image, "AcquisitionDate", "ExperimenterRef", "Description", "ExperimentRef", "ExperimenterGroupRef", "InstrumentRef", "ObjectiveSettings", "ImagingEnvironment", "StageLabel", "Pixels", "ROIRef", "MicrobeamManipulationRef", "AnnotationRef");
        Assert.Equal("2025-01-02T03:04:05", image.Element(Ome + "AcquisitionDate")!.Value);
        var label = image.Element(Ome + "StageLabel")!;
        Assert.Equal(("Position0", "10", "\u00B5m"), ((string)label.Attribute("Name")!, (string)label.Attribute("X")!, (string)label.Attribute("XUnit")!));

        var pixels = Assert.Single(image.Elements(Ome + "Pixels"));
        Assert.Matches(@"^Pixels:\S+$", (string)pixels.Attribute("ID")!);
        Assert.Contains((string)pixels.Attribute("DimensionOrder")!, new[] { "XYZCT", "XYZTC", "XYCTZ", "XYCZT", "XYTCZ", "XYTZC" });
        Assert.Equal("uint16", (string)pixels.Attribute("Type")!);
        Assert.Equal([2048, 1024, 3, 1, 1], new[] { "SizeX", "SizeY", "SizeZ", "SizeC", "SizeT" }.Select(a => (int)pixels.Attribute(a)!));
        Assert.Equal([0.1625, 0.1625, 0.5], new[] { "PhysicalSizeX", "PhysicalSizeY", "PhysicalSizeZ" }.Select(a => (double)pixels.Attribute(a)!));
        Assert.All(new[] { "PhysicalSizeXUnit", "PhysicalSizeYUnit", "PhysicalSizeZUnit" }, a => Assert.Equal("\u00B5m", (string)pixels.Attribute(a)!));
        Assert.Equal(12, (int)pixels.Attribute("SignificantBits")!);
        Assert.Equal("false", (string)pixels.Attribute("BigEndian")!);
        Assert.Equal(30.0, (double)pixels.Attribute("TimeIncrement")!);

        // Pixels: Channel*, then one of BinData+ | TiffData+ | MetadataOnly, then Plane*.
        InSchemaOrder(pixels, "Channel", "TiffData", "Plane");
        var channel = Assert.Single(pixels.Elements(Ome + "Channel")); // one per SizeC
        Assert.Matches(@"^Channel:\S+$", (string)channel.Attribute("ID")!);
        Assert.Equal("CH01", (string)channel.Attribute("Name")!);
        Assert.Equal(unchecked((int)0xFF00FFFF), (int)channel.Attribute("Color")!);
        Assert.Equal(561.0, (double)channel.Attribute("ExcitationWavelength")!);

        var tiffData = Assert.Single(pixels.Elements(Ome + "TiffData"));
        Assert.Equal((0, 3), ((int)tiffData.Attribute("IFD")!, (int)tiffData.Attribute("PlaneCount")!));
        var uuid = tiffData.Element(Ome + "UUID")!;
        Assert.Equal("CH01_000002.ome.tiff", (string)uuid.Attribute("FileName")!);
        Assert.Equal((string?)root.Attribute("UUID"), uuid.Value);

        var planes = pixels.Elements(Ome + "Plane").ToArray();
        Assert.Equal(3, planes.Length); // SizeZ x SizeC x SizeT
        Assert.Equal([0, 1, 2], planes.Select(p => (int)p.Attribute("TheZ")!));
        Assert.All(planes, p => Assert.Equal((0, 0), ((int)p.Attribute("TheC")!, (int)p.Attribute("TheT")!)));
        Assert.All(planes, p => Assert.Equal(0.05, (double)p.Attribute("ExposureTime")!));
        Assert.Equal((10.5, 20.0, 31.0), ((double)planes[2].Attribute("PositionX")!, (double)planes[2].Attribute("PositionY")!, (double)planes[2].Attribute("PositionZ")!));
        Assert.Equal("\u00B5m", (string)planes[2].Attribute("PositionZUnit")!);
        Assert.Null(planes[1].Attribute("PositionX"));

        var map = root.Element(Ome + "StructuredAnnotations")!.Element(Ome + "MapAnnotation")!;
        Assert.Matches(@"^Annotation:\S+$", (string)map.Attribute("ID")!);
        Assert.Equal((string?)map.Attribute("ID"), (string?)image.Element(Ome + "AnnotationRef")!.Attribute("ID")!);
        var values = map.Element(Ome + "Value")!.Elements(Ome + "M").ToDictionary(m => (string)m.Attribute("K")!, m => m.Value);
        Assert.Equal("1", values["channel"]);
        Assert.Equal("2", values["timepoint"]);
        Assert.Equal("5", values["timepoints"]);
        Assert.Equal("organoid", values["extra.sample"]);
        Assert.Equal("LP 570", values["filter"]);
    }

    [Fact]
    public void ParseReadsBackWhatBuildWrote()
    {
        var stack = Stack();
        var parsed = OmeXml.Parse("/x/CH01_000002.ome.tiff", OmeXml.Build(stack, "t"));

        Assert.Equal((1, 1, "XYZCT"), (parsed.SizeC, parsed.SizeT, parsed.DimensionOrder));
        var read = parsed.Stack;
        Assert.Equal(stack.Uuid, read.Uuid);
        Assert.Equal((2048, 1024, PixelType.UInt16, 12, 3), (read.Width, read.Height, read.PixelType, read.SignificantBits, read.Planes));
        Assert.Equal(stack.VoxelSize, read.VoxelSize);
        Assert.Equal((1, 2, 0), (read.Channel, read.Timepoint, read.Position));
        Assert.Equal(stack.ChannelInfo, read.ChannelInfo);
        Assert.Equal(stack.PositionStage, read.PositionStage);
        Assert.Equal(stack.PlanePositions, read.PlanePositions);
        Assert.Equal(stack.Acquisition!.Extras, read.Acquisition!.Extras);
        Assert.Equal(stack.Acquisition with { Extras = read.Acquisition.Extras }, read.Acquisition);
        var block = Assert.Single(parsed.TiffData);
        Assert.Equal((0, 0, 3), (block.Ifd, block.FirstZ, block.PlaneCount));
    }

    [Theory]
    [InlineData("not xml", "the OME-XML is not well-formed XML")]
    [InlineData("<Foo/>", "expected root element <OME>, found <Foo>")]
    [InlineData("<OME xmlns='http://www.openmicroscopy.org/Schemas/OME/2016-06'/>", "the OME-XML has no <Image> element")]
    [InlineData("<OME><Image ID='Image:0'/><Image ID='Image:1'/></OME>", "the OME-XML has 2 <Image> elements; a navigate stack file holds exactly one")]
    [InlineData("<OME><Image ID='Image:0'/></OME>", "<Image> has no <Pixels> element (required by the OME schema)")]
    [InlineData("<OME><Image><Pixels SizeX='4' SizeY='4' SizeZ='1' SizeC='1' DimensionOrder='XYZCT' Type='uint16'/></Image></OME>", "<Pixels> lacks the required attribute SizeT")]
    [InlineData("<OME><Image><Pixels SizeX='0' SizeY='4' SizeZ='1' SizeC='1' SizeT='1' DimensionOrder='XYZCT' Type='uint16'/></Image></OME>", "<Pixels SizeX=\"0\">: expected a positive integer")]
    [InlineData("<OME><Image><Pixels SizeX='4' SizeY='4' SizeZ='1' SizeC='1' SizeT='1' DimensionOrder='XYZCT' Type='bit'/></Image></OME>", "<Pixels Type=\"bit\"> is not supported")]
    [InlineData("<OME><Image><Pixels SizeX='4' SizeY='4' SizeZ='1' SizeC='1' SizeT='1' DimensionOrder='XYZCT' Type='uint8'><MetadataOnly/></Pixels></Image></OME>", "<Pixels> has no <TiffData> element")]
    [InlineData("<OME><Image><Pixels SizeX='4' SizeY='4' SizeZ='1' SizeC='1' SizeT='1' DimensionOrder='XYZCT' Type='uint8' PhysicalSizeX='1' PhysicalSizeXUnit='pc'><TiffData/></Pixels></Image></OME>", "<Pixels PhysicalSizeXUnit=\"pc\"> is not supported")]
    public void BadDocumentsNameWhatIsWrong(string xml, string expected)
    {
        var e = Assert.Throws<InvalidOmeXmlException>(() => OmeXml.Parse("/data/CH00_000000.ome.tiff", xml));
        Assert.StartsWith("/data/CH00_000000.ome.tiff (page 0): ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void UnitsAreConvertedToMicrometres()
    {
        var xml = "<OME><Image><Pixels SizeX='4' SizeY='4' SizeZ='1' SizeC='1' SizeT='1' DimensionOrder='XYZCT' Type='uint8' PhysicalSizeX='650' PhysicalSizeXUnit='nm' PhysicalSizeY='0.00065' PhysicalSizeYUnit='mm' PhysicalSizeZ='2'><TiffData/></Pixels></Image></OME>";
        var voxel = OmeXml.Parse("/x.ome.tif", xml).Stack.VoxelSize;
        Assert.Equal(0.65, voxel.X, 10);
        Assert.Equal(0.65, voxel.Y, 10);
        Assert.Equal(2, voxel.Z);
    }
}
