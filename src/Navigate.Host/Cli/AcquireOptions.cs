using System.CommandLine;
using System.Globalization;
using Navigate.Data;
using Navigate.Experiment;
using Navigate.Host.Acquisition;

namespace Navigate.Host.Cli;

/// <summary>The options of <c>navigate acquire</c> and how they become an <see cref="AcquisitionRequest"/>.</summary>
internal sealed class AcquireOptions
{
    public const string DefaultOutput = "acquisition.ome.zarr";

    public Option<FileInfo?> Experiment { get; } = new("--experiment") { Description = "navigate's experiment YAML (experiment.yml); the options below override it." };

    public Option<FileInfo?> Configuration { get; } = new("--configuration") { Description = "navigate's configuration.yaml, for the pixel size of --experiment (default 1 µm)." };

    public Option<string?> Out { get; } = new("--out", "-o") { Description = $"Where the dataset goes (default ./{DefaultOutput}; ./acquisition-<format> for other formats)." };

    public Option<string> Format { get; } = new("--format") { Description = "Data format (ome-zarr, or a plugin's format).", DefaultValueFactory = _ => Data.FormatCatalog.DefaultFormat };

    public Option<string?> Camera { get; } = new("--camera") { Description = "Camera name (default: synthetic)." };

    public Option<int?> Width { get; } = new("--width") { Description = "Frame width in pixels (default 512)." };

    public Option<int?> Height { get; } = new("--height") { Description = "Frame height in pixels (default 512)." };

    public Option<int?> Z { get; } = new("--z") { Description = "Planes per stack (default 16)." };

    public Option<int?> Channels { get; } = new("--channels") { Description = "Channels (default 2)." };

    public Option<int?> Timepoints { get; } = new("--timepoints") { Description = "Timepoints (default 2)." };

    public Option<int?> Positions { get; } = new("--positions") { Description = "Stage positions (default 2)." };

    public Option<string?> Compression { get; } = new("--compression") { Description = "none|lz4|zstd|gzip (format default when absent)." };

    public Option<int?> Clevel { get; } = new("--clevel") { Description = "Compression level." };

    public Option<int?> Levels { get; } = new("--levels") { Description = "Pyramid levels, including full resolution." };

    public Option<string?> Chunks { get; } = new("--chunks") { Description = "Chunk shape Z,Y,X." };

    public Option<string?> Layout { get; } = new("--layout") { Description = "OME-Zarr layout: navigate|bioformats2raw|hcs (hcs is the default with --zarr-version 3)." };

    public Option<string?> ZarrVersion { get; } = new("--zarr-version") { Description = "OME-Zarr: 2 (OME-NGFF 0.4, default) or 3 (OME-NGFF 0.5, sharded)." };

    public Option<string?> Shard { get; } = new("--shard") { Description = "OME-Zarr v3 shard shape Z,Y,X, a multiple of --chunks (default 32,256,256)." };

    public Option<int?> Binning { get; } = new("--binning") { Description = "N×N binning (1, 2, 4): --width/--height are binned pixels; the x/y voxel size is multiplied by N." };

    public Option<double?> FrameRate { get; } = new("--frame-rate") { Description = "Camera frame rate in frames/s (default: as fast as the writer takes frames)." };

    public Option<int?> Ring { get; } = new("--ring") { Description = "Frame buffers between camera and writer (default: 64 MiB of frames, 8 to 256)." };

    public Option<bool> Sync { get; } = new("--sync") { Description = "Flush the OS cache to disk before the clock stops (durable timings)." };

    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Replace existing data at --out." };

