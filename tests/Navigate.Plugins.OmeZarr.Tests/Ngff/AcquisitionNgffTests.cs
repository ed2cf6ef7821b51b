using System.Text.Json;
using System.Xml.Linq;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Ngff;
using Navigate.Plugins.OmeZarr.Tests.TestSupport;
using Navigate.Plugins.OmeZarr.Writing;

namespace Navigate.Plugins.OmeZarr.Tests.Ngff;

public sealed class AcquisitionNgffTests
{
    private static readonly AcquisitionMetadata Metadata = new()
    {
        Width = 64,
        Height = 32,
        Channels = 2,
        ZSteps = 5,
        Timepoints = 3,
        Positions = 2,
        VoxelSize = new VoxelSize(0.5, 0.5, 2),
        TimeIntervalSeconds = 10,
        BitDepth = 12,
        ChannelInfos = [new ChannelInfo("GFP", "00ff00", "488nm"), new ChannelInfo("RFP", "not-a-colour")],
        StagePositions = [new StagePosition(100, 200, 300), new StagePosition(-5, 6.5, 7)],
        Extras = new Dictionary<string, string> { ["user"] = "Kevin" },
    };

    private static readonly Size3[] Resolutions = [new(1, 1, 1), new(2, 2, 1), new(4, 4, 1), new(8, 8, 1)];

    private static NgffMultiscale Position(int p, OmeZarrLayout layout) => AcquisitionNgff.Multiscale(
        Metadata,
        DatasetDocuments.ImageName(p),
        [.. Enumerable.Range(0, 4).Select(k => DatasetDocuments.DatasetPath(layout, p, k))],
        Resolutions,
        Metadata.StagePositions[p]);

    [Fact]
    public void Scale_is_the_voxel_size_times_the_level_factor_and_translation_centres_each_level_on_its_blocks()
    {
        var m = Position(1, OmeZarrLayout.Navigate);
        Assert.Equal(["t", "c", "z", "y", "x"], m.Axes.Select(a => a.Name));
        Assert.Equal(["time", "channel", "space", "space", "space"], m.Axes.Select(a => a.Type));
        Assert.Equal(["second", null, "micrometer", "micrometer", "micrometer"], m.Axes.Select(a => a.Unit));
        Assert.Equal(["p1_0", "p1_1", "p1_2", "p1_3"], m.Datasets.Select(d => d.Path));
        Assert.Equal([10, 1, 2, 0.5, 0.5], m.Datasets[0].Transform.Scale);
        Assert.Equal([10, 1, 2, 4, 4], m.Datasets[3].Transform.Scale);
        Assert.Equal([0, 0, 7, 6.5, -5], m.Datasets[0].Transform.Translation!);
        // level 3 averages 8x8 blocks of 0.5 µm pixels: its first pixel centre is 3.5 pixels = 1.75 µm in.
        Assert.Equal([0, 0, 7, 6.5 + 1.75, -5 + 1.75], m.Datasets[3].Transform.Translation!);
        Assert.Equal("p1", m.Name);
        Assert.Equal("0.4", m.Version);
    }

    [Fact]
    public void Omero_channels_come_from_channel_info_and_the_bit_depth()
    {
        var omero = AcquisitionNgff.Omero(Metadata, "dataset");
        Assert.Equal(2, omero.Channels.Count);
        Assert.Equal(new NgffOmeroChannel("00FF00", new NgffWindow(0, 4095, 0, 4095), "GFP"), omero.Channels[0]);
        Assert.Equal("FFFFFF", omero.Channels[1].Color); // not a hex colour: white
        Assert.Equal(2, omero.DefaultZ);
        Assert.Equal((-32768, 32767), AcquisitionNgff.Range(PixelType.Int16, 16));
        Assert.Equal((0, 255), AcquisitionNgff.Range(PixelType.UInt8, 8));
    }

