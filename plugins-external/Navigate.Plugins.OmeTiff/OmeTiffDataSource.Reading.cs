using System.Buffers;
using BitMiracle.LibTiff.Classic;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff.Layout;
using Navigate.Plugins.OmeTiff.Metadata;
using Navigate.Plugins.OmeTiff.TiffIO;

namespace Navigate.Plugins.OmeTiff;

/// <content>Reading: opening a dataset, <see cref="GetData"/> and <see cref="GetSlice"/>.</content>
public sealed partial class OmeTiffDataSource
{
    private readonly Dictionary<string, CheckedStack> _stacks = new(StringComparer.Ordinal);
    private long? _storedFrames;

    /// <summary>Opens a dataset for reading from its root folder or any of its stack files.</summary>
    internal static OmeTiffDataSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var layout = DatasetLayout.Find(path)
            ?? throw new MissingStackFileException(Path.GetFullPath(path), $"no TIFF stack here: expected a stack file (CH00_000000.ome.tiff, ...) or a folder holding them (directly or in Position0/).");
        var positions = layout.CountPositions();
        var (channels, timepoints) = layout.CountStacks(0);
        var firstPath = layout.StackPath(0, 0, 0);
        if (!File.Exists(firstPath))
        {
            throw new MissingStackFileException(firstPath, $"the dataset's first stack is missing (found stacks for {channels} channels and {timepoints} timepoints in {layout.PositionFolder(0)}).");
        }

        var first = CheckStack(layout, firstPath);
        var channelInfos = new List<ChannelInfo>();
        for (var c = 0; c < channels; c++)
        {
            var path0 = layout.StackPath(c, 0, 0);
            var info = c == 0 ? first.Info : File.Exists(path0) ? CheckStack(layout, path0).Info : null;
            channelInfos.Add(info?.ChannelInfo ?? new ChannelInfo($"CH{c:00}"));
        }

        var stagePositions = new List<StagePosition>();
        for (var p = 0; p < positions; p++)
        {
            var path0 = layout.StackPath(0, 0, p);
            var stage = p == 0 ? first.Info.PositionStage : File.Exists(path0) && layout.IsOme ? CheckStack(layout, path0).Info.PositionStage : null;
            stagePositions.Add(stage ?? new StagePosition());
        }

        var facts = first.Info.Acquisition;
        var metadata = new AcquisitionMetadata
        {
            Width = first.Info.Width,
            Height = first.Info.Height,
            Channels = Math.Max(channels, 1),
            ZSteps = first.Info.Planes,
            Timepoints = Math.Max(timepoints, 1),
            Positions = positions,
            VoxelSize = first.Info.VoxelSize,
            TimeIntervalSeconds = first.Info.TimeIncrementSeconds,
            PerStack = facts?.PerStack ?? true,
            IsDynamic = layout.MultiPosition,
            PixelType = first.Info.PixelType,
            BitDepth = first.Info.SignificantBits is > 0 and var bits && bits <= first.Info.PixelType.BytesPerPixel() * 8 ? bits : first.Info.PixelType.BytesPerPixel() * 8,
            MicroscopeName = facts?.MicroscopeName ?? "Navigate",
            ChannelInfos = channelInfos,
            StagePositions = stagePositions,
            Extras = facts?.Extras ?? new Dictionary<string, string>(),
        };
        var source = new OmeTiffDataSource(path, DataSourceMode.Read, layout, metadata, first.Stack.Header.BigTiff);
        source._stacks[firstPath] = first;
        return source;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="resolution"/> is not 1 (TIFF stacks have no pyramid), or an index is outside the dataset.
    /// </exception>
    /// <exception cref="TiffFormatException">The stack file is missing or damaged.</exception>
    public ImageData GetData(int timepoint = 0, int position = 0, int channel = 0, int z = -1, int resolution = 1)
    {
        if (resolution != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"ome-tiff: resolution {resolution} is not available; TIFF stacks hold full resolution only (resolution 1).");
        }

