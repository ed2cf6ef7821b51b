namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>The blosc 1 frame: header, block offsets, split streams (see docs/zarr-engine.md).</summary>
internal static class BloscFrame
{
    public const int HeaderSize = 16;

    public static int MaxEncodedLength(int decodedLength) => checked(decodedLength + HeaderSize);

    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination, int itemSize, BloscCodec codec) =>
        throw new NotImplementedException();

    public static void Decode(ReadOnlySpan<byte> source, Span<byte> destination, string? key) =>
        throw new NotImplementedException();
}
