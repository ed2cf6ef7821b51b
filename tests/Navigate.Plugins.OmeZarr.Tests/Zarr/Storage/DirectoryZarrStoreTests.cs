using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Storage;

public sealed class DirectoryZarrStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

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
