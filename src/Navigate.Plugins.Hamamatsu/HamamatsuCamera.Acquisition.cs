using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Navigate.Devices;
using Navigate.Plugins.Hamamatsu.Interop;

namespace Navigate.Plugins.Hamamatsu;

// Sequence acquisition, as navigate does it: N buffers attached with dcambuf_attach, dcamcap_start(SEQUENCE), then
// dcamwait_start(FRAMEREADY | STOPPED) and dcamcap_transferinfo to learn how many frames the camera has written.
//
// The buffers DCAM writes are our own ring of page-aligned native memory, not the caller's FramePool: the camera
// fills its buffers round-robin whether or not anyone still reads them, so a pool frame handed to the consumer could
// change under it. Each new frame is copied once into a frame rented from the pool, and that is what makes the
// delivery rules provable:
//   * frame k (the k-th since start, 0-based) lives in ring slot k mod N;
//   * the camera starts writing frame k + N into that slot once it has completed frame k + N - 1, i.e. as soon as
//     transferinfo's count C reaches k + N. So slot k holds frame k intact exactly while C - k < N;
//   * (a snap of N frames never starts frame N, so there nothing is overwritten);
//   * we check that before copying (else frame k is counted dropped, never read) and again after copying (else the
//     copy may be torn: the frame goes back to the pool and is counted dropped);
//   * frames are taken in increasing k, each once (k only increases), so nothing is delivered twice or out of order,
//     and delivered + dropped = frames the camera produced (up to the requested count).
// A frame for which the pool has no free buffer is dropped too (FramePool's contract: never block the camera).
//
// A sequence of N frames that fits the ring is started with dcamcap_start(SNAP) on exactly N buffers: the camera
// fills each once and stops by itself, so a consumer that starts reading late loses nothing. Longer and continuous
// sequences use SEQUENCE, as navigate does, and a bounded one is stopped as soon as its N-th frame is seen.
public sealed unsafe partial class HamamatsuCamera
{
    private const int WaitSliceMilliseconds = 100;
    private const int RingAlignment = 4096;

    private readonly Stopwatch _clock = new();
    private nint _ring;
    private nint* _ringPointers;
    private int _ringSlots;
    private int _seqSlots;
    private bool _snap;
    private long _ringStride;
    private FramePool? _pool;
    private long _frameLimit;
    private long _next;
    private long _captured;
    private int _lastRawCount;
    private long _delivered;
    private long _dropped;
    private long _overwritten;
    private long _poolExhausted;
    private int _seqWidth;
    private int _seqHeight;
    private int _seqRowBytes;
    private PixelType _seqPixelType;
    private bool _sequenceOpen;
    private bool _attached;
    private volatile bool _capturing;
    private volatile bool _stopRequested;

    /// <inheritdoc />
    public bool IsAcquiring => _capturing;

