using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Navigate.Plugins.Synthetic;

/// <summary>
/// Camera-like 16-bit frames: a fixed specimen (bright blobs on a background of about 100 counts, as navigate's
/// synthetic camera) plus Poisson-like noise, and the frame number in the first four pixels.
/// </summary>
/// <remarks>
/// Generating noise per pixel per frame would cost more than writing the frame, so a scene with noise is computed once,
/// a little larger than the frame, and each frame is a copy from an offset that depends on the frame number: every
/// frame differs, compresses like a real one and costs one memcpy.
/// </remarks>
public static class SyntheticFrames
{
    /// <summary>Pixels at the start of each frame that hold the frame number (64-bit little-endian, 16 bits a pixel).</summary>
    public const int HeaderPixels = 4;

    private const int Slack = 8192;

    /// <summary>Builds the scene for frames of the given size.</summary>
    public static ushort[] CreateScene(int width, int height, int seed)
    {
        var scene = GC.AllocateUninitializedArray<ushort>(checked(width * height + Slack));
        var random = new Random(seed);
        var blobs = Enumerable.Range(0, 24)
            .Select(_ => (X: random.NextDouble() * width, Y: random.NextDouble() * height, R: Math.Max(1.5, (0.01 + (0.05 * random.NextDouble())) * Math.Min(width, height)), A: 200 + random.NextDouble() * 3000))
            .ToArray();
        var row = new double[width];
        for (var y = 0; y < height; y++)
        {
            Array.Fill(row, 100.0);
            foreach (var (bx, by, r, a) in blobs)
            {
                var dy = y - by;
                if (Math.Abs(dy) > 3 * r)
                {
                    continue;
                }

                var from = Math.Max(0, (int)(bx - 3 * r));
                var to = Math.Min(width, (int)(bx + 3 * r) + 1);
                for (var x = from; x < to; x++)
                {
                    var dx = x - bx;
                    row[x] += a * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * r * r));
                }
            }

            for (var x = 0; x < width; x++)
            {
                // Shot noise ~ sqrt(signal) plus a little read noise: a normal approximation is plenty here.
                var noise = Gaussian(random) * (Math.Sqrt(row[x]) + 2);
                scene[(y * width) + x] = (ushort)Math.Clamp(row[x] + noise, 0, ushort.MaxValue);
            }
        }

        for (var i = width * height; i < scene.Length; i++)
        {
            scene[i] = (ushort)Math.Clamp(100 + (Gaussian(random) * 10), 0, ushort.MaxValue);
        }

        return scene;
    }

    /// <summary>Fills <paramref name="destination"/> (width × height pixels) with frame <paramref name="frameNumber"/>.</summary>
    public static void Render(ReadOnlySpan<ushort> scene, Span<ushort> destination, long frameNumber, int channel = 0)
    {
        var offset = (int)((ulong)((frameNumber * 7919) + (channel * 4099)) % Slack);
        scene.Slice(offset, destination.Length).CopyTo(destination);
        WriteFrameNumber(destination, frameNumber);
    }

    /// <summary>Writes the frame number into the first <see cref="HeaderPixels"/> pixels.</summary>
    public static void WriteFrameNumber(Span<ushort> pixels, long frameNumber)
        => BinaryPrimitives.WriteInt64LittleEndian(MemoryMarshal.AsBytes(pixels[..HeaderPixels]), frameNumber);

    /// <summary>Reads the frame number a synthetic frame carries in its first pixels.</summary>
    public static long ReadFrameNumber(ReadOnlySpan<ushort> pixels)
        => BinaryPrimitives.ReadInt64LittleEndian(MemoryMarshal.AsBytes(pixels[..HeaderPixels]));

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
