namespace Instrumentation.Tests.Core;

/// <summary>
/// A histogram that threads collide on moves to per-core shards; buckets, count and sum must stay exact and every
/// scrape taken meanwhile self-consistent (count equal to the +Inf bucket, buckets cumulative).
/// </summary>
public class ContendedHistogramTests
{
    [Fact]
    public async Task Colliding_threads_lose_no_observations_and_scrapes_stay_consistent()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 2, 4, 8] });
        const int Threads = 4;
        const int PerThread = 40_000;
        using var start = new Barrier(Threads);
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                histogram.Observe(i % 10); // 0..9: buckets le 1, 2, 4, 8 and +Inf get 2, 1, 2, 4 and 1 of every 10
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        while (!writers.All(w => w.IsCompleted))
        {
            var point = new MetricPoint();
            histogram.Write(point);
            Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
            for (var i = 1; i < point.Buckets.Length; i++)
            {
                Assert.True(point.Buckets[i].CumulativeCount >= point.Buckets[i - 1].CumulativeCount);
            }
        }
        await Task.WhenAll(writers);

        var final = new MetricPoint();
        histogram.Write(final);
        const ulong Total = Threads * PerThread;
        Assert.Equal([Total / 10 * 2, Total / 10 * 3, Total / 10 * 5, Total / 10 * 9, Total], final.Buckets.Select(b => b.CumulativeCount));
        Assert.Equal(Total, final.Count);
        Assert.Equal(Total, histogram.Count);
        Assert.Equal(Threads * (PerThread / 10) * 45.0, final.Sum);
        Assert.Equal(final.Sum, histogram.Sum);
    }
}
