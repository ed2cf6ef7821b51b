using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Storage;

public sealed class DirectoryZarrStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ThreadsCreatingTheSameNewFoldersAtOnceAllSucceed()
    {
        // Sharded v3 keys (c/0/0/2/6/1) make workers create the same new folders at the same moment; .NET may then
        // report the missing folder as a missing file, which once failed a whole acquisition.
        for (int round = 0; round < 20; round++)
        {
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
                _temp.Store.Set($"r{round}/c/0/{i % 4}/{i % 8}/{i}", [(byte)i]));
        }

        Assert.Equal(20 * 64, _temp.Store.List().Count());
    }

    [Fact]
    public void SetGetListDelete()
    {
        IZarrStore store = _temp.Store;
        store.Set("a/b/0.0", [1, 2, 3]);
        store.Set("a/.zarray", "{}"u8);
        store.Set(".zgroup", "{}"u8);
        Assert.True(store.Exists("a/b/0.0"));
        Assert.True(store.TryGetSize("a/b/0.0", out long size));
        Assert.Equal(3, size);
        Span<byte> buffer = stackalloc byte[8];
        Assert.True(store.TryGet("a/b/0.0", buffer, out int read));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..read].ToArray());
        Assert.Equal(["a/.zarray", "a/b/0.0"], store.List("a"));
        Assert.Equal([".zgroup", "a/.zarray", "a/b/0.0"], store.List());
        Assert.True(store.Delete("a/b/0.0"));
        Assert.False(store.Delete("a/b/0.0"));
        Assert.False(store.TryGet("a/b/0.0", buffer, out _));
        Assert.False(store.TryGetSize("missing", out _));
        Assert.Empty(store.List("nothing/here"));
    }

    [Theory]
    [InlineData(DirectoryZarrStore.UnbufferedThreshold)]               // exactly aligned: no padding, no truncation
    [InlineData(DirectoryZarrStore.UnbufferedThreshold + 123)]         // padded to the block, then truncated
    [InlineData((3 << 20) + 1)]                                        // a camera-sized chunk plus one byte
    public void UnbufferedWritesStoreExactlyTheValue(int length)
    {
        var store = new DirectoryZarrStore(_temp.Root, unbufferedWrites: true);
        var value = new byte[length];
        new Random(length).NextBytes(value);

        store.Set("c/0/0", value);
        store.Set("c/0/1", value.AsSpan(1)); // an unaligned source span

        Assert.Equal(value, store.TryGetBytes("c/0/0"));
        Assert.Equal(value[1..], store.TryGetBytes("c/0/1"));
        Assert.Equal(length, new FileInfo(Path.Combine(_temp.Root, "c", "0", "0")).Length);
        Assert.Equal(["c/0/0", "c/0/1"], store.List());
        if (OperatingSystem.IsLinux() && new DriveInfo(_temp.Root).DriveFormat is "ext4" or "xfs" or "btrfs")
        {
            Assert.True(store.WritesUnbuffered); // these file systems take O_DIRECT: the fast path really ran
        }
    }

    [Theory]
    [InlineData(DirectoryZarrStore.UnbufferedThreshold)]               // whole blocks: written from where it is
    [InlineData(DirectoryZarrStore.UnbufferedThreshold + 123)]         // whole blocks in place, the tail staged
    [InlineData((3 << 20) + 4095)]                                     // a tail one byte short of a block
    public void UnbufferedWritesOfAnAlignedValueStoreExactlyTheValue(int length)
    {
        var store = new DirectoryZarrStore(_temp.Root, unbufferedWrites: true);
        var aligned = new AlignedBuffer();
        var value = aligned.Get(length);
        new Random(length).NextBytes(value);
        var expected = value.ToArray();

        store.Set("c/0/0", value);
        store.Set("c/0/1", aligned.Get(length)); // the same buffer again: reused, not reallocated

        Assert.Equal(expected, store.TryGetBytes("c/0/0"));
        Assert.Equal(expected, store.TryGetBytes("c/0/1"));
        Assert.Equal(length, new FileInfo(Path.Combine(_temp.Root, "c", "0", "0")).Length);
        unsafe
        {
            fixed (byte* start = aligned.Get(length))
            {
                Assert.Equal(0u, (nuint)start % UnbufferedFileWriter.Alignment);
            }
        }
    }

    [Fact]
    public void UnbufferedWritesOnTmpfsStoreExactlyTheValue()
    {
        // tmpfs refused O_DIRECT before Linux 6.6 (EINVAL: the store then writes buffered and stops asking) and takes
        // it since; either way the value must come back exactly.
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/dev/shm"))
        {
            Assert.Skip("needs Linux tmpfs at /dev/shm");
        }

        var root = Path.Combine("/dev/shm", "navigate-zarr-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new DirectoryZarrStore(root, unbufferedWrites: true);
            var value = new byte[DirectoryZarrStore.UnbufferedThreshold * 2 + 5];
            new Random(5).NextBytes(value);

            store.Set("0.0", value);
            store.Set("0.1", value);

            Assert.Equal(value, store.TryGetBytes("0.0"));
            Assert.Equal(value, store.TryGetBytes("0.1"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void UnbufferedWritesIntoAMissingFolderCreateIt()
    {
        var store = new DirectoryZarrStore(_temp.Root, unbufferedWrites: true);
        var value = new byte[DirectoryZarrStore.UnbufferedThreshold];
        value[^1] = 7;

        store.Set("deep/er/than/before/0", value);

        Assert.Equal(value, store.TryGetBytes("deep/er/than/before/0"));
    }

    [Fact]
    public void SetReplacesAtomicallyAndLeavesNoTemporaryFiles()
    {
        IZarrStore store = _temp.Store;
        store.Set("k", new byte[1000]);
        store.Set("k", [9]);
        Assert.Equal([9], store.TryGetBytes("k"));
        Assert.Equal(["k"], Directory.GetFiles(_temp.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void ListSkipsTemporaryFilesOfUnfinishedWrites()
    {
        File.WriteAllBytes(Path.Combine(_temp.Root, "0.0.123-4" + DirectoryZarrStore.TemporarySuffix), [1]);
        _temp.Store.Set("0.1", [1]);
        Assert.Equal(["0.1"], _temp.Store.List());
    }

    [Fact]
    public void ReadingIntoATooSmallBufferIsAnError()
    {
        _temp.Store.Set("k", new byte[100]);
        var e = Assert.Throws<ZarrChunkException>(() => _temp.Store.TryGet("k", new byte[10], out _));
        Assert.Equal("Value 'k' is 100 bytes; at most 10 bytes were expected.", e.Message);
        var e2 = Assert.Throws<ZarrChunkException>(() => _temp.Store.TryGetPooled("k", maxLength: 50));
        Assert.Equal("Value 'k' is 100 bytes; at most 50 bytes were expected.", e2.Message);
    }

    [Fact]
    public void PooledReadsReturnTheValue()
    {
        _temp.Store.Set("k", [5, 6, 7]);
        using var owner = _temp.Store.TryGetPooled("k");
        Assert.Equal(new byte[] { 5, 6, 7 }, owner!.Memory.ToArray());
        Assert.Null(_temp.Store.TryGetPooled("missing"));
    }

    [Fact]
    public void FlushToDiskStoreWritesToo()
    {
        var store = new DirectoryZarrStore(Path.Combine(_temp.Root, "durable"), flushToDisk: true);
        store.Set("x/y", [1, 2]);
        Assert.Equal([1, 2], store.TryGetBytes("x/y"));
    }

    [Fact]
    public void ListsChildNodes()
    {
        ZarrGroup root = ZarrGroup.Create(_temp.Store);
        root.CreateGroup("g1");
        root.CreateGroup("g1/inner");
        root.CreateArray("a1", new ZarrArrayMetadata { Shape = [2], Chunks = [2], DataType = ZarrDataType.UInt8 });
        _temp.Store.Set("not-a-node/0", [1]);
        Assert.Equal(["a1", "g1"], _temp.Store.ListChildNodes());
        Assert.Equal(["a1"], root.ListArrays());
        Assert.Equal(["g1"], root.ListGroups());
        Assert.Equal(["inner"], root.OpenGroup("g1").ListGroups());
    }
}
