using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Navigate.Plugins.OmeZarr.Writing;

/// <summary>The geometry of one (t, c, z, y, x) array: its z/y/x size, chunk size and chunk grid.</summary>
internal sealed record LevelGeometry(int Z, int Y, int X, int ChunkZ, int ChunkY, int ChunkX, int BytesPerPixel)
{
    /// <summary>
    /// The chunks are inner chunks of Zarr v3 shards: a chunk of nothing but dropped frames is still handed over, as an
    /// empty job, so that its shard can count it and be stored once every inner chunk is accounted for.
    /// </summary>
    public bool InnerChunksOfShards { get; init; }

    public int GridZ { get; } = (Z + ChunkZ - 1) / ChunkZ;

    public int GridY { get; } = (Y + ChunkY - 1) / ChunkY;

    public int GridX { get; } = (X + ChunkX - 1) / ChunkX;

    /// <summary>Bytes of one full chunk (edge chunks are stored full size, padded with the fill value).</summary>
    public int ChunkBytes => checked(ChunkZ * ChunkY * ChunkX * BytesPerPixel);

    /// <summary>Planes in chunk row <paramref name="zChunk"/> (the last row may be shorter than <see cref="ChunkZ"/>).</summary>
    public int PlanesIn(int zChunk) => Math.Min(ChunkZ, Z - zChunk * ChunkZ);
}

