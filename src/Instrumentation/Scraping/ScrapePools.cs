using System.Buffers;
using System.Collections.Concurrent;

namespace Instrumentation.Scraping;

/// <summary>
/// Keeps the storage of finished scrapes for the next ones — gather buffers, encoded output, gzip output — a few of
/// each, so that Prometheus' steady scraping reuses storage instead of allocating it again.
/// </summary>
internal sealed class ScrapePools
{
    // Scrapers rarely overlap; a burst beyond this allocates and is let go.
    private const int MaxKept = 4;
    private readonly ConcurrentQueue<GatherBuffer> _gather = new();
    private readonly ConcurrentQueue<ArrayBufferWriter<byte>> _output = new();
    private readonly ConcurrentQueue<MemoryStream> _gzip = new();

    public GatherBuffer RentGather() => _gather.TryDequeue(out var buffer) ? buffer : new GatherBuffer();

    public void Return(GatherBuffer buffer) => Keep(_gather, buffer);

    public ArrayBufferWriter<byte> RentOutput()
    {
        if (_output.TryDequeue(out var buffer))
        {
            buffer.ResetWrittenCount();
            return buffer;
        }
        return new ArrayBufferWriter<byte>(16 * 1024);
    }

    public void Return(ArrayBufferWriter<byte> buffer) => Keep(_output, buffer);

    public MemoryStream RentGzip()
    {
        if (_gzip.TryDequeue(out var stream))
        {
            stream.SetLength(0);
            return stream;
        }
        return new MemoryStream(8 * 1024);
    }

    public void Return(MemoryStream stream) => Keep(_gzip, stream);

    private static void Keep<T>(ConcurrentQueue<T> queue, T item)
    {
        if (queue.Count < MaxKept)
        {
            queue.Enqueue(item);
        }
    }
}
