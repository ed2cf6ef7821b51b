using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Navigate.Devices;

namespace Navigate.Plugins.OmeZarr.Pyramid;

/// <summary>
/// Builds the lower pyramid levels of one plane at a time while frames stream in: level k is 2^k smaller in x and y
/// (rounded up) and each of its pixels is the mean of the level-0 block it covers. Edge blocks that stick out of the
/// frame average only the pixels they cover. Integer means are exact and rounded half away from zero; float pixels are
/// averaged in double precision.
/// </summary>
/// <remarks>
/// <para>
/// The frame is read once, two rows at a time: each pair of rows becomes one row of level-1 sums, which is turned into
/// level-1 pixels and folded into the level-2 row being summed, and so on down. Only one row of sums per level is kept
/// (a few KB that stay in the CPU cache), so the memory traffic is one read of the frame and one write of the levels.
/// Each level's sums are made from the previous level's sums, so the mean at level k is the exact mean of its
/// 2^k × 2^k block (no rounding carried between levels). Z is never averaged: light-sheet stacks are already coarser in
/// z than in x and y, so navigate's pyramids keep every plane. All buffers are allocated once; a build
/// allocates nothing.
/// </para>
/// <para>
/// Sums are 32-bit for uint8 and uint16 pixels when they provably fit (see <see cref="MaxLevelWithUInt32Sums"/>),
/// which halves the bytes moved and doubles the lanes of each vector instruction; otherwise 64-bit integers (int16,
/// uint32, very deep pyramids) or doubles (float pixels).
/// </para>
/// <para>
/// The row loops are compiled fully optimised at their first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// under tiered compilation they ran as unoptimised, then instrumented code for the first tens of frames, which made
/// the pyramid about four times dearer over a 1 GB acquisition, and exactly when the camera starts streaming.
/// </para>
/// </remarks>
public sealed class PlanePyramid
{
    // The pyramid's own level buffers, made at the first build that needs them (none when every level goes straight
    // into chunk buffers).
    private readonly byte[]?[] _levels;

    // Where each level goes in the current build: its own buffer or the caller's.
    private readonly ArraySegment<byte>[] _output;
    private readonly (int Width, int Height)[] _shapes;
    private readonly SumKind _sumKind;

    // One row of sums per level ≥ 1 (index 0 unused), of the kind _sumKind names; the others stay empty.
    private readonly uint[][] _uintRows;
    private readonly long[][] _longRows;
    private readonly double[][] _doubleRows;