/// <summary>
/// Copies frames (and their pyramid planes) into the chunk buffers they belong to and hands each chunk to the
/// <see cref="ChunkWriteQueue"/> as soon as all of its planes have arrived. A "row" is the set of chunks that share
/// (position, t, c, z-chunk) at one level: it fills as its planes arrive, so at most one row per channel and level is
/// open in per-slice order and one per level in per-stack order. Rows and buffers are reused: nothing is allocated per
/// frame once the first rows have been made.
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly IReadOnlyList<LevelGeometry> _levels;
    private readonly ChunkBufferPool _pool;
    private readonly ChunkWriteQueue _queue;
    private readonly Func<int, int, object> _target;
    private readonly Dictionary<RowKey, Row> _open = [];
    private readonly List<Row> _ready = [];
    private readonly Stack<Row>[] _spareRows;

    /// <param name="levels">Geometry of each level (the same for every position).</param>
    /// <param name="pool">Chunk buffers.</param>
    /// <param name="queue">Where complete chunks go.</param>
    /// <param name="target">The store target of (position, level), put into each <see cref="ChunkJob"/>.</param>
    public ChunkAssembler(IReadOnlyList<LevelGeometry> levels, ChunkBufferPool pool, ChunkWriteQueue queue, Func<int, int, object> target)
    {
        _levels = levels;
        _pool = pool;
        _queue = queue;
        _target = target;
        _spareRows = new Stack<Row>[levels.Count];
        for (var i = 0; i < levels.Count; i++)
        {
            _spareRows[i] = new Stack<Row>();
        }
    }

    /// <summary>Rows being filled.</summary>
    public int OpenRows => _open.Count;

    /// <summary>
    /// Where plane <paramref name="z"/> of a level goes in its chunk buffer, when one chunk holds the whole plane
    /// contiguously (the chunk spans the level's full y and x, the default): the pyramid can then compute the plane
    /// straight into it, and <see cref="Add"/> of that same memory copies nothing. Otherwise an empty segment.
    /// </summary>
    /// <param name="level">Pyramid level.</param>
    /// <param name="position">Position index.</param>
    /// <param name="t">Timepoint.</param>
    /// <param name="c">Channel.</param>
    /// <param name="z">Plane index at this level.</param>
    /// <param name="frame">The running frame number.</param>
    public ArraySegment<byte> PlaneBuffer(int level, int position, int t, int c, int z, long frame)
    {
        var geometry = _levels[level];
        if (geometry.ChunkY != geometry.Y || geometry.ChunkX != geometry.X)
        {
            return default;
        }

        var row = Open(geometry, new RowKey(level, position, t, c, z / geometry.ChunkZ), frame);
        var planeBytes = geometry.Y * geometry.X * geometry.BytesPerPixel;
        return new ArraySegment<byte>(row.Buffers[0], (z % geometry.ChunkZ) * planeBytes, planeBytes);
    }

    /// <summary>Copies one plane of frame <paramref name="frame"/> into its level's chunks.</summary>
    /// <param name="level">Pyramid level.</param>
    /// <param name="position">Position index.</param>
    /// <param name="t">Timepoint.</param>
    /// <param name="c">Channel.</param>
    /// <param name="z">Plane index at this level.</param>
    /// <param name="frame">The running frame number.</param>
    /// <param name="plane">The plane's pixels, row-major, this level's y × x.</param>
    public void Add(int level, int position, int t, int c, int z, long frame, ReadOnlySpan<byte> plane)
    {
        var geometry = _levels[level];
        var row = RowFor(level, position, t, c, z, frame, out var localZ);
        Scatter(geometry, row, localZ, plane);
        if (!row.Written[localZ])
        {
            // A plane given twice (a caller rewinding the counter) keeps the newer pixels and counts once.
            row.DataPlanes++;
            Count(row, localZ);
        }
    }

    /// <summary>
    /// Counts a plane that has no pixels (a frame the camera dropped): its place in the chunks is the fill value (0).
    /// A row whose planes are all empty is never written: a missing chunk reads as the fill value, so a writer that
    /// falls behind does not spend compression and disk on the frames it already lost.
    /// </summary>
    public void AddEmpty(int level, int position, int t, int c, int z, long frame)
    {
        var geometry = _levels[level];
        var row = RowFor(level, position, t, c, z, frame, out var localZ);
        var planeBytes = geometry.ChunkY * geometry.ChunkX * geometry.BytesPerPixel;
        foreach (var buffer in row.Buffers)
        {
            Array.Clear(buffer, localZ * planeBytes, planeBytes);
        }

        if (!row.Written[localZ])
        {
            Count(row, localZ);
        }
    }

    private Row RowFor(int level, int position, int t, int c, int z, long frame, out int localZ)
    {
        var geometry = _levels[level];
        var zChunk = z / geometry.ChunkZ;
        localZ = z - zChunk * geometry.ChunkZ;
        return Open(geometry, new RowKey(level, position, t, c, zChunk), frame);
    }

    private void Count(Row row, int localZ)
    {
        row.Written[localZ] = true;
        row.Planes++;
        if (row.Planes == row.Expected)
        {
            _open.Remove(row.Key);
            _ready.Add(row);
        }
    }

    /// <summary>
    /// Ends frame <paramref name="frame"/>: queues the rows it completed, tagged with the number of frames that are
    /// then fully handed over (all frames up to this one except those in rows still open).
    /// </summary>
    public void EndFrame(long frame)
    {
        var handedOver = frame + 1;
        foreach (var open in _open.Values)
        {
            handedOver = Math.Min(handedOver, open.FirstFrame);
        }

        if (_ready.Count == 0)
        {
            _queue.Mark(handedOver);
            return;
        }

        foreach (var row in _ready)
        {
            Submit(row, handedOver);
        }

        _ready.Clear();
    }

    /// <summary>
    /// Queues every open row as it is (early close): planes that never arrived are written as the fill value (0).
    /// </summary>
    public void FlushAll(long framesWritten)
    {
        foreach (var row in _open.Values)
        {
            var geometry = _levels[row.Key.Level];
            var planeBytes = geometry.ChunkY * geometry.ChunkX * geometry.BytesPerPixel;
            for (var z = 0; z < geometry.ChunkZ; z++)
            {
                if (!row.Written[z])
                {
                    foreach (var buffer in row.Buffers)
                    {
                        Array.Clear(buffer, z * planeBytes, planeBytes);
                    }
                }
            }

            _ready.Add(row);
        }

        _open.Clear();
        foreach (var row in _ready)
        {
            Submit(row, framesWritten);
        }

        _ready.Clear();
        _queue.Mark(framesWritten);
    }

    private Row Open(LevelGeometry geometry, RowKey key, long frame)
    {
        if (!_open.TryGetValue(key, out var row))
        {
            row = Rent(geometry, key, frame);
            _open.Add(key, row);
        }

        return row;
    }

    private Row Rent(LevelGeometry geometry, RowKey key, long frame)
    {
        var row = _spareRows[key.Level].Count > 0 ? _spareRows[key.Level].Pop() : new Row(geometry);
        row.Key = key;
        row.FirstFrame = frame;
        row.Planes = 0;
        row.DataPlanes = 0;
        row.Expected = geometry.PlanesIn(key.ZChunk);
        Array.Clear(row.Written);
        var shortInZ = row.Expected < geometry.ChunkZ;
        for (var yc = 0; yc < geometry.GridY; yc++)
        {
            for (var xc = 0; xc < geometry.GridX; xc++)
            {
                // Edge chunks are padded with zeros (the fill value); full chunks are overwritten completely.
                var edge = shortInZ || (yc + 1) * geometry.ChunkY > geometry.Y || (xc + 1) * geometry.ChunkX > geometry.X;
                row.Buffers[yc * geometry.GridX + xc] = _pool.Rent(geometry.ChunkBytes, clear: edge);
            }
        }

        return row;
    }

    private static void Scatter(LevelGeometry geometry, Row row, int localZ, ReadOnlySpan<byte> plane)
    {
        var bpp = geometry.BytesPerPixel;
        var rowBytes = geometry.X * bpp;
        var chunkRowBytes = geometry.ChunkX * bpp;
        var chunkPlaneBytes = geometry.ChunkY * chunkRowBytes;
        for (var yc = 0; yc < geometry.GridY; yc++)
        {
            var y0 = yc * geometry.ChunkY;
            var rows = Math.Min(geometry.ChunkY, geometry.Y - y0);
            for (var xc = 0; xc < geometry.GridX; xc++)
            {
                var target = row.Buffers[yc * geometry.GridX + xc].AsSpan(localZ * chunkPlaneBytes, chunkPlaneBytes);
                var x0 = xc * geometry.ChunkX * bpp;
                if (geometry.ChunkX == geometry.X)
                {
                    // Whole rows: one copy for the block (the default one-chunk-per-plane case is a single memcpy),
                    // or none when the plane was computed in place (PlaneBuffer).
                    var block = plane.Slice(y0 * rowBytes, rows * rowBytes);
                    if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(block), ref MemoryMarshal.GetReference(target)))
                    {
                        block.CopyTo(target);
                    }

                    continue;
                }

                var width = Math.Min(chunkRowBytes, rowBytes - x0);
                for (var r = 0; r < rows; r++)
                {
                    plane.Slice((y0 + r) * rowBytes + x0, width).CopyTo(target.Slice(r * chunkRowBytes, width));
                }
            }
        }
    }

    private void Submit(Row row, long handedOver)
    {
        var geometry = _levels[row.Key.Level];
        var empty = row.DataPlanes == 0;
        if (empty)
        {
            // Nothing but dropped frames: leave the chunks missing (fill value) and keep the durability count moving.
            for (var i = 0; i < row.Buffers.Length; i++)
            {
                _pool.Return(row.Buffers[i]);
                row.Buffers[i] = null!;
            }

            if (!geometry.InnerChunksOfShards)
            {
                _spareRows[row.Key.Level].Push(row);
                _queue.Mark(handedOver);
                return;
            }
        }

        var target = _target(row.Key.Position, row.Key.Level);
        for (var yc = 0; yc < geometry.GridY; yc++)
        {
            for (var xc = 0; xc < geometry.GridX; xc++)
            {
                var i = yc * geometry.GridX + xc;
                var job = new ChunkJob
                {
                    Target = target,
                    Index = new ChunkIndex(row.Key.T, row.Key.C, row.Key.ZChunk, yc, xc),
                    Buffer = empty ? [] : row.Buffers[i],
                    Length = empty ? 0 : geometry.ChunkBytes,
                };
                row.Buffers[i] = null!;
                _queue.Enqueue(job, handedOver);
            }
        }

        _spareRows[row.Key.Level].Push(row);
    }

    private readonly record struct RowKey(int Level, int Position, int T, int C, int ZChunk);

    private sealed class Row(LevelGeometry geometry)
    {
        public RowKey Key;
        public long FirstFrame;
        public int Planes;
        public int DataPlanes;
        public int Expected;
        public readonly bool[] Written = new bool[geometry.ChunkZ];
        public readonly byte[][] Buffers = new byte[geometry.GridY * geometry.GridX][];
    }
}
