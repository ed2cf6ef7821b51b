using System.Buffers.Binary;
using System.Collections.Concurrent;
using Navigate.Plugins.OmeZarr.Storage;
using Navigate.Plugins.OmeZarr.Tests.Zarr;
using Navigate.Plugins.OmeZarr.Writing;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Writing;

/// <summary>
/// Shards packed from inner chunks arriving in any order on several threads: the stored shard reads back as the
/// array that was cut into inner chunks, its index is checked by crc32c, fill-only and dropped inner chunks are left
/// out, edge shards complete with only the inner chunks inside the array, and every sequence is retired exactly once.
/// </summary>
public sealed class ShardPackerTests : IDisposable
{
    // (t, c, z, y, x) = (1, 1, 5, 6, 7) in shards of (1, 1, 4, 4, 4) over inner chunks of (1, 1, 2, 2, 2): 2×2×2
    // shards, 3×3×4 inner chunks, and every shard but the first is an edge shard.
    private static readonly long[] Shape = [1, 1, 5, 6, 7];
    private static readonly int[] Inner = [1, 1, 2, 2, 2];
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(ShardIndexLocation.End)]
    [InlineData(ShardIndexLocation.Start)]
    public void Inner_chunks_in_any_order_on_two_threads_make_shards_that_read_back_as_written(ShardIndexLocation location)
    {
        var array = new OmeZarrArray(ZarrArray.Create(_temp.Store, "s", new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = Shape,
            Chunks = [1, 1, 4, 4, 4],
            DataType = ZarrDataType.UInt16,
            Codecs = [new ShardingCodec(Inner, ZarrV3Codec.Compressed(new ZstdCodec(1)), IndexLocation: location)],
        }), map: null);
        var layout = array.Zarr.PackableShard!;

        var values = new ushort[5 * 6 * 7];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(i + 1);
        }

        // Inner chunk (z 0, y 0, x 1) holds only the fill value: it must be left out of its shard's index.
        ForEachElement(0, 0, 1, (z, y, x) => values[Flat(z, y, x)] = 0);
        // Shard (z 0, y 1, x 1) gets nothing but dropped-frame jobs (length 0): it must not be stored.
        static bool InDroppedShard(int z, int y, int x) => z / 2 == 0 && y / 2 == 1 && x / 2 == 1;
        var expected = (ushort[])values.Clone();
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    if (InDroppedShard(z, y, x))
                    {
                        ForEachElement(z, y, x, (zz, yy, xx) => expected[Flat(zz, yy, xx)] = 0);
                    }
                }
            }
        }

        var jobs = new List<ChunkJob>();
        long sequence = 0;
        for (var z = 0; z < 3; z++)
        {
            for (var y = 0; y < 3; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    var dropped = InDroppedShard(z, y, x);
                    jobs.Add(new ChunkJob
                    {
                        Target = array,
                        Index = new ChunkIndex(0, 0, z, y, x),
                        Buffer = dropped ? [] : InnerChunk(values, z, y, x),
                        Length = dropped ? 0 : 16,
                        Sequence = sequence++,
                    });
                }
            }
        }

        var retired = new ConcurrentBag<long>();
        var packer = new ShardPacker(new ChunkBufferPool(), (s, n) =>
        {
            for (var i = 0; i < n; i++)
            {
                retired.Add(s[i]);
            }
        });
        var shuffled = jobs.OrderBy(j => (j.Sequence * 7919) % 37).ToArray();
        Parallel.ForEach(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 2 }, job => packer.Add(array, layout, job));

        // Every shard completed by itself, edge shards included: nothing is left for a flush.
        Assert.Equal(0, packer.OpenShards);
        Assert.Equal(Enumerable.Range(0, 36).Select(i => (long)i), retired.Order());
        Assert.False(File.Exists(Path.Combine(_temp.Root, "s", "c", "0", "0", "0", "1", "1")));

        var back = new ushort[values.Length];
        ZarrArray.Open(_temp.Store, "s").ReadRegion<ushort>(new long[5], Shape, back);
        Assert.Equal(expected, back);

        // Shard (0, 0, 0): 8 inner chunks, the one at (z 0, y 0, x 1) missing; the index's crc32c holds.
        var shard = File.ReadAllBytes(Path.Combine(_temp.Root, "s", "c", "0", "0", "0", "0", "0"));
        var index = location == ShardIndexLocation.Start ? shard.AsSpan(0, (8 * 16) + 4) : shard.AsSpan(shard.Length - ((8 * 16) + 4));
        Assert.Equal(Crc32cCodec.Compute(index[..^4]), BinaryPrimitives.ReadUInt32LittleEndian(index[^4..]));
        for (var n = 0; n < 8; n++)
        {
            var missing = BinaryPrimitives.ReadUInt64LittleEndian(index[(n * 16)..]) == ShardLayout.Missing;
            Assert.Equal(n == 1, missing);
        }
    }

    [Fact]
    public void Flush_stores_shards_that_are_missing_inner_chunks_and_they_read_as_fill_there()
    {
        var array = new OmeZarrArray(ZarrArray.Create(_temp.Store, "f", new ZarrArrayMetadata
        {
            ZarrFormat = 3,
            Shape = Shape,
            Chunks = [1, 1, 4, 4, 4],
            DataType = ZarrDataType.UInt16,
            FillValue = ZarrFillValue.FromInteger(9),
            Codecs = [new ShardingCodec(Inner, ZarrV3Codec.Compressed(new BloscCodec()))],
        }), map: null);
        var stored = 0;
        var packer = new ShardPacker(new ChunkBufferPool(), (_, n) => Interlocked.Add(ref stored, n));
        var values = Enumerable.Range(1, 5 * 6 * 7).Select(i => (ushort)i).ToArray();
        packer.Add(array, array.Zarr.PackableShard!, new ChunkJob { Target = array, Index = new ChunkIndex(0, 0, 0, 0, 0), Buffer = InnerChunk(values, 0, 0, 0), Length = 16, Sequence = 0 });
        Assert.Equal(1, packer.OpenShards);
        Assert.Equal(0, stored);

        packer.FlushAll();
        Assert.Equal(0, packer.OpenShards);
        Assert.Equal(1, stored);
        var back = new ushort[4 * 4 * 4];
        ZarrArray.Open(_temp.Store, "f").ReadRegion<ushort>([0, 0, 0, 0, 0], [1, 1, 4, 4, 4], back);
        for (var z = 0; z < 4; z++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 4; x++)
                {
                    var got = back[(((z * 4) + y) * 4) + x];
                    Assert.Equal(z < 2 && y < 2 && x < 2 ? values[Flat(z, y, x)] : (ushort)9, got);
                }
            }
        }
    }

    private static int Flat(int z, int y, int x) => (((z * 6) + y) * 7) + x;

    private static void ForEachElement(int zc, int yc, int xc, Action<int, int, int> action)
    {
        for (var z = zc * 2; z < Math.Min(5, (zc * 2) + 2); z++)
        {
            for (var y = yc * 2; y < Math.Min(6, (yc * 2) + 2); y++)
            {
                for (var x = xc * 2; x < Math.Min(7, (xc * 2) + 2); x++)
                {
                    action(z, y, x);
                }
            }
        }
    }

    /// <summary>One inner chunk (2×2×2 uint16, C order), zero past the array's edge as the assembler pads it.</summary>
    private static byte[] InnerChunk(ushort[] values, int zc, int yc, int xc)
    {
        var chunk = new byte[16];
        ForEachElement(zc, yc, xc, (z, y, x) =>
            BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(((((z % 2) * 2) + (y % 2)) * 2 + (x % 2)) * 2), values[Flat(z, y, x)]));
        return chunk;
    }
}
