namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

/// <summary>Deterministic test bytes: smooth (compressible, like camera frames), noisy, or constant.</summary>
internal static class TestData
{
    public static byte[] Smooth(int length, int seed = 1)
    {
        var bytes = new byte[length];
        var random = new Random(seed);
        for (int i = 0; i + 1 < length; i += 2)
        {
            int v = 1000 + (int)(300 * Math.Sin(i / 500.0)) + random.Next(8);
            bytes[i] = (byte)v;
            bytes[i + 1] = (byte)(v >> 8);
        }

        return bytes;
    }

    public static byte[] Noise(int length, int seed = 2)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
