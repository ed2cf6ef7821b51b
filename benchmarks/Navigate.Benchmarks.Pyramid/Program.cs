using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Navigate.Devices;
using Navigate.Plugins.OmeZarr.Pyramid;
using Navigate.Plugins.OmeZarr.Zarr;
using Navigate.Plugins.Synthetic;

// Per-frame cost of the streaming pyramid next to what the chunk workers spend compressing the same planes, on
// synthetic camera frames. The machine may be shared: each figure is the best of several rounds (the least disturbed).
// Usage: dotnet run -c Release -- [width] [height] [levels] [rounds]
var width = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2048;
var height = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2048;
var levels = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 7;
const int FramesPerRound = 32;
const int Distinct = 8;
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
var copyTarget = new byte[frameBytes];
var context = new ZarrCodecContext(2, null);

Console.WriteLine($"Pyramid cost per {width}×{height} uint16 frame ({frameBytes / 1e6:F1} MB), {levels} levels, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}; best of {rounds} rounds of {FramesPerRound} frames");
var build = Measure("PlanePyramid.Build (all levels ≥ 1)", () => pyramid.Build(frames[Next()]));
var copy = Measure("copy of levels ≥ 1 into chunk buffers", () =>
{
    var offset = 0;
    for (var k = 1; k < levels; k++)
    {
        var plane = pyramid.Level(k);
        plane.CopyTo(copyTarget.AsSpan(offset));
        offset += plane.Length;
    }
});
var lz4Level0 = Measure("blosc-lz4 of level 0 (worker)", () => codec.Encode(frames[Next()], encoded, context));
pyramid.Build(frames[0]);
var lz4Levels = Measure("blosc-lz4 of levels ≥ 1 (worker)", () =>
{
    for (var k = 1; k < levels; k++)
    {
        codec.Encode(pyramid.Level(k), encoded, context);
    }
});
Console.WriteLine();
Console.WriteLine($"writer thread: pyramid {build + copy:F2} ms/frame = {(build + copy) / 1e3 * (1e9 / frameBytes):F3} s per GB of frames");
Console.WriteLine($"all threads:   lz4 alone {lz4Level0:F2} ms/frame; the pyramid adds {build + copy + lz4Levels:F2} ms/frame ({(build + copy + lz4Levels) / lz4Level0 * 100:F0} % of lz4 alone; levels hold {levelBytes * 100.0 / frameBytes:F0} % more bytes)");

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

    Console.WriteLine($"  {name,-42} {best,8:F3} ms/frame  {frameBytes / (best / 1e3) / 1e6,8:F0} MB/s of frames");
    return best;
}