    /// <summary>Prepares the buffers for frames of the given size and type.</summary>
    /// <param name="width">Frame width (level 0).</param>
    /// <param name="height">Frame height (level 0).</param>
    /// <param name="pixelType">Pixel type of the frames and of every level.</param>
    /// <param name="levels">Levels including level 0 (1 for no pyramid).</param>
    public PlanePyramid(int width, int height, PixelType pixelType, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(levels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(levels, OmeZarrConstants.MaxLevels);
        if (pixelType is not (PixelType.UInt8 or PixelType.UInt16 or PixelType.Int16 or PixelType.UInt32 or PixelType.Float32 or PixelType.Float64))
        {
            throw new NotSupportedException($"Pixel type {pixelType} has no pyramid.");
        }

        Width = width;
        Height = height;
        PixelType = pixelType;
        Levels = levels;
        _sumKind = pixelType switch
        {
            PixelType.Float32 or PixelType.Float64 => SumKind.Double,
            _ when levels - 1 <= MaxLevelWithUInt32Sums(pixelType) => SumKind.UInt32,
            _ => SumKind.Int64,
        };
        _shapes = new (int, int)[levels];
        _levels = new byte[]?[levels];
        _output = new ArraySegment<byte>[levels];
        _uintRows = new uint[levels][];
        _longRows = new long[levels][];
        _doubleRows = new double[levels][];
        for (var k = 0; k < levels; k++)
        {
            _shapes[k] = LevelShape(width, height, k);
            var rowLength = k == 0 ? 0 : _shapes[k].Width;
            _uintRows[k] = _sumKind == SumKind.UInt32 ? new uint[rowLength] : [];
            _longRows[k] = _sumKind == SumKind.Int64 ? new long[rowLength] : [];
            _doubleRows[k] = _sumKind == SumKind.Double ? new double[rowLength] : [];
        }
    }

    private enum SumKind
    {
        UInt32,
        Int64,
        Double,
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>Pixel type.</summary>
    public PixelType PixelType { get; }

    /// <summary>Levels including level 0.</summary>
    public int Levels { get; }

    /// <summary>Whether sums are kept in 32 bits (see <see cref="MaxLevelWithUInt32Sums"/>).</summary>
    public bool UsesUInt32Sums => _sumKind == SumKind.UInt32;

    /// <summary>
    /// The deepest level whose sums (plus the rounding half) fit in a uint32 for <paramref name="pixelType"/>, or 0
    /// when 32-bit sums are never used. A level-k sum adds at most 4^k pixels: for uint16,
    /// 4^8 × 65535 + 2^15 = 2^32 − 2^15 fits and 4^9 × 65535 does not; for uint8, 4^12 × 255 + 2^23 = 2^32 − 2^23 fits and
    /// 4^13 × 255 does not.
    /// </summary>
    public static int MaxLevelWithUInt32Sums(PixelType pixelType) => pixelType switch
    {
        PixelType.UInt8 => 12,
        PixelType.UInt16 => 8,
        _ => 0,
    };

    /// <summary>The (width, height) of level <paramref name="level"/> of a <paramref name="width"/> × <paramref name="height"/> frame.</summary>
    public static (int Width, int Height) LevelShape(int width, int height, int level) =>
        ((int)Math.Max(1, (width + (1L << level) - 1) >> level), (int)Math.Max(1, (height + (1L << level) - 1) >> level));

    /// <summary>The (width, height) of level <paramref name="level"/>.</summary>
    public (int Width, int Height) Shape(int level) => _shapes[level];

    /// <summary>The pixels of level <paramref name="level"/> (≥ 1) from the last build, wherever they were written.</summary>
    public ReadOnlySpan<byte> Level(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        return _output[level];
    }

    /// <summary>Bytes of level <paramref name="level"/>'s plane.</summary>
    public int LevelBytes(int level) => _shapes[level].Width * _shapes[level].Height * PixelType.BytesPerPixel();

    /// <summary>Computes every level ≥ 1 from <paramref name="frame"/> (row-major, little-endian, level-0 size) into buffers of its own.</summary>
    /// <exception cref="ArgumentException">The frame's length does not match the size and type.</exception>
    public void Build(ReadOnlySpan<byte> frame) => Build(frame, []);

    /// <summary>
    /// Computes every level ≥ 1 from <paramref name="frame"/>, writing level k into <paramref name="destinations"/>[k]
    /// when that segment is not empty (e.g. straight into the chunk buffer that will be compressed, which saves a copy
    /// of the plane) and into a buffer of its own otherwise. A non-empty <paramref name="destinations"/>[0] receives a
    /// copy of the frame, row by row as the pyramid reads it: the frame is read from memory once for both, where a
    /// separate copy reads all of it a second time (8 MiB per 2048×2048 uint16 frame).
    /// </summary>
    /// <param name="frame">Row-major, little-endian, level-0 size.</param>
    /// <param name="destinations">Empty, or one segment per level: empty, or exactly the frame's (index 0) or <see cref="LevelBytes"/> long.</param>
    /// <exception cref="ArgumentException">The frame's length does not match the size and type, or a destination's does not match its level.</exception>
    public void Build(ReadOnlySpan<byte> frame, ReadOnlySpan<ArraySegment<byte>> destinations)
    {
        var expected = (long)Width * Height * PixelType.BytesPerPixel();
        if (frame.Length != expected)
        {
            throw new ArgumentException($"A {Width}×{Height} {PixelType} frame has {expected} bytes; got {frame.Length}.", nameof(frame));
        }

        if (destinations.Length != 0 && destinations.Length != Levels)
        {
            throw new ArgumentException($"Destinations are one per level ({Levels}) or none; got {destinations.Length}.", nameof(destinations));
        }

        var copy = destinations.IsEmpty ? default : destinations[0];
        if (copy.Count != 0 && copy.Count != frame.Length)
        {
            throw new ArgumentException($"Level 0 of a {Width}×{Height} {PixelType} frame has {frame.Length} bytes; its destination has {copy.Count}.", nameof(destinations));
        }

        for (var k = 1; k < Levels; k++)
        {
            var destination = destinations.IsEmpty ? default : destinations[k];
            if (destination.Count == 0)
            {
                _output[k] = _levels[k] ??= new byte[LevelBytes(k)];
            }
            else if (destination.Count != LevelBytes(k))
            {
                throw new ArgumentException($"Level {k} of a {Width}×{Height} {PixelType} frame has {LevelBytes(k)} bytes; its destination has {destination.Count}.", nameof(destinations));
            }
            else
            {
                _output[k] = destination;
            }
        }

        if (Levels == 1)
        {
            if (copy.Count != 0)
            {
                frame.CopyTo(copy);
            }

            return;
        }

        Span<byte> level0 = copy;
        switch (PixelType, _sumKind)
        {
            case (PixelType.UInt16, SumKind.UInt32):
                Stream(MemoryMarshal.Cast<byte, ushort>(frame), _uintRows, MemoryMarshal.Cast<byte, ushort>(level0));
                break;
            case (PixelType.UInt16, _):
                Stream(MemoryMarshal.Cast<byte, ushort>(frame), _longRows, MemoryMarshal.Cast<byte, ushort>(level0));
                break;
            case (PixelType.UInt8, SumKind.UInt32):
                Stream(frame, _uintRows, level0);
                break;
            case (PixelType.UInt8, _):
                Stream(frame, _longRows, level0);
                break;
            case (PixelType.Int16, _):
                Stream(MemoryMarshal.Cast<byte, short>(frame), _longRows, MemoryMarshal.Cast<byte, short>(level0));
                break;
            case (PixelType.UInt32, _):
                Stream(MemoryMarshal.Cast<byte, uint>(frame), _longRows, MemoryMarshal.Cast<byte, uint>(level0));
                break;
            case (PixelType.Float32, _):
                Stream(MemoryMarshal.Cast<byte, float>(frame), _doubleRows, MemoryMarshal.Cast<byte, float>(level0));
                break;
            default:
                Stream(MemoryMarshal.Cast<byte, double>(frame), _doubleRows, MemoryMarshal.Cast<byte, double>(level0));
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Stream<TPixel, TSum>(ReadOnlySpan<TPixel> frame, TSum[][] rows, Span<TPixel> copy)
        where TPixel : unmanaged, INumberBase<TPixel>
        where TSum : unmanaged, INumberBase<TSum>
    {
        var levelOneHeight = _shapes[1].Height;
        for (var y = 0; y < levelOneHeight; y++)
        {
            // Two rows: the pair the sums just read is in the cache, so the copy does not read memory again.
            var pair = frame.Slice(2 * y * Width, Math.Min(2, Height - (2 * y)) * Width);
            var top = pair[..Width];
            var bottom = pair.Length > Width ? pair[Width..] : [];
            SumFirstLevelRow(top, bottom, rows[1].AsSpan());
            if (!copy.IsEmpty)
            {
                pair.CopyTo(copy.Slice(2 * y * Width, pair.Length));
            }

            Complete(1, y, rows);
        }
    }

    /// <summary>Row <paramref name="y"/> of level <paramref name="level"/> is summed: write its pixels and feed the levels below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Complete<TSum>(int level, int y, TSum[][] rows)
        where TSum : unmanaged, INumberBase<TSum>
    {
        while (true)
        {
            WriteRow(level, y, rows[level]);
            var next = level + 1;
            if (next == Levels)
            {
                return;
            }

            // An even row starts the next level's row; an odd one (or an even last row) completes it.
            var even = (y & 1) == 0;
            SumPairs<TSum>(rows[level], rows[next], add: !even);
            if (even && y != _shapes[level].Height - 1)
            {
                return;
            }

            level = next;
            y >>= 1;
        }
    }

    /// <summary>2×2 sums of two frame rows (or 2×1 when <paramref name="bottom"/> is empty: the last row of an odd height).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumFirstLevelRow<TPixel, TSum>(ReadOnlySpan<TPixel> top, ReadOnlySpan<TPixel> bottom, Span<TSum> sums)
        where TPixel : unmanaged, INumberBase<TPixel>
        where TSum : unmanaged, INumberBase<TSum>
    {
        // typeof tests on value types are constants to the JIT: each instantiation keeps one branch.
        if (typeof(TSum) == typeof(uint) && Vector256.IsHardwareAccelerated)
        {
            if (typeof(TPixel) == typeof(ushort))
            {
                SumUInt16Row(MemoryMarshal.Cast<TPixel, ushort>(top), MemoryMarshal.Cast<TPixel, ushort>(bottom), MemoryMarshal.Cast<TSum, uint>(sums));
                return;
            }

            if (typeof(TPixel) == typeof(byte))
            {
                SumUInt8Row(MemoryMarshal.Cast<TPixel, byte>(top), MemoryMarshal.Cast<TPixel, byte>(bottom), MemoryMarshal.Cast<TSum, uint>(sums));
                return;
            }
        }

        SumFirstLevelRowScalar(top, bottom, sums, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumFirstLevelRowScalar<TPixel, TSum>(ReadOnlySpan<TPixel> top, ReadOnlySpan<TPixel> bottom, Span<TSum> sums, int from)
        where TPixel : unmanaged, INumberBase<TPixel>
        where TSum : unmanaged, INumberBase<TSum>
    {
        static TSum Widen(TPixel value) => TSum.CreateTruncating(value);

        var width = top.Length;
        var pairs = width / 2;
        if (bottom.IsEmpty)
        {
            for (var x = from; x < pairs; x++)
            {
                sums[x] = Widen(top[2 * x]) + Widen(top[2 * x + 1]);
            }

            if ((width & 1) == 1)
            {
                sums[pairs] = Widen(top[width - 1]);
            }

            return;
        }

        for (var x = from; x < pairs; x++)
        {
            sums[x] = Widen(top[2 * x]) + Widen(top[2 * x + 1]) + Widen(bottom[2 * x]) + Widen(bottom[2 * x + 1]);
        }

        if ((width & 1) == 1)
        {
            sums[pairs] = Widen(top[width - 1]) + Widen(bottom[width - 1]);
        }
    }

    /// <summary>
    /// The 2×2 sums of two uint16 rows, 8 blocks at a time: each pair of neighbours read as one uint32 is summed as
    /// (low half + high half), and the two rows are added. sCMOS cameras deliver uint16, so this is the loop that runs
    /// at camera rate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumUInt16Row(ReadOnlySpan<ushort> top, ReadOnlySpan<ushort> bottom, Span<uint> sums)
    {
        var pairs = top.Length / 2;
        var vectorEnd = pairs - (pairs % Vector256<uint>.Count);
        ref var t = ref Unsafe.As<ushort, uint>(ref MemoryMarshal.GetReference(top));
        ref var s = ref MemoryMarshal.GetReference(sums);
        var low = Vector256.Create(0xFFFFu);
        if (bottom.IsEmpty)
        {
            for (nuint x = 0; x < (nuint)vectorEnd; x += (nuint)Vector256<uint>.Count)
            {
                var a = Vector256.LoadUnsafe(ref t, x);
                ((a & low) + (a >> 16)).StoreUnsafe(ref s, x);
            }
        }
        else
        {
            ref var b = ref Unsafe.As<ushort, uint>(ref MemoryMarshal.GetReference(bottom));
            for (nuint x = 0; x < (nuint)vectorEnd; x += (nuint)Vector256<uint>.Count)
            {
                var a = Vector256.LoadUnsafe(ref t, x);
                var c = Vector256.LoadUnsafe(ref b, x);
                ((a & low) + (a >> 16) + (c & low) + (c >> 16)).StoreUnsafe(ref s, x);
            }
        }

        SumFirstLevelRowScalar(top, bottom, sums, vectorEnd);
    }

    /// <summary>
    /// The 2×2 sums of two uint8 rows, 16 blocks at a time: neighbours read as one uint16 are summed in 16 bits
    /// (4 × 255 fits), then widened.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumUInt8Row(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, Span<uint> sums)
    {
        var pairs = top.Length / 2;
        var vectorEnd = pairs - (pairs % Vector256<ushort>.Count);
        ref var t = ref Unsafe.As<byte, ushort>(ref MemoryMarshal.GetReference(top));
        ref var b = ref Unsafe.As<byte, ushort>(ref MemoryMarshal.GetReference(bottom.IsEmpty ? top : bottom));
        ref var s = ref MemoryMarshal.GetReference(sums);
        var low = Vector256.Create((ushort)0xFF);
        for (nuint x = 0; x < (nuint)vectorEnd; x += (nuint)Vector256<ushort>.Count)
        {
            var a = Vector256.LoadUnsafe(ref t, x);
            var sum = (a & low) + (a >> 8);
            if (!bottom.IsEmpty)
            {
                var c = Vector256.LoadUnsafe(ref b, x);
                sum += (c & low) + (c >> 8);
            }

            var (lower, upper) = Vector256.Widen(sum);
            lower.StoreUnsafe(ref s, x);
            upper.StoreUnsafe(ref s, x + (nuint)Vector256<uint>.Count);
        }

        SumFirstLevelRowScalar(top, bottom, sums, vectorEnd);
    }

    /// <summary>Sums neighbouring pairs of <paramref name="source"/> into <paramref name="target"/> (replacing or adding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumPairs<TSum>(ReadOnlySpan<TSum> source, Span<TSum> target, bool add)
        where TSum : unmanaged, INumberBase<TSum>
    {
        var pairs = source.Length / 2;
        var x = 0;
        if (typeof(TSum) == typeof(uint) && Vector256.IsHardwareAccelerated)
        {
            // Pairs of uint32 read as one uint64: (low half + high half) is the pair's sum, 4 per vector; two vectors
            // narrow to 8 sums. No sum reaches 2^32 (see MaxLevelWithUInt32Sums), so the narrowing keeps every bit.
            var vectorEnd = pairs - (pairs % Vector256<uint>.Count);
            ref var p = ref Unsafe.As<TSum, ulong>(ref MemoryMarshal.GetReference(source));
            ref var s = ref Unsafe.As<TSum, uint>(ref MemoryMarshal.GetReference(target));
            var low = Vector256.Create(0xFFFF_FFFFul);
            for (; x < vectorEnd; x += Vector256<uint>.Count)
            {
                var a = Vector256.LoadUnsafe(ref p, (nuint)x);
                var c = Vector256.LoadUnsafe(ref p, (nuint)(x + Vector256<ulong>.Count));
                var sum = Vector256.Narrow((a & low) + (a >> 32), (c & low) + (c >> 32));
                if (add)
                {
                    sum += Vector256.LoadUnsafe(ref s, (nuint)x);
                }

                sum.StoreUnsafe(ref s, (nuint)x);
            }
        }

        for (; x < pairs; x++)
        {
            var sum = source[2 * x] + source[2 * x + 1];
            target[x] = add ? target[x] + sum : sum;
        }

        if ((source.Length & 1) == 1)
        {
            target[pairs] = add ? target[pairs] + source[^1] : source[^1];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteRow<TSum>(int level, int y, TSum[] sums)
        where TSum : unmanaged, INumberBase<TSum>
    {
        var width = _shapes[level].Width;
        var block = 1 << level;
        var geometry = new RowGeometry(
            level,
            Math.Min(block, Height - y * block),
            // Blocks wholly inside the frame hold 4^level pixels (their mean is a shift); only the last column and
            // the last row can be partial.
            Width >> level);
        var bpp = PixelType.BytesPerPixel();
        var target = _output[level].AsSpan(y * width * bpp, width * bpp);
        if (typeof(TSum) == typeof(uint))
        {
            var s = MemoryMarshal.Cast<TSum, uint>(sums.AsSpan());
            if (PixelType == PixelType.UInt16)
            {
                WriteUInt32SumsAsUInt16(s, MemoryMarshal.Cast<byte, ushort>(target), geometry);
            }
            else
            {
                WriteUInt32SumsAsUInt8(s, target, geometry);
            }
        }
        else if (typeof(TSum) == typeof(long))
        {
            var s = MemoryMarshal.Cast<TSum, long>(sums.AsSpan());
            switch (PixelType)
            {
                case PixelType.UInt8:
                    WriteInt64Sums(s, target, geometry);
                    break;
                case PixelType.UInt16:
                    WriteInt64Sums(s, MemoryMarshal.Cast<byte, ushort>(target), geometry);
                    break;
                case PixelType.Int16:
                    WriteInt64Sums(s, MemoryMarshal.Cast<byte, short>(target), geometry);
                    break;
                default:
                    WriteInt64Sums(s, MemoryMarshal.Cast<byte, uint>(target), geometry);
                    break;
            }
        }
        else
        {
            var s = MemoryMarshal.Cast<TSum, double>(sums.AsSpan());
            if (PixelType == PixelType.Float32)
            {
                WriteDoubleSums(s, MemoryMarshal.Cast<byte, float>(target), geometry);
            }
            else
            {
                WriteDoubleSums(s, MemoryMarshal.Cast<byte, double>(target), geometry);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteUInt32SumsAsUInt16(ReadOnlySpan<uint> sums, Span<ushort> target, RowGeometry row)
    {
        var x = 0;
        if (row.IsFull && Vector256.IsHardwareAccelerated)
        {
            var shift = 2 * row.Level;
            var half = Vector256.Create(1u << (shift - 1));
            var vectorEnd = row.FullColumns - (row.FullColumns % Vector256<ushort>.Count);
            ref var s = ref MemoryMarshal.GetReference(sums);
            ref var p = ref MemoryMarshal.GetReference(target);
            for (; x < vectorEnd; x += Vector256<ushort>.Count)
            {
                var a = (Vector256.LoadUnsafe(ref s, (nuint)x) + half) >> shift;
                var c = (Vector256.LoadUnsafe(ref s, (nuint)(x + Vector256<uint>.Count)) + half) >> shift;
                Vector256.Narrow(a, c).StoreUnsafe(ref p, (nuint)x);
            }
        }

        WriteUnsignedTail(sums, target, row, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteUInt32SumsAsUInt8(ReadOnlySpan<uint> sums, Span<byte> target, RowGeometry row)
    {
        var x = 0;
        if (row.IsFull && Vector256.IsHardwareAccelerated)
        {
            var shift = 2 * row.Level;
            var half = Vector256.Create(1u << (shift - 1));
            var vectorEnd = row.FullColumns - (row.FullColumns % Vector256<byte>.Count);
            ref var s = ref MemoryMarshal.GetReference(sums);
            ref var p = ref MemoryMarshal.GetReference(target);
            var n = (nuint)Vector256<uint>.Count;
            for (; x < vectorEnd; x += Vector256<byte>.Count)
            {
                var at = (nuint)x;
                var a = Vector256.Narrow((Vector256.LoadUnsafe(ref s, at) + half) >> shift, (Vector256.LoadUnsafe(ref s, at + n) + half) >> shift);
                var c = Vector256.Narrow((Vector256.LoadUnsafe(ref s, at + 2 * n) + half) >> shift, (Vector256.LoadUnsafe(ref s, at + 3 * n) + half) >> shift);
                Vector256.Narrow(a, c).StoreUnsafe(ref p, at);
            }
        }

        WriteUnsignedTail(sums, target, row, x);
    }

    /// <summary>Means of unsigned sums from column <paramref name="from"/> on: a shift for full blocks, a division at the edges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteUnsignedTail<TSum, TPixel>(ReadOnlySpan<TSum> sums, Span<TPixel> target, RowGeometry row, int from)
        where TSum : unmanaged, IBinaryInteger<TSum>
        where TPixel : unmanaged, IBinaryInteger<TPixel>
    {
        var shift = 2 * row.Level;
        var half = TSum.One << (shift - 1);
        var x = from;
        if (row.IsFull)
        {
            for (; x < row.FullColumns; x++)
            {
                target[x] = TPixel.CreateTruncating((sums[x] + half) >> shift);
            }
        }

        for (; x < target.Length; x++)
        {
            var count = TSum.CreateTruncating(row.Rows * Math.Min(1 << row.Level, Width - (x << row.Level)));
            target[x] = TPixel.CreateTruncating((sums[x] + count / TSum.CreateTruncating(2)) / count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteInt64Sums<TPixel>(ReadOnlySpan<long> sums, Span<TPixel> target, RowGeometry row)
        where TPixel : unmanaged, IBinaryInteger<TPixel>
    {
        if (PixelType != PixelType.Int16)
        {
            WriteUnsignedTail(sums, target, row, 0);
            return;
        }

        // Signed pixels: rounding half away from zero needs the sign.
        for (var x = 0; x < target.Length; x++)
        {
            long count = row.Rows * Math.Min(1 << row.Level, Width - (x << row.Level));
            var sum = sums[x];
            var mean = sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
            target[x] = TPixel.CreateTruncating(mean);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteDoubleSums<TPixel>(ReadOnlySpan<double> sums, Span<TPixel> target, RowGeometry row)
        where TPixel : unmanaged, IFloatingPoint<TPixel>
    {
        for (var x = 0; x < target.Length; x++)
        {
            var count = (double)row.Rows * Math.Min(1 << row.Level, Width - (x << row.Level));
            target[x] = TPixel.CreateTruncating(sums[x] / count);
        }
    }

    /// <summary>One output row: its level, the frame rows its blocks cover, and how many of its blocks are full-width.</summary>
    private readonly record struct RowGeometry(int Level, int Rows, int FullColumns)
    {
        public bool IsFull => Rows == 1 << Level;
    }
}
