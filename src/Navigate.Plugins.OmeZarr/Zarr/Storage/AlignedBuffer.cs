using System.Runtime.InteropServices;

namespace Navigate.Plugins.OmeZarr.Zarr;

/// <summary>
/// A reusable pinned buffer whose window starts on an <see cref="UnbufferedFileWriter.Alignment"/> boundary, so a
/// value built in it can go to an O_DIRECT file without being copied first. It grows to the largest length asked for
/// and keeps it: its owners (the encoded-chunk pool, by size, and each writing thread's staging buffer) ask for values
/// of one size, chunk after chunk.
/// </summary>
internal sealed class AlignedBuffer
{
    private byte[] _array = [];
    private int _start;

    /// <summary>The largest length asked for so far: the window <see cref="Get"/> returns without reallocating.</summary>
    public int Capacity { get; private set; }

    /// <summary>A window of exactly <paramref name="length"/> bytes (contents undefined), valid until the next call.</summary>
    public Span<byte> Get(int length)
    {
        if (_array.Length - _start < length)
        {
            // A pinned array never moves, so a window aligned once stays aligned.
            _array = GC.AllocateUninitializedArray<byte>(length + UnbufferedFileWriter.Alignment, pinned: true);
            var address = (nuint)Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
            _start = (int)((UnbufferedFileWriter.Alignment - (address % UnbufferedFileWriter.Alignment)) % UnbufferedFileWriter.Alignment);
            Capacity = length;
        }

        return _array.AsSpan(_start, length);
    }
}
