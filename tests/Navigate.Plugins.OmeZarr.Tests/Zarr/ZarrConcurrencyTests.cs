using Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr;

public sealed class ZarrConcurrencyTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadersSeeTheOldOrTheNewChunkNeverAPart()
    {
        ZarrArray array = ZarrArray.Create(_temp.Store, "a", new ZarrArrayMetadata
        {
            Shape = [256, 256],
            Chunks = [256, 256],
            DataType = ZarrDataType.UInt16,
            Compressor = new BloscCodec(),
        });
        // Two versions with very different encoded lengths, so a torn or resized read would not decode.
        byte[] smooth = TestData.Smooth(array.ChunkByteLength, seed: 1);
        byte[] noise = TestData.Noise(array.ChunkByteLength, seed: 2);
        array.WriteChunk([0, 0], smooth);
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < 150; i++)
            {
                array.WriteChunk([0, 0], i % 2 == 0 ? noise : smooth);
            }
        }, TestContext.Current.CancellationToken);
        byte[] back = new byte[array.ChunkByteLength];
        int reads = 0;
        while (!writer.IsCompleted || reads < 10)
        {
            Assert.True(array.ReadChunk([0, 0], back));
            Assert.True(back.AsSpan().SequenceEqual(smooth) || back.AsSpan().SequenceEqual(noise), $"read {reads} saw a mixed chunk");
            reads++;
        }

        await writer;
    }
}
