using System.Buffers.Binary;
using Microsoft.Extensions.DependencyInjection;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins;

namespace Navigate.Host.Tests.Infrastructure;

/// <summary>
/// An in-memory data format for the engine's unit tests: it records, for each place (c, z, t, p), the frame number the
/// synthetic camera wrote into the first pixels, and can be slowed down to make the writer fall behind.
/// </summary>
internal sealed class RecordingFormat : IDataSourceFormat, INavigatePlugin
{
    public TimeSpan WriteDelay { get; init; }

    public bool RecordsDrops { get; init; } = true;

    public RecordingSource? Last { get; private set; }

    public string Name => "recording";

    public IReadOnlyList<string> Aliases => [];

    public IReadOnlyList<string> FileExtensions => [".rec"];

    public PluginInfo Info => new("recording", "1.0.0");

    public void ConfigureServices(IServiceCollection services, PluginContext context) => services.AddSingleton<IDataSourceFormat>(this);

    public IDataSource Create(string path, AcquisitionMetadata metadata, DataSourceOptions options)
        => Last = RecordsDrops ? new DropRecordingSource(path, metadata, WriteDelay) : new RecordingSource(path, metadata, WriteDelay);

    public IDataSource Open(string path) => throw new NotSupportedException();

    public bool CanOpen(string path) => false;
}

internal class RecordingSource(string path, AcquisitionMetadata metadata, TimeSpan delay) : IDataSource
{
    public Dictionary<FrameIndex, long> FrameNumbers { get; } = [];

    public List<(int Position, StagePosition? View)> PositionsStarted { get; } = [];

    public List<FrameIndex> Skipped { get; } = [];

    public bool Closed { get; private set; }

    protected long Counter { get; set; }

    public string FileName => path;

    public DataSourceMode Mode => DataSourceMode.Write;

    public AcquisitionMetadata Metadata => metadata;

    public DataShape Shape => new(metadata.Width, metadata.Height, metadata.Channels, metadata.ZSteps, metadata.Timepoints);

    public int Positions => metadata.Positions;

    public IReadOnlyList<Size3> Shapes => [new(metadata.Width, metadata.Height, metadata.ZSteps)];

    public IReadOnlyList<Size3> Resolutions => [new(1, 1, 1)];

    public IReadOnlyList<Size3> Subdivisions => Shapes;

    public VoxelSize VoxelSize => metadata.VoxelSize;

    public long Nbytes => metadata.FrameCount * metadata.Width * metadata.Height * 2;

    public int Bits => 16;

    public double Dt => metadata.TimeIntervalSeconds;

    public long FramesWritten => Counter;

    public void NewPosition(int position, StagePosition? view) => PositionsStarted.Add((position, view));

    public FrameIndex Write(ReadOnlySpan<byte> frame, StagePosition? stagePosition = null)
    {
        if (delay > TimeSpan.Zero)
        {
            Thread.Sleep(delay);
        }

        var index = metadata.IndexOf(Counter++);
        FrameNumbers[index] = BinaryPrimitives.ReadInt64LittleEndian(frame);
        return index;
    }

    public ImageData GetSlice(Range x, Range y, int c, Range z, int t = 0, int p = 0, int subdiv = 0) => throw new NotSupportedException();

    public ImageData GetData(int timepoint = 0, int position = 0, int channel = 0, int z = -1, int resolution = 1) => throw new NotSupportedException();

    public void Close() => Closed = true;

    public void Dispose() => Close();

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}

internal sealed class DropRecordingSource(string path, AcquisitionMetadata metadata, TimeSpan delay)
    : RecordingSource(path, metadata, delay), IRecordsDroppedFrames
{
    public FrameIndex SkipDroppedFrame()
    {
        var index = Metadata.IndexOf(Counter++);
        Skipped.Add(index);
        return index;
    }
}
