using System.Buffers;
using System.Collections.Concurrent;

namespace Instrumentation.AspNetCore;

/// <summary>The storage one scrape needs: where the registry gathers into and where the exposition is written.</summary>
internal sealed class ScrapeBuffers
{
    public GatherBuffer Gather { get; } = new();

    public ArrayBufferWriter<byte> Output { get; } = new(16 * 1024);
}

/// <summary>
/// Keeps the buffers of finished scrapes for the next ones: one set per concurrent scrape, up to a few, so that
/// Prometheus' steady scraping reuses storage instead of allocating it again.
/// </summary>
internal sealed class ScrapeBufferPool
{
    // Scrapers rarely overlap; a burst beyond this allocates and is let go.
    private const int MaxKept = 4;
    private readonly ConcurrentQueue<ScrapeBuffers> _free = new();

    public ScrapeBuffers Rent()
    {
        if (_free.TryDequeue(out var buffers))
        {
            buffers.Output.ResetWrittenCount();
            return buffers;
        }
        return new ScrapeBuffers();
    }

    public void Return(ScrapeBuffers buffers)
    {
        if (_free.Count < MaxKept)
        {
            _free.Enqueue(buffers);
        }
    }
}