        var stack = StackFor(channel, timepoint, position);
        var planes = stack.Info.Planes;
        if (z < -1 || z >= planes)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, $"ome-tiff: z {z} is outside {stack.Stack.Path}, which has planes 0..{planes - 1} (or -1 for all).");
        }

        var (first, count) = z == -1 ? (0, planes) : (z, 1);
        return Read(stack, 0..stack.Stack.Width, 0..stack.Stack.Height, first, count);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="subdiv"/> is not 0 (the only level), or a range or index is outside the dataset.
    /// </exception>
    /// <exception cref="TiffFormatException">The stack file is missing or damaged.</exception>
    public ImageData GetSlice(Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0)
    {
        if (subdiv != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(subdiv), subdiv, $"ome-tiff: level {subdiv} is not available; TIFF stacks have one level (0, full resolution).");
        }

        var stack = StackFor(c, t, p);
        var (z0, zn) = Resolve(z, stack.Info.Planes, nameof(z));
        return Read(stack, x, y, z0, zn);
    }

    /// <summary>
    /// The stage position recorded for each plane of a stack (null where none was given), as written in its OME-XML;
    /// empty for plain TIFF.
    /// </summary>
    public IReadOnlyList<StagePosition?> GetPlanePositions(int timepoint = 0, int position = 0, int channel = 0)
        => StackFor(channel, timepoint, position).Info.PlanePositions;

    private static ImageData Read(CheckedStack stack, Range x, Range y, int z0, int zCount)
    {
        var tiff = stack.Stack;
        var (x0, xn) = Resolve(x, tiff.Width, nameof(x));
        var (y0, yn) = Resolve(y, tiff.Height, nameof(y));
        var bpp = tiff.PixelType.BytesPerPixel();
        var rowBytes = tiff.RowBytes;
        var planeBytes = (long)xn * yn * bpp;
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)(planeBytes * zCount)));
        using var handle = File.OpenHandle(tiff.Path);
        using var decoder = new DecoderSession(tiff.Path);
        byte[]? rows = null;
        try
        {
            for (var i = 0; i < zCount; i++)
            {
                var page = stack.PageOf[z0 + i];
                var target = bytes.AsSpan((int)(planeBytes * i), (int)planeBytes);
                if (xn == tiff.Width)
                {
                    tiff.ReadRows(handle, decoder.Tiff, page, y0, yn, target);
                    continue;
                }

                rows ??= ArrayPool<byte>.Shared.Rent(yn * rowBytes);
                tiff.ReadRows(handle, decoder.Tiff, page, y0, yn, rows.AsSpan(0, yn * rowBytes));
                for (var r = 0; r < yn; r++)
                {
                    rows.AsSpan((r * rowBytes) + (x0 * bpp), xn * bpp).CopyTo(target.Slice(r * xn * bpp, xn * bpp));
                }
            }
        }
        finally
        {
            if (rows is not null)
            {
                ArrayPool<byte>.Shared.Return(rows);
            }
        }

        return new ImageData(new Size3(xn, yn, zCount), tiff.PixelType, bytes);
    }

    private static (int Start, int Length) Resolve(Range range, int size, string name)
    {
        try
        {
            var (start, length) = range.GetOffsetAndLength(size);
            if (length == 0)
            {
                throw new ArgumentOutOfRangeException(name, $"ome-tiff: {name} range {range} is empty.");
            }

            return (start, length);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName != name)
        {
            throw new ArgumentOutOfRangeException(name, $"ome-tiff: {name} range {range} is outside 0..{size}.");
        }
    }

    private CheckedStack StackFor(int channel, int timepoint, int position)
    {
        if (_closed)
        {
            throw new InvalidOperationException($"ome-tiff: {FileName} is closed.");
        }

        Check(channel, Mode == DataSourceMode.Write ? Metadata.Channels : Shape.C, "channel");
        Check(timepoint, Mode == DataSourceMode.Write ? Metadata.Timepoints : Shape.T, "timepoint");
        Check(position, Metadata.Positions, "position");
        var path = _layout.StackPath(channel, timepoint, position);
        if (_set is { } set && _setTimepoint == timepoint && _setPosition == position && set[channel]?.Writer is not null)
        {
            throw new InvalidOperationException($"ome-tiff: {path} is still being written; it can be read once its timepoint is finished.");
        }

        if (_stacks.TryGetValue(path, out var stack))
        {
            return stack;
        }

        if (!File.Exists(path))
        {
            throw new MissingStackFileException(path, $"no stack for channel {channel}, timepoint {timepoint}, position {position}: the file does not exist (the acquisition may have stopped before it).");
        }

        stack = CheckStack(_layout, path);
        _stacks[path] = stack;
        return stack;

        static void Check(int value, int count, string name)
        {
            if (value < 0 || value >= count)
            {
                throw new ArgumentOutOfRangeException(name, value, $"ome-tiff: {name} {value} is outside the dataset (0..{count - 1}).");
            }
        }
    }

    /// <summary>Opens a stack file and checks its description against its pages.</summary>
    private static CheckedStack CheckStack(DatasetLayout layout, string path)
    {
        var tiff = TiffStack.Open(path);
        return layout.IsOme ? CheckOme(path, tiff) : CheckPlain(path, tiff);
    }

    private static CheckedStack CheckOme(string path, TiffStack tiff)
    {
        var description = tiff.Description;
        if (description is null)
        {
            throw new InvalidOmeXmlException(path, "no OME-XML: an OME-TIFF carries OME-XML in page 0's ImageDescription (tag 270), and this file has no ImageDescription.");
        }

        var trimmed = description.TrimStart();
        if (!(trimmed.StartsWith("<?xml", StringComparison.Ordinal) || trimmed.StartsWith("<OME", StringComparison.Ordinal)) || !trimmed.TrimEnd().EndsWith("OME>", StringComparison.Ordinal))
        {
            throw new InvalidOmeXmlException(path, $"no OME-XML: page 0's ImageDescription is not an OME document; it starts \"{Excerpt(trimmed)}\".");
        }

        var ome = OmeXml.Parse(path, description);
        var info = ome.Stack;
        if (info.Width != tiff.Width || info.Height != tiff.Height || info.PixelType != tiff.PixelType)
        {
            throw new InvalidOmeXmlException(path, $"the OME-XML describes {info.Width}x{info.Height} {info.PixelType} planes; the pages are {tiff.Width}x{tiff.Height} {tiff.PixelType}.");
        }

        if (ome.SizeC != 1 || ome.SizeT != 1)
        {
            throw new InvalidOmeXmlException(path, $"the OME-XML describes SizeC={ome.SizeC}, SizeT={ome.SizeT}; a navigate stack file holds one channel at one timepoint (expected SizeC=1, SizeT=1).");
        }

        if (info.Planes != tiff.Pages)
        {
            throw new PlaneCountMismatchException(path, info.Planes, tiff.Pages,
                $"the OME-XML describes {info.Planes} planes (SizeZ={info.Planes} x SizeC=1 x SizeT=1) but the file has {tiff.Pages} pages. A file left by an acquisition that stopped without closing it has fewer pages than planned.");
        }

        var pageOf = MapPlanes(path, ome, tiff.Pages);
        return new CheckedStack(tiff, info, pageOf);
    }

    private static int[] MapPlanes(string path, OmeStack ome, int pages)
    {
        var planes = ome.Stack.Planes;
        var pageOf = Enumerable.Repeat(-1, planes).ToArray();
        var own = "urn:uuid:" + ome.Stack.Uuid.ToString("D");
        foreach (var block in ome.TiffData)
        {
            if (block.Uuid is { } uuid && !string.Equals(uuid.Urn, own, StringComparison.OrdinalIgnoreCase)
                && !(ome.Stack.Uuid == Guid.Empty && string.Equals(uuid.FileName, ome.Stack.FileName, StringComparison.Ordinal)))
            {
                throw new InvalidOmeXmlException(path, $"TiffData refers to {uuid.FileName ?? uuid.Urn}: planes stored in another file (multi-file OME-TIFF) are not supported; each navigate stack file holds its own planes.");
            }

            var count = block.PlaneCount ?? (ome.TiffData.Count == 1 ? planes - block.FirstZ : 1);
            for (var i = 0; i < count; i++)
            {
                var z = block.FirstZ + i;
                var page = block.Ifd + i;
                if (z >= planes || page >= pages)
                {
                    throw new PlaneCountMismatchException(path, planes, pages,
                        $"TiffData IFD={block.Ifd} FirstZ={block.FirstZ} PlaneCount={count} reaches plane {z} at page {page}; the image has {planes} planes and the file {pages} pages.");
                }

                pageOf[z] = page;
            }
        }

        var missing = Array.IndexOf(pageOf, -1);
        if (missing >= 0)
        {
            throw new InvalidOmeXmlException(path, $"no TiffData block places plane {missing} (of {planes}) on a page.");
        }

        return pageOf;
    }

    private static CheckedStack CheckPlain(string path, TiffStack tiff)
    {
        var facts = PlainDescription.Parse(tiff.Description);
        var shapeZ = ShapeZ(tiff.Description);
        if (shapeZ is { } z && z != tiff.Pages)
        {
            throw new PlaneCountMismatchException(path, z, tiff.Pages,
                $"the description's shape says {z} planes but the file has {tiff.Pages} pages. A file left by an acquisition that stopped without closing it has fewer pages than planned.");
        }

        var (dx, dy) = tiff.Resolution is { } r && r.X > 0 && r.Y > 0 && ResolutionToMicrometres(r.Unit, facts.Unit) is { } perUnit
            ? (perUnit / r.X, perUnit / r.Y)
            : (1, 1);
        var dz = facts.Spacing is { } s && s > 0 ? s * (PlainDescription.MicrometresPer(facts.Unit) ?? 1) : 1;
        _ = DatasetLayout.TryParseStackName(Path.GetFileName(path), out var c, out var t, out _);
        var info = new StackInfo
        {
            FileName = Path.GetFileName(path),
            Width = tiff.Width,
            Height = tiff.Height,
            PixelType = tiff.PixelType,
            SignificantBits = tiff.PixelType.BytesPerPixel() * 8,
            Planes = tiff.Pages,
            VoxelSize = new VoxelSize(dx, dy, dz),
            TimeIncrementSeconds = facts.TimeInterval ?? 1,
            Channel = facts.Channel ?? c,
            Timepoint = facts.Timepoint ?? t,
            Position = facts.Position ?? 0,
            Acquisition = facts.Acquisition,
        };
        return new CheckedStack(tiff, info, [.. Enumerable.Range(0, tiff.Pages)]);

        static int? ShapeZ(string? description)
        {
            if (description is null || !description.TrimStart().StartsWith('{'))
            {
                return null;
            }

            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(description);
                return doc.RootElement.TryGetProperty("shape", out var shape) && shape.ValueKind == System.Text.Json.JsonValueKind.Array && shape.GetArrayLength() == 3
                    && shape[0].TryGetInt32(out var z) ? z : null;
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>µm per resolution unit; for "no unit" the ImageJ description's unit applies.</summary>
    private static double? ResolutionToMicrometres(ResUnit unit, string? descriptionUnit) => unit switch
    {
        ResUnit.CENTIMETER => 1e4,
        ResUnit.INCH => 25400,
        _ => PlainDescription.MicrometresPer(descriptionUnit),
    };

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private long CountStoredFrames()
    {
        if (_storedFrames is { } known)
        {
            return known;
        }

        long frames = 0;
        foreach (var file in DatasetLayout.StackFilesUnder(_layout.Root))
        {
            if (DatasetLayout.TryParseStackName(Path.GetFileName(file), out _, out _, out var suffix) && string.Equals(suffix, _layout.Suffix, StringComparison.OrdinalIgnoreCase))
            {
                using var handle = File.OpenHandle(file);
                frames += TiffHeader.Read(file, handle).IfdOffsets.Count;
            }
        }

        _storedFrames = frames;
        return frames;
    }

    private void CloseReading() => _stacks.Clear();

    /// <summary>A stack file checked against its description, with the page of each plane.</summary>
    private sealed record CheckedStack(TiffStack Stack, StackInfo Info, int[] PageOf);

    /// <summary>LibTiff opened on a stack only when a compressed page needs decoding.</summary>
    private sealed class DecoderSession : IDisposable
    {
        private FileStream? _file;

        public DecoderSession(string path)
        {
            Tiff = new Lazy<Tiff>(() =>
            {
                _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096);
                var stream = new LibTiffStream(_file);
                return stream.Open("r") ?? throw new InvalidTiffStructureException(path, 0, null, $"LibTiff cannot open the file: {stream.TakeErrors()}");
            });
        }

        public Lazy<Tiff> Tiff { get; }

        public void Dispose()
        {
            if (Tiff.IsValueCreated)
            {
                Tiff.Value.Dispose();
            }

            _file?.Dispose();
        }
    }
}
