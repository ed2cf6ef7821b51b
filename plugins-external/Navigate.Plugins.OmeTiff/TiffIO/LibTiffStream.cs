using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace Navigate.Plugins.OmeTiff.TiffIO;

/// <summary>
/// The stream LibTiff.NET reads and writes through: a <see cref="FileStream"/> the caller owns, plus the place where
/// LibTiff's error messages for this file are collected (LibTiff reports errors through a process-wide handler, which
/// this class routes back to the file they concern).
/// </summary>
/// <remarks>
/// Zero-copy writes: LibTiff only takes <c>byte[]</c>, but frames arrive as spans (often a camera's pinned buffer).
/// <see cref="WriteRawStrip"/> hands LibTiff a marker array and the real span's length; LibTiff positions the strip
/// and calls <see cref="Write"/> once with the marker, and that call writes the span. LibTiff never reads strip
/// bytes it is given raw, so no copy of the frame is made.
/// </remarks>
internal sealed unsafe class LibTiffStream : TiffStream
{
    private static readonly byte[] ZeroCopyMarker = new byte[1];
    private readonly FileStream _file;
    private readonly List<string> _errors = [];
    private byte* _pending;
    private int _pendingLength;

    static LibTiffStream()
    {
        // Without this LibTiff.NET prints errors and warnings to the console. The handler is per load context: the host
        // gives each plugin its own copy of LibTiff.NET.
        Tiff.SetErrorHandler(new RoutingErrorHandler());
    }

    public LibTiffStream(FileStream file)
    {
        _file = file;
    }

    /// <summary>The file.</summary>
    public FileStream File => _file;

    /// <summary>Errors LibTiff reported for this file since the last <see cref="TakeErrors"/>, joined; empty when none.</summary>
    public string TakeErrors()
    {
        var text = string.Join("; ", _errors);
        _errors.Clear();
        return text;
    }

    /// <summary>Opens LibTiff on this stream (<paramref name="mode"/> as <see cref="Tiff.Open(string, string)"/>).</summary>
    public Tiff? Open(string mode) => Tiff.ClientOpen(_file.Name, mode, this, this);

    /// <summary>Writes <paramref name="pixels"/> as strip <paramref name="strip"/> of the current directory without copying them.</summary>
    /// <returns>False when LibTiff failed (its message is in <see cref="TakeErrors"/>).</returns>
    public bool WriteRawStrip(Tiff tiff, int strip, ReadOnlySpan<byte> pixels)
    {
        fixed (byte* p = pixels)
        {
            _pending = p;
            _pendingLength = pixels.Length;
            try
            {
                return tiff.WriteRawStrip(strip, ZeroCopyMarker, 0, pixels.Length) == pixels.Length;
            }
            finally
            {
                _pending = null;
                _pendingLength = 0;
            }
        }
    }

    /// <inheritdoc />
    public override int Read(object clientData, byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    /// <inheritdoc />
    public override void Write(object clientData, byte[] buffer, int offset, int count)
    {
        if (ReferenceEquals(buffer, ZeroCopyMarker))
        {
            if (_pending == null || offset != 0 || count != _pendingLength)
            {
                throw new InvalidOperationException($"LibTiff wrote the zero-copy strip as {count} bytes at {offset}; expected one write of {_pendingLength} bytes.");
            }

            _file.Write(new ReadOnlySpan<byte>(_pending, _pendingLength));
            return;
        }

        _file.Write(buffer, offset, count);
    }

    /// <inheritdoc />
    public override long Seek(object clientData, long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    /// <inheritdoc />
    public override void Close(object clientData) => _file.Flush();

    /// <inheritdoc />
    public override long Size(object clientData) => _file.Length;

    private void Report(string? method, string format, object[] args)
    {
        var text = args is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, format, args) : format;
        _errors.Add(method is null ? text : $"{method}: {text}");
    }

    private sealed class RoutingErrorHandler : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
            => ((clientData ?? tif?.Clientdata()) as LibTiffStream)?.Report(method, format, args);

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }
    }
}
