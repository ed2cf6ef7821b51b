using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr;
using Navigate.Plugins.OmeZarr.Pyramid;
using Navigate.Plugins.OmeZarr.Zarr;
using Navigate.Plugins.Synthetic;

// Per-frame cost of the streaming pyramid next to what the chunk workers spend compressing the same planes, on
// synthetic camera frames. The machine may be shared: each figure is the best of several rounds (the least disturbed).
// Usage: dotnet run -c Release -- [width] [height] [levels] [rounds] [writer]
// With "writer" last, only the data source runs (rounds times, with the given levels): a target for perf.
var writerOnly = args.Length > 0 && args[^1] == "writer";
var numbers = writerOnly ? args[..^1] : args;
var width = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 2048;
var height = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 2048;
var levels = numbers.Length > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 4;
var rounds = numbers.Length > 3 ? int.Parse(numbers[3], CultureInfo.InvariantCulture) : 7;
const int FramesPerRound = 32;
const int Distinct = 8;
const int WriterFrames = 128;
var counter = 0;

var scene = SyntheticFrames.CreateScene(width, height, seed: 1);
var frames = new byte[Distinct][];
for (var i = 0; i < Distinct; i++)
{
    var pixels = new ushort[width * height];
    SyntheticFrames.Render(scene, pixels, i);
    frames[i] = MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray();
}

var frameBytes = frames[0].Length;
var pyramid = new PlanePyramid(width, height, PixelType.UInt16, levels);
var levelBytes = 0;
for (var k = 1; k < levels; k++)
{
    var (w, h) = pyramid.Shape(k);
    levelBytes += w * h * 2;
}

var codec = new BloscCodec(BloscCompressor.LZ4, 5, BloscShuffle.ByteShuffle);
var encoded = new byte[codec.GetMaxEncodedLength(frameBytes)];
var context = new ZarrCodecContext(2, null);

if (writerOnly)
{
    var only = Directory.CreateTempSubdirectory("navigate-pyramid-bench-").FullName;
    for (var r = 0; r < rounds; r++)
    {
        WriteDataset(only, levels);
    }

    Directory.Delete(only, recursive: true);
    return;
}

Console.WriteLine($"Pyramid cost per {width}×{height} uint16 frame ({frameBytes / 1e6:F1} MB), {levels} levels, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}; best of {rounds} rounds of {FramesPerRound} frames");
// Chunk buffers come from a pool of tens of MB, so they are cold: the destinations rotate through as many.
var chunkSets = new ArraySegment<byte>[Distinct][];
for (var i = 0; i < Distinct; i++)
{
    chunkSets[i] = new ArraySegment<byte>[levels];
    for (var k = 1; k < levels; k++)
    {
        chunkSets[i][k] = new byte[pyramid.LevelBytes(k)];
    }
}

var build = Measure("PlanePyramid.Build into its own buffers", () => pyramid.Build(frames[Next()]));
var buildAndCopy = Measure("  + copy of the levels into chunk buffers", () =>
{
    pyramid.Build(frames[Next()]);
    var set = chunkSets[counter % Distinct];
    for (var k = 1; k < levels; k++)
    {
        pyramid.Level(k).CopyTo(set[k]);
    }
});
var buildInPlace = Measure("PlanePyramid.Build straight into chunk buffers", () => pyramid.Build(frames[Next()], chunkSets[counter % Distinct]));
var lz4Level0 = Measure("blosc-lz4 of level 0 (worker)", () => codec.Encode(frames[Next()], encoded, context));
pyramid.Build(frames[0]);
var lz4Levels = Measure("blosc-lz4 of levels ≥ 1 (worker)", () =>
{
    for (var k = 1; k < levels; k++)
    {
        codec.Encode(pyramid.Level(k), encoded, context);
    }
});
var sizes = new List<string> { $"level 0 {frameBytes / (double)codec.Encode(frames[0], encoded, context):F2}" };
for (var k = 1; k < levels; k++)
{
    sizes.Add($"level {k} {pyramid.Level(k).Length / (double)codec.Encode(pyramid.Level(k), encoded, context):F2}");
}

Console.WriteLine($"  blosc-lz4 compression ratios: {string.Join(", ", sizes)}");
Console.WriteLine();
Console.WriteLine($"writer thread: pyramid {buildInPlace:F2} ms/frame = {buildInPlace / 1e3 * (1e9 / frameBytes):F3} s per GB of frames");
Console.WriteLine($"all threads:   lz4 alone {lz4Level0:F2} ms/frame; the pyramid adds {buildInPlace + lz4Levels:F2} ms/frame ({(buildInPlace + lz4Levels) / lz4Level0 * 100:F0} % of lz4 alone; levels hold {levelBytes * 100.0 / frameBytes:F0} % more bytes)");

// The whole writer (no camera, no fsync): frames through OmeZarrDataSource.Write with the chunk workers, lz4.
Console.WriteLine();
Console.WriteLine($"OmeZarrDataSource, {WriterFrames} frames, lz4, one chunk per plane (CPU is the whole process: writer + workers + kernel)");
var folder = Directory.CreateTempSubdirectory("navigate-pyramid-bench-").FullName;
try
{
    var rates = new Dictionary<int, (double Wall, double Cpu)>();
    foreach (var writerLevels in new[] { 1, levels, 1, levels })
    {
        var run = WriteDataset(folder, writerLevels);
        rates[writerLevels] = rates.TryGetValue(writerLevels, out var best) ? (Math.Min(best.Wall, run.Wall), Math.Min(best.Cpu, run.Cpu)) : run;
    }

    Console.WriteLine($"  +{levels}-level pyramid: best wall {rates[levels].Wall / rates[1].Wall * 100 - 100:F0} % longer, best CPU {rates[levels].Cpu / rates[1].Cpu * 100 - 100:F0} % more than without");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

(double Wall, double Cpu) WriteDataset(string folder, int writerLevels)
{
    var metadata = new AcquisitionMetadata { Width = width, Height = height, ZSteps = WriterFrames, PixelType = PixelType.UInt16 };
    var options = new DataSourceOptions
    {
        Overwrite = true,
        Settings = new Dictionary<string, string> { ["compression"] = "lz4", ["levels"] = writerLevels.ToString(CultureInfo.InvariantCulture), ["chunks"] = $"1,{height},{width}" },
    };
    GC.Collect();
    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    using var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    using (var source = OmeZarrDataSource.Create(Path.Combine(folder, "bench.ome.zarr"), metadata, options))
    {
        for (var i = 0; i < WriterFrames; i++)
        {
            source.Write(frames[i % Distinct]);
        }

        source.Close();
    }

    clock.Stop();
    self.Refresh();
    var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
    var gb = (double)frameBytes * WriterFrames / 1e9;
    Console.WriteLine($"  levels {writerLevels}: {gb * 1e3 / clock.Elapsed.TotalSeconds,6:F0} MB/s, CPU {cpuSeconds / gb:F2} s/GB, GCs {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:F1} MB");
    return (clock.Elapsed.TotalSeconds, cpuSeconds);
}

int Next() => counter++ % Distinct;

double Measure(string name, Action body)
{
    for (var i = 0; i < 4; i++)
    {
        body();
    }

    var best = double.MaxValue;
    for (var r = 0; r < rounds; r++)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < FramesPerRound; i++)
        {
            body();
        }

        best = Math.Min(best, clock.Elapsed.TotalMilliseconds / FramesPerRound);
    }

    Console.WriteLine($"  {name,-48} {best,8:F3} ms/frame  {frameBytes / (best / 1e3) / 1e6,8:F0} MB/s of frames");
    return best;
}
