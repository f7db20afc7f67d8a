namespace Instrumentation.AspNetCore.Tests;

/// <summary>A collector whose Collect always throws.</summary>
internal sealed class ThrowingCollector : ICollector
{
    private static readonly Desc Desc = new("test_broken", "Never collected.", null, null);

    public IEnumerable<Desc> Describe() => [Desc];

    public IEnumerable<IMetric> Collect() => throw new InvalidOperationException("the backing store is unreachable");
}

/// <summary>A collector that holds every scrape inside Collect until released, to keep scrapes open.</summary>
internal sealed class BlockingCollector : ICollector
{
    private static readonly Desc Desc = new("test_blocking", "Waits for the test.", null, null);
    private readonly SemaphoreSlim _entered = new(0);
    private readonly SemaphoreSlim _release = new(0);
    private int _calls;

    /// <summary>How many times Collect was entered.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public IEnumerable<Desc> Describe() => [Desc];

    public IEnumerable<IMetric> Collect()
    {
        Interlocked.Increment(ref _calls);
        _entered.Release();
        _release.Wait(TimeSpan.FromSeconds(30));
        return [ConstMetric.Gauge(Desc, 1)];
    }

    /// <summary>Waits until a scrape is inside <see cref="Collect"/>.</summary>
    public Task WaitUntilEnteredAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => Assert.True(t.Result, "no scrape entered Collect"));

    public void Release(int count = 1) => _release.Release(count);
}
