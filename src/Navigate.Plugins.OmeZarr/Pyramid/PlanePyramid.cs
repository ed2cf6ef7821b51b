using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using Navigate.Devices;

namespace Navigate.Plugins.OmeZarr.Pyramid;

/// <summary>
/// Builds the lower pyramid levels of one plane at a time while frames stream in: level k is 2^k smaller in x and y
/// (rounded up) and each of its pixels is the mean of the level-0 block it covers. Edge blocks that stick out of the
/// frame average only the pixels they cover. Integer pixels are summed in 64 bits (no overflow for any supported
/// type and level count) and rounded half away from zero; float pixels are averaged in double precision.
/// </summary>
/// <remarks>
/// Each level's sums are made from the previous level's sums, so the work per frame is about 1⅓ reads of the frame and
/// the mean at level k is the exact mean of its 2^k × 2^k block (no rounding carried between levels). Z is never
/// averaged: light-sheet stacks are already coarser in z than in x and y, so navigate's pyramids keep every plane. All
/// buffers are allocated once; <see cref="Build"/> allocates nothing.
/// </remarks>
public sealed class PlanePyramid
{
    private readonly long[][] _integerSums;
    private readonly double[][] _floatSums;
    private readonly byte[][] _levels;
    private readonly (int Width, int Height)[] _shapes;
    private readonly bool _isFloat;

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
        Width = width;
        Height = height;
        PixelType = pixelType;
        Levels = levels;
        _isFloat = pixelType is PixelType.Float32 or PixelType.Float64;
        _shapes = new (int, int)[levels];
        _levels = new byte[levels][];
        _integerSums = new long[levels][];
        _floatSums = new double[levels][];
        for (var k = 0; k < levels; k++)
        {
            _shapes[k] = LevelShape(width, height, k);
            if (k == 0)
            {
                continue;
            }

            var count = _shapes[k].Width * _shapes[k].Height;
            _levels[k] = new byte[count * pixelType.BytesPerPixel()];
            if (_isFloat)
            {
                _floatSums[k] = new double[count];
            }
            else
            {
                _integerSums[k] = new long[count];
            }
        }
    }

    /// <summary>Frame width.</summary>
    public int Width { get; }

    /// <summary>Frame height.</summary>
    public int Height { get; }

    /// <summary>Pixel type.</summary>
    public PixelType PixelType { get; }

    /// <summary>Levels including level 0.</summary>
    public int Levels { get; }

    /// <summary>The (width, height) of level <paramref name="level"/> of a <paramref name="width"/> × <paramref name="height"/> frame.</summary>
    public static (int Width, int Height) LevelShape(int width, int height, int level) =>
        ((int)Math.Max(1, (width + (1L << level) - 1) >> level), (int)Math.Max(1, (height + (1L << level) - 1) >> level));

    /// <summary>The (width, height) of level <paramref name="level"/>.</summary>
    public (int Width, int Height) Shape(int level) => _shapes[level];

    /// <summary>The pixels of level <paramref name="level"/> (≥ 1) from the last <see cref="Build"/>.</summary>
    public ReadOnlySpan<byte> Level(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        return _levels[level];
    }

    /// <summary>Computes every level ≥ 1 from <paramref name="frame"/> (row-major, little-endian, level-0 size).</summary>
    /// <exception cref="ArgumentException">The frame's length does not match the size and type.</exception>
    public void Build(ReadOnlySpan<byte> frame)
    {
        var expected = (long)Width * Height * PixelType.BytesPerPixel();
        if (frame.Length != expected)
        {
            throw new ArgumentException($"A {Width}×{Height} {PixelType} frame has {expected} bytes; got {frame.Length}.", nameof(frame));
        }

        if (Levels == 1)
        {
            return;
        }

        if (_isFloat)
        {
            if (PixelType == PixelType.Float32)
            {
                SumFirstLevel(MemoryMarshal.Cast<byte, float>(frame), _floatSums[1]);
            }
            else
            {
                SumFirstLevel(MemoryMarshal.Cast<byte, double>(frame), _floatSums[1]);
            }

            for (var k = 2; k < Levels; k++)
            {
                SumNextLevel(_floatSums[k - 1], _shapes[k - 1], _floatSums[k], _shapes[k]);
            }

            for (var k = 1; k < Levels; k++)
            {
                WriteFloatLevel(k);
            }

            return;
        }

        switch (PixelType)
        {
            case PixelType.UInt8:
                BuildInteger<byte>(frame);
                break;
            case PixelType.UInt16:
                BuildInteger<ushort>(frame);
                break;
            case PixelType.Int16:
                BuildInteger<short>(frame);
                break;
            case PixelType.UInt32:
                BuildInteger<uint>(frame);
                break;
            default:
                throw new NotSupportedException($"Pixel type {PixelType} has no pyramid.");
        }
    }

    private void BuildInteger<TPixel>(ReadOnlySpan<byte> frame)
        where TPixel : unmanaged, IBinaryInteger<TPixel>
    {
        if (typeof(TPixel) == typeof(ushort) && Vector256.IsHardwareAccelerated)
        {
            SumFirstLevelUInt16(MemoryMarshal.Cast<byte, ushort>(frame), _integerSums[1]);
        }
        else
        {
            SumFirstLevel(MemoryMarshal.Cast<byte, TPixel>(frame), _integerSums[1]);
        }

        for (var k = 2; k < Levels; k++)
        {
            SumNextLevel(_integerSums[k - 1], _shapes[k - 1], _integerSums[k], _shapes[k]);
        }

        for (var k = 1; k < Levels; k++)
        {
            WriteIntegerLevel<TPixel>(k);
        }
    }

    private void SumFirstLevel<TPixel, TSum>(ReadOnlySpan<TPixel> pixels, TSum[] sums)
        where TPixel : unmanaged, INumberBase<TPixel>
        where TSum : unmanaged, INumberBase<TSum>
    {
        // Generic math keeps one specialised loop per type pair (no delegate call per pixel).
        static TSum Widen(TPixel value) => TSum.CreateTruncating(value);

        var (outWidth, outHeight) = _shapes[1];
        var lastOddColumn = (Width & 1) == 1;
        var pairs = Width / 2;
        for (var y = 0; y < outHeight; y++)
        {
            var top = pixels.Slice(2 * y * Width, Width);
            var hasBottom = 2 * y + 1 < Height;
            var bottom = hasBottom ? pixels.Slice((2 * y + 1) * Width, Width) : default;
            var row = sums.AsSpan(y * outWidth, outWidth);
            if (hasBottom)
            {
                for (var x = 0; x < pairs; x++)
                {
                    row[x] = Widen(top[2 * x]) + Widen(top[2 * x + 1]) + Widen(bottom[2 * x]) + Widen(bottom[2 * x + 1]);
                }

                if (lastOddColumn)
                {
                    row[pairs] = Widen(top[Width - 1]) + Widen(bottom[Width - 1]);
                }
            }
            else
            {
                for (var x = 0; x < pairs; x++)
                {
                    row[x] = Widen(top[2 * x]) + Widen(top[2 * x + 1]);
                }

                if (lastOddColumn)
                {
                    row[pairs] = Widen(top[Width - 1]);
                }
            }
        }
    }

    /// <summary>
    /// The 2×2 sums of a uint16 frame, 8 blocks at a time: each pair of neighbours read as one uint32 is summed as
    /// (low half + high half), the two rows are added, and the 8 sums are widened to 64 bits. sCMOS cameras deliver
    /// uint16, so this is the loop that runs at camera rate.
    /// </summary>
    private void SumFirstLevelUInt16(ReadOnlySpan<ushort> pixels, long[] sums)
    {
        var (outWidth, outHeight) = _shapes[1];
        var pairs = Width / 2;
        var vectorPairs = pairs - (pairs % Vector256<uint>.Count);
        var low = Vector256.Create(0xFFFFu);
        for (var y = 0; y < outHeight; y++)
        {
            var top = pixels.Slice(2 * y * Width, Width);
            var row = sums.AsSpan(y * outWidth, outWidth);
            if (2 * y + 1 >= Height)
            {
                // The last row of an odd height: one row per block.
                for (var x = 0; x < pairs; x++)
                {
                    row[x] = top[2 * x] + (long)top[2 * x + 1];
                }

                if ((Width & 1) == 1)
                {
                    row[pairs] = top[Width - 1];
                }

                continue;
            }

            var bottom = pixels.Slice((2 * y + 1) * Width, Width);
            var topPairs = MemoryMarshal.Cast<ushort, uint>(top[..(2 * pairs)]);
            var bottomPairs = MemoryMarshal.Cast<ushort, uint>(bottom[..(2 * pairs)]);
            var target = MemoryMarshal.Cast<long, ulong>(row);
            var x0 = 0;
            for (; x0 < vectorPairs; x0 += Vector256<uint>.Count)
            {
                var t = Vector256.Create<uint>(topPairs.Slice(x0, Vector256<uint>.Count));
                var b = Vector256.Create<uint>(bottomPairs.Slice(x0, Vector256<uint>.Count));
                var sum = (t & low) + (t >> 16) + (b & low) + (b >> 16);
                var (lower, upper) = Vector256.Widen(sum);
                lower.CopyTo(target.Slice(x0, Vector256<ulong>.Count));
                upper.CopyTo(target.Slice(x0 + Vector256<ulong>.Count, Vector256<ulong>.Count));
            }

            for (var x = x0; x < pairs; x++)
            {
                row[x] = top[2 * x] + (long)top[2 * x + 1] + bottom[2 * x] + bottom[2 * x + 1];
            }

            if ((Width & 1) == 1)
            {
                row[pairs] = top[Width - 1] + (long)bottom[Width - 1];
            }
        }
    }

    private static void SumNextLevel<TSum>(TSum[] source, (int Width, int Height) sourceShape, TSum[] target, (int Width, int Height) targetShape)
        where TSum : unmanaged, INumberBase<TSum>
    {
        var (sw, sh) = sourceShape;
        var tw = targetShape.Width;
        var pairs = sw / 2;
        for (var y = 0; y < targetShape.Height; y++)
        {
            var top = source.AsSpan(2 * y * sw, sw);
            var hasBottom = 2 * y + 1 < sh;
            var bottom = hasBottom ? source.AsSpan((2 * y + 1) * sw, sw) : default;
            var row = target.AsSpan(y * tw, tw);
            for (var x = 0; x < pairs; x++)
            {
                var s = top[2 * x] + top[2 * x + 1];
                row[x] = hasBottom ? s + bottom[2 * x] + bottom[2 * x + 1] : s;
            }

            if ((sw & 1) == 1)
            {
                row[pairs] = hasBottom ? top[sw - 1] + bottom[sw - 1] : top[sw - 1];
            }
        }
    }

    private void WriteIntegerLevel<TPixel>(int level)
        where TPixel : unmanaged, IBinaryInteger<TPixel>
    {
        var target = MemoryMarshal.Cast<byte, TPixel>(_levels[level].AsSpan());
        var (w, h) = _shapes[level];
        var sums = _integerSums[level];
        var block = 1 << level;
        var shift = 2 * level;
        var half = 1L << (shift - 1);
        // Blocks that lie wholly inside the frame hold 4^level pixels: their mean is a shift. Only the last row and
        // column can be partial. Signed pixels take the general path (rounding half away from zero needs the sign).
        var fullColumns = PixelType == PixelType.Int16 ? 0 : Width / block;
        for (var y = 0; y < h; y++)
        {
            var rows = Math.Min(block, Height - y * block);
            var sumRow = sums.AsSpan(y * w, w);
            var outRow = target.Slice(y * w, w);
            var x = 0;
            if (rows == block)
            {
                for (; x < fullColumns; x++)
                {
                    outRow[x] = TPixel.CreateTruncating((sumRow[x] + half) >> shift);
                }
            }

            for (; x < w; x++)
            {
                var count = (long)rows * Math.Min(block, Width - x * block);
                var sum = sumRow[x];
                var mean = sum >= 0 ? (sum + count / 2) / count : -((-sum + count / 2) / count);
                outRow[x] = TPixel.CreateTruncating(mean);
            }
        }
    }

    private void WriteFloatLevel(int level)
    {
        var (w, h) = _shapes[level];
        var sums = _floatSums[level];
        var block = 1 << level;
        var f32 = PixelType == PixelType.Float32 ? MemoryMarshal.Cast<byte, float>(_levels[level].AsSpan()) : default;
        var f64 = PixelType == PixelType.Float64 ? MemoryMarshal.Cast<byte, double>(_levels[level].AsSpan()) : default;
        for (var y = 0; y < h; y++)
        {
            var rows = Math.Min(block, Height - y * block);
            for (var x = 0; x < w; x++)
            {
                var count = (double)rows * Math.Min(block, Width - x * block);
                var mean = sums[y * w + x] / count;
                if (PixelType == PixelType.Float32)
                {
                    f32[y * w + x] = (float)mean;
                }
                else
                {
                    f64[y * w + x] = mean;
                }
            }
        }
    }
}
