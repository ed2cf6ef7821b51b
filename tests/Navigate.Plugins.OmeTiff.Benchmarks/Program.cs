using System.Diagnostics;
using System.Globalization;
using Navigate.Data;
using Navigate.Devices;
using Navigate.Plugins.OmeTiff;

// Streams 2048 x 2048 uint16 frames (8 MiB each, as an sCMOS camera delivers them) into an OME-TIFF stack and reports
// the sustained rate and what each frame allocates. Writes go to the page cache; on a machine whose disk is slower
// than that, the disk sets the rate once the cache is full.
var frames = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
var folder = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "navigate-ometiff-bench");
var format = new OmeTiffFormat();
var frame = GC.AllocateUninitializedArray<byte>(2048 * 2048 * 2, pinned: true);
new Random(1).NextBytes(frame);

// The first pass only warms up the JIT (tiered compilation) and the file system; it is not reported.
foreach (var (bigtiff, report) in new[] { ("true", false), ("false", false), ("false", true), ("true", true) })
{
    if (Directory.Exists(folder))
    {
        Directory.Delete(folder, recursive: true);
    }

    var metadata = new AcquisitionMetadata { Width = 2048, Height = 2048, ZSteps = frames, VoxelSize = new VoxelSize(0.1625, 0.1625, 0.5) };
    var options = new DataSourceOptions { Settings = new Dictionary<string, string> { ["bigtiff"] = bigtiff } };
    if (bigtiff == "false" && (long)frames * frame.Length > uint.MaxValue)
    {
        continue;
    }

    using var source = format.Create(Path.Combine(folder, "CH00_000000.ome.tiff"), metadata, options);
    var position = new StagePosition(100, 200, 0);
    for (var i = 0; i < 8; i++)
    {
        source.Write(frame, position);
    }

    var gen0 = GC.CollectionCount(0);
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    for (var i = 8; i < frames; i++)
    {
        source.Write(frame, position);
    }

    var seconds = clock.Elapsed.TotalSeconds;
    var perFrame = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (frames - 8);
    clock.Restart();
    source.Close();
    if (!report)
    {
        continue;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"bigtiff={bigtiff,-5} {frames - 8} frames: {(frames - 8) * (double)frame.Length / seconds / 1e6:F0} MB/s, {(frames - 8) / seconds:F0} frames/s, {perFrame} B allocated per frame, {GC.CollectionCount(0) - gen0} gen-0 GCs, close {clock.Elapsed.TotalMilliseconds:F1} ms"));
}

Directory.Delete(folder, recursive: true);
