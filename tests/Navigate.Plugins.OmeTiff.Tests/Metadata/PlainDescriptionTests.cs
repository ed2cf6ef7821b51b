using System.Text.Json;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Metadata;

namespace Navigate.Plugins.OmeTiff.Tests.Metadata;

/// <summary>The plain-TIFF description: navigate's tifffile JSON, and ImageJ's key=value form when reading.</summary>
public sealed class PlainDescriptionTests
{
    [Fact]
    public void BuildWritesNavigatesShapedJson()
    {
        var text = PlainDescription.Build(new StackInfo
        {
            FileName = "CH02_000007.tif",
            Width = 64,
            Height = 32,
            PixelType = PixelType.UInt16,
            Planes = 9,
            VoxelSize = new VoxelSize(0.5, 0.5, 4),
            Channel = 2,
            Timepoint = 7,
            Acquisition = new AcquisitionFacts(3, 9, 10, 1, false, false, "m", new Dictionary<string, string> { ["note"] = "µ" }),
        });

        Assert.True(text.All(c => c < 128));
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal([9, 32, 64], json.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(4, json.GetProperty("spacing").GetDouble());
        Assert.Equal("um", json.GetProperty("unit").GetString());
        Assert.Equal("ZYX", json.GetProperty("axes").GetString());
        Assert.Equal((2, 7), (json.GetProperty("channel").GetInt32(), json.GetProperty("timepoint").GetInt32()));
        Assert.Equal("µ", json.GetProperty("notes").GetProperty("note").GetString());

        var facts = PlainDescription.Parse(text);
        Assert.Equal((4.0, "um", 2, 7), (facts.Spacing, facts.Unit, facts.Channel, facts.Timepoint));
        Assert.False(facts.Acquisition!.PerStack);
    }

    [Fact]
    public void ImageJDescriptionsGiveSpacingUnitAndInterval()
    {
        var facts = PlainDescription.Parse("ImageJ=1.11a\nimages=4\nslices=4\nunit=micron\nspacing=1.5\nfinterval=2\nloop=false\n");
        Assert.Equal((1.5, "micron", 2.0), (facts.Spacing, facts.Unit, facts.TimeInterval));
        Assert.Equal(1, PlainDescription.MicrometresPer(facts.Unit));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("a scanner's free text")]
    public void AnythingElseSaysNothing(string? description)
        => Assert.Equal(new PlainFacts(), PlainDescription.Parse(description));
}
