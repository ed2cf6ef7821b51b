using Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

/// <summary>
/// The chunk hot paths take their buffers from the pool: after warm-up, writing or reading a 2 MiB chunk allocates only
/// the few small strings and handles a file needs (key, path, temporary name), never a chunk-sized buffer.
/// </summary>
public sealed class ZarrAllocationTests : IDisposable
{
    private const int Budget = 4096;
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Codecs => new() { "blosc-lz4", "blosc-zstd", "blosc-blosclz", "lz4", "zstd", "none" };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void WriteAndReadOfWholeChunksAllocateNoBuffers(string codecName)
    {
        IZarrCodec? codec = codecName switch
        {
            "blosc-lz4" => new BloscCodec(),
            "blosc-zstd" => new BloscCodec(BloscCompressor.Zstd, 1),
            "blosc-blosclz" => new BloscCodec(BloscCompressor.BloscLZ, 5),
            "lz4" => new Lz4Codec(),
            "zstd" => new ZstdCodec(1),
            _ => null,
        };
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata
        {
            Shape = [8, 1024, 1024],
            Chunks = [1, 1024, 1024],
            DataType = ZarrDataType.UInt16,
            Compressor = codec,
        });
        byte[] frame = TestData.Smooth(array.ChunkByteLength);
        byte[] back = new byte[frame.Length];
        array.WriteRegion([0, 0, 0], [1, 1024, 1024], frame); // warm-up: pools, JIT, codec contexts
        array.ReadRegion([0, 0, 0], [1, 1024, 1024], back);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int z = 1; z < 8; z++)
        {
            array.WriteRegion([z, 0, 0], [1, 1024, 1024], frame);
        }

        long perWrite = (GC.GetAllocatedBytesForCurrentThread() - before) / 7;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int z = 1; z < 8; z++)
        {
            array.ReadRegion([z, 0, 0], [1, 1024, 1024], back);
        }

        long perRead = (GC.GetAllocatedBytesForCurrentThread() - before) / 7;
        Assert.Equal(frame, back);
        Assert.True(perWrite < Budget, $"{codecName}: a 2 MiB chunk write allocated {perWrite} bytes");
        Assert.True(perRead < Budget, $"{codecName}: a 2 MiB chunk read allocated {perRead} bytes");
    }
}
