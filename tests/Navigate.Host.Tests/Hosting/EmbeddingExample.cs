// The example in docs/embedding.md is the code between the markers below, verbatim; EmbeddingExampleTests keeps the two
// in step and runs it.
// <embedding-example>
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Navigate.Devices;
using Navigate.Host.Devices;
using Navigate.Host.Hosting;
using Navigate.Host.Plugins;

namespace MyLab.Microscope;

public static class EmbeddedAcquisition
{
    public static async Task<long> GrabAsync(string pluginsJson, int frames, CancellationToken cancellationToken)
    {
        using var logging = LoggerFactory.Create(b => b.AddConsole());
        await using var services = new ServiceCollection()
            .AddNavigate(o =>
            {
                o.PluginsFile = pluginsJson;
                o.LoggerFactory = logging;
            })
            .BuildServiceProvider();

        // Which plugins loaded, and why the others did not.
        foreach (var plugin in services.GetRequiredService<PluginCatalog>().Plugins)
        {
            Console.WriteLine($"{plugin.Name}: {plugin.Status} {plugin.Reason}");
        }

        using var camera = services.GetRequiredService<DeviceCatalog>().OpenCamera("synthetic");
        camera.Configure(camera.Settings with { ExposureSeconds = 0.005, Roi = new RegionOfInterest(0, 0, 512, 256) });
        using var pool = new FramePool(capacity: 8, maxWidth: 512, maxHeight: 256, PixelType.UInt16);
        camera.StartSequence(pool, frames);
        long sum = 0;
        while (camera.WaitForFrame(TimeSpan.FromSeconds(1), out var frame, cancellationToken) != FrameWaitResult.Completed)
        {
            using (frame)
            {
                if (frame is not null)
                {
                    sum += frame.FrameNumber; // process the pixels in frame.Pixels<ushort>() here
                }
            }
        }

        Console.WriteLine($"delivered {camera.Counters.FramesDelivered}, dropped {camera.Counters.FramesDropped}");
        return sum;
    }
}
// </embedding-example>
