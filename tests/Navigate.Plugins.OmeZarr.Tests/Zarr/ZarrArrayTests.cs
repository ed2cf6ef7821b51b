using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

public sealed class ZarrArrayTests
{
    public static TheoryData<string> Compressors => new() { "none", "zstd", "gzip", "zlib", "lz4" };

    internal static IZarrCodec? CodecByName(string name) => name switch
    {
        "none" => null,
        "zstd" => new ZstdCodec(3),
        "gzip" => new GzipCodec(5),
        "zlib" => new ZlibCodec(5),
        "lz4" => new Lz4Codec(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Compressors))]
    public void RegionRoundTripsThroughEdgeChunks(string compressor)
    {
        using var temp = new TempStore();
        var metadata = new ZarrArrayMetadata
        {
            Shape = [37, 23],
            Chunks = [10, 7],
            DataType = ZarrDataType.UInt16,
            Compressor = CodecByName(compressor),
        };
        ZarrArray array = ZarrArray.Create(temp.Store, "a", metadata);
        ushort[] data = new ushort[37 * 23];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (ushort)(i * 7919);
        }

        array.WriteRegion<ushort>([0, 0], [37, 23], data);

        ZarrArray reopened = ZarrArray.Open(temp.Store, "a");
        ushort[] back = new ushort[data.Length];
        reopened.ReadRegion<ushort>([0, 0], [37, 23], back);
        Assert.Equal(data, back);

        ushort[] part = new ushort[5 * 9];
        reopened.ReadRegion<ushort>([31, 12], [5, 9], part);
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                Assert.Equal(data[((31 + y) * 23) + 12 + x], part[(y * 9) + x]);
            }
        }
    }

    [Fact]
    public void MissingChunksReadAsFillValue()
    {
        using var temp = new TempStore();
        var metadata = new ZarrArrayMetadata
        {
            Shape = [20, 20],
            Chunks = [8, 8],
            DataType = ZarrDataType.Float32,
            FillValue = ZarrFillValue.FromDouble(double.NaN),
        };
        ZarrArray array = ZarrArray.Create(temp.Store, "", metadata);
        array.WriteRegion<float>([0, 0], [2, 2], [1f, 2f, 3f, 4f]);
        float[] back = new float[9];
        array.ReadRegion<float>([0, 0], [3, 3], back);
        Assert.Equal(1f, back[0]);
        Assert.Equal(2f, back[1]);
        Assert.True(float.IsNaN(back[2]));
        Assert.Equal(3f, back[3]);
        Assert.True(float.IsNaN(back[8]));
        Assert.False(array.ChunkExists([1, 1]));
        JsonObject zarray = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Root, ".zarray")))!.AsObject();
        Assert.Equal("NaN", zarray["fill_value"]!.GetValue<string>());
    }
}