    /// <inheritdoc />
    public CameraCounters Counters => new(Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped));

    /// <summary>Frames dropped because the camera overwrote them before they were copied out.</summary>
    public long FramesOverwritten => Interlocked.Read(ref _overwritten);

    /// <summary>Frames dropped because the caller's <see cref="FramePool"/> had no free buffer.</summary>
    public long FramesPoolExhausted => Interlocked.Read(ref _poolExhausted);

    /// <inheritdoc />
    public void StartSequence(FramePool pool, long frameCount)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ThrowIfDisposed();
        lock (_sync)
        {
            ThrowIfAcquiring();
            var needed = (long)_width * _height * _pixelType.BytesPerPixel();
            if (needed > pool.FrameCapacityBytes)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The pool's {pool.FrameCapacityBytes}-byte buffers cannot hold this camera's {_width}×{_height} {_pixelType} frames ({needed} bytes)."), nameof(pool));
            }

            EnsureRing(_frameBytes);
            _pool = pool;
            _frameLimit = frameCount == 0 ? long.MaxValue : frameCount;
            _next = 0;
            _captured = 0;
            _lastRawCount = 0;
            Interlocked.Exchange(ref _delivered, 0);
            Interlocked.Exchange(ref _dropped, 0);
            Interlocked.Exchange(ref _overwritten, 0);
            Interlocked.Exchange(ref _poolExhausted, 0);
            (_seqWidth, _seqHeight, _seqRowBytes, _seqPixelType) = (_width, _height, _rowBytes, _pixelType);
            _stopRequested = false;

            _snap = frameCount > 0 && frameCount <= _ringSlots;
            _seqSlots = _snap ? (int)frameCount : _ringSlots;
            _device.Attach(_ringPointers, _seqSlots);
            _attached = true;
            try
            {
                if (_snap)
                {
                    _device.StartSnap();
                }
                else
                {
                    _device.StartSequence();
                }
            }
            catch
            {
                ReleaseQuietly();
                throw;
            }

            _capturing = true;
            _sequenceOpen = true;
            _clock.Restart();
        }
    }

    /// <inheritdoc />
    public FrameWaitResult WaitForFrame(TimeSpan timeout, out Frame? frame, CancellationToken cancellationToken = default)
    {
        frame = null;
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }

        ThrowIfDisposed();
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var registration = cancellationToken.UnsafeRegister(static state => ((HamamatsuCamera)state!).AbortWaitQuietly(), this);
        lock (_sync)
        {
            if (_pool is null)
            {
                throw new InvalidOperationException("WaitForFrame needs a sequence: call StartSequence first.");
            }

            while (true)
            {
                ThrowIfDisposed();
                cancellationToken.ThrowIfCancellationRequested();
                if (_stopRequested && _capturing)
                {
                    StopCapture();
                }

                if (TryTakeFrame(out frame))
                {
                    return FrameWaitResult.Frame;
                }

                if (_next >= _frameLimit || !_capturing)
                {
                    EndSequence();
                    return FrameWaitResult.Completed;
                }

                var remaining = deadline == long.MaxValue ? long.MaxValue : deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    return FrameWaitResult.Timeout;
                }

                // Short slices: a stop or cancellation that lands just before the wait begins costs one slice at most.
                var slice = (int)Math.Min(WaitSliceMilliseconds, Math.Max(1, remaining * 1000 / Stopwatch.Frequency));
                var err = _device.WaitStart(DcamConstants.EventFrameReady | DcamConstants.EventStopped, slice, out var happened);
                if (err is DcamErrors.Timeout or DcamErrors.Abort)
                {
                    continue;
                }

                DcamDevice.Check(err, "dcamwait_start", null, "FRAMEREADY | STOPPED");
                if ((happened & DcamConstants.EventStopped) != 0 && !_stopRequested)
                {
                    if (!_snap)
                    {
                        _logger.LogWarning("DCAM camera '{Name}' stopped capturing on its own after {Frames} frames.", Info.Name, _captured);
                    }

                    StopCapture();
                }
            }
        }
    }

    /// <inheritdoc />
    public void FireSoftwareTrigger()
    {
        ThrowIfDisposed();
        if (!_capturing)
        {
            throw new InvalidOperationException("FireSoftwareTrigger needs a running sequence: call StartSequence first.");
        }

        if (_settings.TriggerSource != TriggerSource.Software)
        {
            throw new InvalidOperationException($"The trigger source is {_settings.TriggerSource}; set TriggerSource = Software to fire software triggers.");
        }

        // Not under _sync: the consumer may be blocked in WaitForFrame holding it, and DCAM-API is thread-safe.
        _device.FireTrigger();
    }

    /// <inheritdoc />
    public void StopSequence()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _stopRequested = true;
        AbortWaitQuietly();
        lock (_sync)
        {
            StopCapture();
            _stopRequested = false;
        }
    }

    /// <summary>
    /// Stops capture and releases the attached buffers, also after an exception or cancellation. Frames already
    /// captured stay in the ring (our memory) and are still delivered by <see cref="WaitForFrame"/>; then it
    /// answers <see cref="FrameWaitResult.Completed"/>. DCAM-API is uninitialised when the last camera is disposed.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AbortWaitQuietly();
        lock (_sync)
        {
            var released = true;
            try
            {
                StopCapture();
            }
            catch (DcamException e)
            {
                released = false;
                _logger.LogWarning("Stopping DCAM camera '{Name}' while disposing it: {Error}", Info.Name, e.Message);
            }

            var closed = true;
            try
            {
                _device.Dispose();
            }
            catch (DcamException e)
            {
                closed = false;
                _logger.LogWarning("Closing DCAM camera '{Name}': {Error}", Info.Name, e.Message);
            }

            try
            {
                _lease.Dispose();
            }
            catch (DcamException e)
            {
                _logger.LogWarning("{Error}", e.Message);
            }

            // Free the ring only once the camera can no longer write into it; otherwise leak it rather than let
            // the driver write into freed memory.
            if (released || closed)
            {
                FreeRing();
            }
            else
            {
                _logger.LogError("DCAM camera '{Name}' could not be stopped or closed; its {Bytes} bytes of frame buffers are left allocated.", Info.Name, _ringSlots * _ringStride);
            }
        }
    }

    private bool TryTakeFrame(out Frame? frame)
    {
        frame = null;
        if (_capturing)
        {
            RefreshCount();
            if (_captured >= _frameLimit)
            {
                // All frames asked for are in: stop before the camera laps the ring over them.
                StopCapture();
            }
        }

        var available = Math.Min(_captured, _frameLimit);
        while (_next < available)
        {
            var k = _next;
            if (Overwritten(k))
            {
                // Frames up to (captured - ring) are gone or going: count them, never read them.
                var lost = Math.Min(_captured - _seqSlots + 1, available) - k;
                CountDropped(lost, overwritten: true, k);
                _next += lost;
                continue;
            }

            if (!_pool!.TryRent(_seqWidth, _seqHeight, _seqPixelType, out var rented))
            {
                CountDropped(1, overwritten: false, k);
                _next++;
                continue;
            }

            CopySlot((int)(k % _seqSlots), rented);
            if (_capturing)
            {
                RefreshCount();
            }

            if (Overwritten(k))
            {
                // The camera came round while we copied: the copy may be torn.
                rented.Dispose();
                CountDropped(1, overwritten: true, k);
                _next++;
                continue;
            }

            rented.FrameNumber = k;
            rented.Timestamp = _clock.Elapsed;
            _next++;
            Interlocked.Increment(ref _delivered);
            frame = rented;
            return true;
        }

        return false;
    }

    // Slot k mod N is being (or has been) rewritten once the camera has completed frame k + N - 1. A snap never
    // starts frame N, so nothing in it is overwritten.
    private bool Overwritten(long k) => !_snap && _captured - k >= _seqSlots;

    private void CopySlot(int slot, Frame frame)
    {
        var source = (byte*)_ringPointers[slot];
        var destination = frame.Bytes;
        var packedRow = _seqWidth * _seqPixelType.BytesPerPixel();
        if (_seqRowBytes == packedRow)
        {
            new ReadOnlySpan<byte>(source, destination.Length).CopyTo(destination);
            return;
        }

        for (var y = 0; y < _seqHeight; y++)
        {
            new ReadOnlySpan<byte>(source + ((long)y * _seqRowBytes), packedRow).CopyTo(destination.Slice(y * packedRow, packedRow));
        }
    }

    private void RefreshCount()
    {
        var (_, count) = _device.TransferInfo();
        // DCAM's count is an int32; widen it by the (non-negative) difference so very long sequences keep counting.
        _captured += unchecked((uint)(count - _lastRawCount));
        _lastRawCount = count;
    }

    private void CountDropped(long count, bool overwritten, long firstFrame)
    {
        if (Interlocked.Read(ref _dropped) == 0)
        {
            _logger.LogWarning(
                "DCAM camera '{Name}' is dropping frames (first: frame {Frame}, {Reason}); the sequence goes on and drops are counted.",
                Info.Name,
                firstFrame,
                overwritten ? string.Create(CultureInfo.InvariantCulture, $"overwritten in the {_seqSlots}-buffer ring before it was read") : "the frame pool had no free buffer");
        }

        Interlocked.Add(ref _dropped, count);
        Interlocked.Add(ref overwritten ? ref _overwritten : ref _poolExhausted, count);
    }

    private void StopCapture()
    {
        if (_capturing)
        {
            _device.Stop();
            _capturing = false;
            // Frames completed up to the stop are still in the ring and can be delivered.
            RefreshCount();
        }

        if (_attached)
        {
            _device.Release();
            _attached = false;
        }
    }

    private void EndSequence()
    {
        StopCapture();
        if (_sequenceOpen)
        {
            _sequenceOpen = false;
            var dropped = Interlocked.Read(ref _dropped);
            if (dropped > 0)
            {
                _logger.LogWarning(
                    "DCAM camera '{Name}' sequence ended: {Delivered} frames delivered, {Dropped} dropped ({Overwritten} overwritten in the ring, {PoolExhausted} for want of a free pool buffer).",
                    Info.Name, Interlocked.Read(ref _delivered), dropped, FramesOverwritten, FramesPoolExhausted);
            }
        }
    }

    private void ReleaseQuietly()
    {
        try
        {
            _device.Release();
            _attached = false;
        }
        catch (DcamException e)
        {
            _logger.LogWarning("Releasing DCAM buffers after a failed start: {Error}", e.Message);
        }
    }

    private void AbortWaitQuietly()
    {
        try
        {
            _device.AbortWait();
        }
        catch (DcamException)
        {
            // The wait handle is already closed: nothing is waiting.
        }
    }

    private void EnsureRing(long frameBytes)
    {
        var stride = (frameBytes + RingAlignment - 1) / RingAlignment * RingAlignment;
        if (_ring != 0 && _ringStride >= stride && _ringSlots == _options.RingFrames)
        {
            return;
        }

        FreeRing();
        var slots = _options.RingFrames;
        var total = checked(stride * slots);
        _ring = (nint)NativeMemory.AlignedAlloc((nuint)total, RingAlignment);
        _ringPointers = (nint*)NativeMemory.Alloc((nuint)slots, (nuint)sizeof(nint));
        for (var i = 0; i < slots; i++)
        {
            _ringPointers[i] = _ring + (nint)(i * stride);
        }

        _ringSlots = slots;
        _ringStride = stride;
    }

    private void FreeRing()
    {
        if (_ring != 0)
        {
            NativeMemory.AlignedFree((void*)_ring);
            _ring = 0;
        }

        if (_ringPointers != null)
        {
            NativeMemory.Free(_ringPointers);
            _ringPointers = null;
        }

        _ringSlots = 0;
        _ringStride = 0;
    }
}
