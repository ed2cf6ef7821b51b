using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Navigate.Devices;

/// <summary>
/// One camera image in a buffer rented from a <see cref="FramePool"/>. Dispose it (once) to give the buffer back;
/// after that the frame must not be touched. Frame objects and their buffers are reused, so streaming allocates
/// nothing per frame.
/// </summary>
public sealed class Frame : IDisposable
{
    private readonly FramePool _pool;
    private readonly byte[] _buffer;
    private int _rented;

    internal Frame(FramePool pool, int index, int capacityBytes)
    {
        _pool = pool;
        Index = index;
        // Pinned so native drivers (DCAM's dcambuf_attach) can write into it at a fixed address.
        _buffer = GC.AllocateUninitializedArray<byte>(capacityBytes, pinned: true);
    }

    /// <summary>The buffer's slot in its pool (0 .. capacity - 1); stable for the life of the pool.</summary>
    public int Index { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Pixel type.</summary>
    public PixelType PixelType { get; private set; }

    /// <summary>
    /// The camera's running frame number in the current sequence, from 0. A gap between two delivered frames means
    /// frames were dropped in between.
    /// </summary>
    public long FrameNumber { get; set; }

    /// <summary>When the frame was exposed, measured from the start of the sequence.</summary>
    public TimeSpan Timestamp { get; set; }

    /// <summary>Bytes of pixel data: <c>Width * Height * bytes per pixel</c>.</summary>
    public int Length => Width * Height * PixelType.BytesPerPixel();

    /// <summary>The pixel bytes, row-major, no padding.</summary>
    public Span<byte> Bytes => _buffer.AsSpan(0, Length);

    /// <summary>The pixel bytes as memory (for asynchronous consumers).</summary>
    public Memory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The whole pinned buffer, at least as large as the pool's largest frame.</summary>
    public Span<byte> Capacity => _buffer;

    /// <summary>The pixels as <typeparamref name="T"/> (which must match <see cref="PixelType"/> in size).</summary>
    public Span<T> Pixels<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(Bytes);

    /// <summary>The address of the pinned buffer, for native drivers.</summary>
    public unsafe nint Address => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));

    internal bool TryRent(int width, int height, PixelType pixelType)
    {
        if (Interlocked.Exchange(ref _rented, 1) != 0)
        {
            return false;
        }

        Width = width;
        Height = height;
        PixelType = pixelType;
        FrameNumber = 0;
        Timestamp = TimeSpan.Zero;
        return true;
    }

    /// <summary>Gives the buffer back to its pool. A second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _rented, 0) == 1)
        {
            _pool.Return(this);
        }
    }
}
