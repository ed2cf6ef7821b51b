using System.Collections.Concurrent;

namespace Navigate.Devices;

/// <summary>
/// A fixed set of pinned frame buffers, allocated once. Cameras rent a frame for each image they deliver and the
/// consumer disposes it when done; when every buffer is in use, renting fails at once so the camera can
/// count the frame as dropped instead of blocking the sensor (see <see cref="TryRent(int, int, out Frame)"/>).
/// </summary>
public sealed class FramePool : IDisposable
{
    private readonly Frame[] _frames;
    private readonly ConcurrentQueue<Frame> _free = new();
    private readonly SemaphoreSlim _available;
    private bool _disposed;

    /// <summary>Allocates <paramref name="capacity"/> buffers able to hold a frame of the given size and type.</summary>
    public FramePool(int capacity, int maxWidth, int maxHeight, PixelType pixelType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeight);
        var bytes = (long)maxWidth * maxHeight * pixelType.BytesPerPixel();
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWidth), $"A {maxWidth}×{maxHeight} {pixelType} frame needs {bytes} bytes; at most {Array.MaxLength} fit one buffer.");
        }

        MaxWidth = maxWidth;
        MaxHeight = maxHeight;
        PixelType = pixelType;
        FrameCapacityBytes = (int)bytes;
        _frames = new Frame[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _frames[i] = new Frame(this, i, FrameCapacityBytes);
            _free.Enqueue(_frames[i]);
        }

        _available = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Number of buffers.</summary>
    public int Capacity => _frames.Length;

    /// <summary>Buffers not rented right now.</summary>
    public int Available => _available.CurrentCount;

    /// <summary>Largest frame width.</summary>
    public int MaxWidth { get; }

    /// <summary>Largest frame height.</summary>
    public int MaxHeight { get; }

    /// <summary>The pixel type the buffers were sized for.</summary>
    public PixelType PixelType { get; }

    /// <summary>Bytes in each buffer.</summary>
    public int FrameCapacityBytes { get; }

    /// <summary>Every frame of the pool by <see cref="Frame.Index"/>, e.g. to hand all buffers to a driver at once.</summary>
    public IReadOnlyList<Frame> Frames => _frames;

    /// <summary>Rents a free buffer without waiting; false when all are in use.</summary>
    public bool TryRent(int width, int height, out Frame frame) => TryRent(width, height, PixelType, out frame);

    /// <summary>Rents a free buffer of another pixel type of no larger size, without waiting.</summary>
    public bool TryRent(int width, int height, PixelType pixelType, out Frame frame)
    {
        CheckSize(width, height, pixelType);
        frame = null!;
        if (!_available.Wait(0))
        {
            return false;
        }

        return Take(width, height, pixelType, out frame);
    }

    /// <summary>Rents a free buffer, waiting for one to be returned.</summary>
    public Frame Rent(int width, int height, CancellationToken cancellationToken = default)
    {
        CheckSize(width, height, PixelType);
        _available.Wait(cancellationToken);
        Take(width, height, PixelType, out var frame);
        return frame;
    }

    private bool Take(int width, int height, PixelType pixelType, out Frame frame)
    {
        // The semaphore guarantees a free frame is queued; the loop only covers the moment between its release and
        // the enqueue becoming visible to this thread.
        var spinner = default(SpinWait);
        while (!_free.TryDequeue(out frame!))
        {
            spinner.SpinOnce();
        }

        frame.TryRent(width, height, pixelType);
        return true;
    }

    internal void Return(Frame frame)
    {
        if (_disposed)
        {
            return;
        }

        _free.Enqueue(frame);
        _available.Release();
    }

    private void CheckSize(int width, int height, PixelType pixelType)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (width <= 0 || height <= 0 || (long)width * height * pixelType.BytesPerPixel() > FrameCapacityBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}×{height} {pixelType} frame does not fit the pool's {FrameCapacityBytes}-byte buffers ({MaxWidth}×{MaxHeight} {PixelType}).");
        }
    }

    /// <summary>Releases the pool. Frames still rented stay valid until collected.</summary>
    public void Dispose()
    {
        _disposed = true;
        _available.Dispose();
    }
}