    [Fact]
    public void Navigate_layout_root_attributes_validate_against_the_ngff_schemas_and_read_back()
    {
        var omero = AcquisitionNgff.Omero(Metadata, "dataset");
        var block = DatasetDocuments.NavigateBlock(Metadata, Metadata.FrameCount, 17, false, new OmeZarrOptions(), Resolutions);
        var root = DatasetDocuments.RootAttributes(OmeZarrLayout.Navigate, [Position(0, OmeZarrLayout.Navigate), Position(1, OmeZarrLayout.Navigate)], omero, block);

        Assert.Empty(NgffSchemas.Errors("image.schema", root));
        Assert.Empty(NgffSchemas.Errors("strict_image.schema", root));
        using var doc = JsonDocument.Parse(root.ToJsonString());
        var image = NgffReader.ReadImage(doc.RootElement, ".zattrs");
        Assert.Equal(2, image.Multiscales.Count);
        Assert.Equal(omero with { Channels = [] }, image.Omero! with { Channels = [] });
        Assert.Equal(omero.Channels, image.Omero.Channels);
        var back = AcquisitionJson.FromJson(doc.RootElement.GetProperty("navigate").GetProperty("metadata"), ".zattrs");
        Assert.Equal(Metadata with { ChannelInfos = back.ChannelInfos, StagePositions = back.StagePositions, Extras = back.Extras }, back);
        Assert.Equal(Metadata.ChannelInfos, back.ChannelInfos);
        Assert.Equal(Metadata.StagePositions, back.StagePositions);
        Assert.Equal(Metadata.Extras, back.Extras);
        Assert.Equal(17, doc.RootElement.GetProperty("navigate").GetProperty("frames_written").GetInt64());
    }

    [Fact]
    public void Bioformats2raw_documents_validate_against_their_schemas()
    {
        var omero = AcquisitionNgff.Omero(Metadata, "dataset");
        var block = DatasetDocuments.NavigateBlock(Metadata, Metadata.FrameCount, 0, false, new OmeZarrOptions { Layout = OmeZarrLayout.Bioformats2Raw }, Resolutions);
        var root = DatasetDocuments.RootAttributes(OmeZarrLayout.Bioformats2Raw, [], omero, block);
        Assert.Empty(NgffSchemas.Errors("bf2raw.schema", root));
        Assert.Equal(3, root["bioformats2raw.layout"]!.GetValue<int>());
        Assert.False(root.ContainsKey("multiscales"));

        var series = DatasetDocuments.SeriesAttributes(2);
        Assert.Empty(NgffSchemas.Errors("ome.schema", series));
        Assert.Equal("[\"0\",\"1\"]", series["series"]!.ToJsonString());

        var image = DatasetDocuments.ImageAttributes(Position(1, OmeZarrLayout.Bioformats2Raw), omero);
        Assert.Empty(NgffSchemas.Errors("strict_image.schema", image));
        Assert.Equal(["0", "1", "2", "3"], image["multiscales"]![0]!["datasets"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()));
    }

    [Fact]
    public void A_schema_violation_is_detected_by_the_schema_check()
    {
        // Guards the guard: the schema helper must reject what the schema forbids.
        var root = DatasetDocuments.ImageAttributes(Position(0, OmeZarrLayout.Navigate), AcquisitionNgff.Omero(Metadata, "x"));
        root["multiscales"]![0]!["axes"]![0]!["type"] = "space";
        root["multiscales"]![0]!["axes"]![1]!["type"] = "space";
        Assert.NotEmpty(NgffSchemas.Errors("image.schema", root));
    }

    [Fact]
    public void The_ome_xml_lists_one_metadata_only_image_per_position()
    {
        var xml = XDocument.Parse(AcquisitionNgff.OmeXml(Metadata, 2));
        XNamespace ns = "http://www.openmicroscopy.org/Schemas/OME/2016-06";
        var images = xml.Root!.Elements(ns + "Image").ToList();
        Assert.Equal(2, images.Count);
        var pixels = images[1].Element(ns + "Pixels")!;
        Assert.Equal("uint16", pixels.Attribute("Type")!.Value);
        Assert.Equal(["64", "32", "5", "2", "3"], new[] { "SizeX", "SizeY", "SizeZ", "SizeC", "SizeT" }.Select(a => pixels.Attribute(a)!.Value));
        Assert.NotNull(pixels.Element(ns + "MetadataOnly"));
        Assert.Equal(["GFP", "RFP"], pixels.Elements(ns + "Channel").Select(c => c.Attribute("Name")!.Value));
    }
}
