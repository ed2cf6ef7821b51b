using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Navigate.Data;
using Navigate.Devices;

namespace Navigate.Plugins.OmeTiff.Tests.Infrastructure;

/// <summary>Writes known acquisitions and says what each stack must hold.</summary>
internal static class TestAcquisition
{
    public static AcquisitionMetadata Small(int channels = 2, int z = 3, int timepoints = 2, int positions = 1, bool perStack = true, PixelType type = PixelType.UInt16) => new()
    {
        Width = 40,
        Height = 24,
        Channels = channels,
        ZSteps = z,
        Timepoints = timepoints,
        Positions = positions,
        IsDynamic = positions > 1,
        PerStack = perStack,
        PixelType = type,
        BitDepth = type.BytesPerPixel() * 8,
        VoxelSize = new VoxelSize(0.65, 0.7, 2.5),
        TimeIntervalSeconds = 1.5,
        MicroscopeName = "Nanoscale",
        ChannelInfos = [new ChannelInfo("GFP", "00FF00", "488nm", "525/50", 20, 0.02), new ChannelInfo("RFP", "FF0000", "561 nm")],
        StagePositions = [.. Enumerable.Range(0, positions).Select(p => new StagePosition(1000 + (p * 500), 2000 - p, 300))],
        Extras = new Dictionary<string, string> { ["sample"] = "zebrafish", ["operator"] = "ada" },
    };

    /// <summary>
    /// navigate's acquisition order written as loops (positions slowest, then time; per stack: channel then z; per
    /// slice: z then channel; without a z stack: channel only) — an independent statement of what IndexOf computes.
    /// </summary>
    public static IEnumerable<FrameIndex> Order(AcquisitionMetadata m)
    {
        for (var p = 0; p < m.Positions; p++)
        {
            for (var t = 0; t < m.Timepoints; t++)
            {
                if (m.ZSteps == 1)
                {
                    for (var c = 0; c < m.Channels; c++)
                    {
                        yield return new FrameIndex(c, 0, t, p);
                    }
                }
                else if (m.PerStack)
                {
                    for (var c = 0; c < m.Channels; c++)
                    {
                        for (var z = 0; z < m.ZSteps; z++)
                        {
                            yield return new FrameIndex(c, z, t, p);
                        }
                    }
                }
                else
                {
                    for (var z = 0; z < m.ZSteps; z++)
                    {
                        for (var c = 0; c < m.Channels; c++)
                        {
                            yield return new FrameIndex(c, z, t, p);
                        }
                    }
                }
            }
        }
    }

    public static double Pixel(FrameIndex i, int y, int x) => ((i.C * 977) + (i.Z * 131) + (i.T * 17) + (i.P * 7919) + (y * 3) + (x * 5)) % 65521;

    public static void Fill(Span<byte> frame, AcquisitionMetadata m, FrameIndex i)
    {
        for (var y = 0; y < m.Height; y++)
        {
            for (var x = 0; x < m.Width; x++)
            {
                var v = Pixel(i, y, x);
                var at = (y * m.Width) + x;
                switch (m.PixelType)
                {
                    case PixelType.UInt8: frame[at] = (byte)v; break;
                    case PixelType.UInt16: MemoryMarshal.Cast<byte, ushort>(frame)[at] = (ushort)v; break;
                    case PixelType.Int16: MemoryMarshal.Cast<byte, short>(frame)[at] = (short)(v - 30000); break;
                    case PixelType.UInt32: MemoryMarshal.Cast<byte, uint>(frame)[at] = (uint)v * 70000; break;
                    case PixelType.Float32: MemoryMarshal.Cast<byte, float>(frame)[at] = (float)(v / 3); break;
                    case PixelType.Float64: MemoryMarshal.Cast<byte, double>(frame)[at] = v / 7; break;
                }
            }
        }
    }

    public static StagePosition StageOf(FrameIndex i) => new(100.25 + (i.P * 1000), -200.5 - i.C, 50 + (i.Z * 2.5) + (i.T * 0.125), Theta: 12);

    /// <summary>
    /// Writes frames in acquisition order (all, or the first <paramref name="frames"/>), checking every returned index
    /// against <see cref="Order"/>; returns the bytes each stack (c, t, p) must hold.
    /// </summary>
    public static Dictionary<(int C, int T, int P), List<byte[]>> WriteAll(IDataSource source, AcquisitionMetadata m, long? frames = null, bool positions = true)
    {
        var stacks = new Dictionary<(int, int, int), List<byte[]>>();
        var frame = new byte[m.Width * m.Height * m.PixelType.BytesPerPixel()];
        var n = 0L;
        foreach (var expected in Order(m))
        {
            if (frames is { } limit && n == limit)
            {
                break;
            }

            Fill(frame, m, expected);
            var index = source.Write(frame, positions ? StageOf(expected) : null);
            Assert.Equal(expected, index);
            var key = (expected.C, expected.T, expected.P);
            if (!stacks.TryGetValue(key, out var planes))
            {
                stacks[key] = planes = [];
            }

            Assert.Equal(expected.Z, planes.Count);
            planes.Add((byte[])frame.Clone());
            n++;
        }

        return stacks;
    }

    public static byte[] Concat(IEnumerable<byte[]> planes) => [.. planes.SelectMany(p => p)];

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