    public Option<bool> FailOnDrop { get; } = new("--fail-on-drop") { Description = $"Exit with code {AcquireCommand.DroppedFrames} when any frame was dropped." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the summary as JSON on stdout (no progress)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Experiment, Configuration, Out, Format, Camera, Width, Height, Z, Channels, Timepoints, Positions, Compression, Clevel, Levels, Chunks, Layout, ZarrVersion, Shard, Binning, FrameRate, Ring, Sync, Overwrite, FailOnDrop, Json })
        {
            command.Options.Add(option);
        }
    }

    public AcquisitionRequest ToRequest(ParseResult parse)
    {
        var metadata = new AcquisitionMetadata { Width = 512, Height = 512, ZSteps = 16, Channels = 2, Timepoints = 2, Positions = 2, IsDynamic = true, VoxelSize = new VoxelSize(0.65, 0.65, 2) };
        var configuration = parse.GetValue(Configuration);
        if (parse.GetValue(Experiment) is { } experiment)
        {
            metadata = ReadExperiment(experiment, configuration);
        }
        else if (configuration is not null)
        {
            throw new UsageException($"--configuration {configuration.FullName}: only read together with --experiment.");
        }

        metadata = metadata with
        {
            Width = Positive(parse.GetValue(Width), "--width") ?? metadata.Width,
            Height = Positive(parse.GetValue(Height), "--height") ?? metadata.Height,
            ZSteps = Positive(parse.GetValue(Z), "--z") ?? metadata.ZSteps,
            Channels = Positive(parse.GetValue(Channels), "--channels") ?? metadata.Channels,
            Timepoints = Positive(parse.GetValue(Timepoints), "--timepoints") ?? metadata.Timepoints,
            Positions = Positive(parse.GetValue(Positions), "--positions") ?? metadata.Positions,
        };
        var binning = Positive(parse.GetValue(Binning), "--binning") ?? 1;
        if (binning > 1)
        {
            // A binned pixel covers binning × binning camera pixels of the specimen.
            metadata = metadata with { VoxelSize = metadata.VoxelSize with { X = metadata.VoxelSize.X * binning, Y = metadata.VoxelSize.Y * binning } };
        }

        if (metadata.ChannelInfos.Count > metadata.Channels)
        {
            metadata = metadata with { ChannelInfos = [.. metadata.ChannelInfos.Take(metadata.Channels)] };
        }

        if (metadata.StagePositions.Count < metadata.Positions)
        {
            // Without an experiment, positions are a row along x, 1 mm apart, so translations in the dataset differ.
            metadata = metadata with { StagePositions = [.. Enumerable.Range(0, metadata.Positions).Select(p => new Navigate.Devices.StagePosition(p * 1000.0, 0, 0, 0, 0))] };
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Put(settings, "compression", parse.GetValue(Compression));
        Put(settings, "clevel", parse.GetValue(Clevel)?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "levels", Positive(parse.GetValue(Levels), "--levels")?.ToString(CultureInfo.InvariantCulture));
        Put(settings, "chunks", parse.GetValue(Chunks));
        Put(settings, "layout", parse.GetValue(Layout));
        Put(settings, "zarr_version", parse.GetValue(ZarrVersion));
        Put(settings, "shard", parse.GetValue(Shard));
        if (parse.GetValue(Experiment) is { } experimentFile && parse.GetValue(Format)!.Contains("zarr", StringComparison.OrdinalIgnoreCase))
        {
            // navigate's OMEZarrParameters (Zarr v3, chunk and shard shapes, scale factors) unless an option says otherwise.
            foreach (var (key, value) in ReadOmeZarrParameters(experimentFile))
            {
                settings.TryAdd(key, value);
            }
        }

        var rate = parse.GetValue(FrameRate);
        if (rate is { } r && !(r > 0))
        {
            throw new UsageException($"--frame-rate {r.ToString(CultureInfo.InvariantCulture)}: expected a rate above 0 frames/s.");
        }

        return new AcquisitionRequest
        {
            Metadata = metadata,
            OutputPath = parse.GetValue(Out) ?? DefaultOutputFor(parse.GetValue(Format)!),
            Format = parse.GetValue(Format)!,
            FormatOptions = new DataSourceOptions { Overwrite = parse.GetValue(Overwrite), Settings = settings },
            Camera = parse.GetValue(Camera),
            FrameRate = rate,
            Binning = binning,
            RingFrames = Positive(parse.GetValue(Ring), "--ring"),
            Durable = parse.GetValue(Sync),
        };
    }

    private static string DefaultOutputFor(string format)
        => format.Contains("zarr", StringComparison.OrdinalIgnoreCase) ? DefaultOutput : $"acquisition-{format.ToLowerInvariant()}";

    private static IReadOnlyDictionary<string, string> ReadOmeZarrParameters(FileInfo experiment)
    {
        try
        {
            return OmeZarrParametersReader.Read(experiment.FullName);
        }
        catch (NavigateExperimentException e)
        {
            throw new UsageException($"--experiment: {e.Message}");
        }
    }

    private static AcquisitionMetadata ReadExperiment(FileInfo experiment, FileInfo? configuration)
    {
        foreach (var (file, option) in new[] { (experiment, "--experiment"), (configuration, "--configuration") })
        {
            if (file is not null && !file.Exists)
            {
                throw new UsageException($"{option} {file.FullName}: no such file.");
            }
        }

        try
        {
            return NavigateExperimentReader.Read(experiment.FullName, configuration?.FullName);
        }
        catch (NavigateExperimentException e)
        {
            throw new UsageException($"--experiment: {e.Message}");
        }
    }

    private static int? Positive(int? value, string name)
        => value is { } v && v < 1 ? throw new UsageException($"{name} {v}: expected a whole number of at least 1.") : value;

    private static void Put(Dictionary<string, string> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings[key] = value;
        }
    }
}
