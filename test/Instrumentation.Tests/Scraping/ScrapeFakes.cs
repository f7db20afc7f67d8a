using System.IO.Compression;
using System.Text;
using Instrumentation.Scraping;

namespace Instrumentation.Tests.Scraping;

/// <summary>A response that records what the handler wrote; optionally holds the body write until <see cref="Gate"/> completes.</summary>
internal sealed class RecordingResponse : IScrapeResponse
{
    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public long? ContentLength { get; set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[]? Body { get; private set; }

    /// <summary>When set, the body is copied only after this completes (a scraper reading slowly).</summary>
    public Task? Gate { get; init; }

    public string Text => Headers.TryGetValue("Content-Encoding", out var encoding) && encoding == "gzip"
        ? new StreamReader(new GZipStream(new MemoryStream(Body!), CompressionMode.Decompress)).ReadToEnd()
        : Encoding.UTF8.GetString(Body ?? []);

    public void SetHeader(string name, string value) => Headers[name] = value;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (Gate is not null)
        {
            await Gate;
        }
        Body = body.ToArray();
    }
}

/// <summary>
/// A collector whose Collect blocks while <see cref="Blocked"/> is set, counting how often it was entered, how many
/// calls run at once at most, and whether any ran on a thread-pool thread.
/// </summary>
internal sealed class GateCollector : ICollector
{
    private static readonly Desc Desc = new("test_gated", "Waits while the test holds the gate.", null, null);
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private readonly SemaphoreSlim _entered = new(0);
    private int _running;
    private int _maxRunning;
    private int _calls;

    public double Value { get; set; } = 1;

    public int Calls => Volatile.Read(ref _calls);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public bool RanOnThreadPool { get; private set; }

    public IEnumerable<Desc> Describe() => [Desc];

    public IEnumerable<IMetric> Collect()
    {
        Interlocked.Increment(ref _calls);
        var running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        RanOnThreadPool |= Thread.CurrentThread.IsThreadPoolThread;
        _entered.Release();
        try
        {
            _open.Wait(TimeSpan.FromSeconds(60));
            return [ConstMetric.Gauge(Desc, Value)];
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Block() => _open.Reset();

    public void Open() => _open.Set();

    public async Task WaitUntilEnteredAsync() => Assert.True(await _entered.WaitAsync(TimeSpan.FromSeconds(30)), "no gather entered Collect");

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
