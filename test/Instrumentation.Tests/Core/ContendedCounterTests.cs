namespace Instrumentation.Tests.Core;

/// <summary>
/// A counter that threads collide on spreads its whole increments over per-core cells; its value must stay exact
/// and never go down while that happens.
/// </summary>
public class ContendedCounterTests
{
    [Fact]
    public async Task Colliding_threads_lose_no_increments_and_reads_never_go_down()
    {
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        const int Threads = 4;
        const int PerThread = 50_000;
        using var start = new Barrier(Threads);
        var writers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                counter.Inc();
                if (i % 1000 == 0)
                {
                    counter.Add(3);
                    counter.Add(0.5);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        var last = 0.0;
        while (!writers.All(w => w.IsCompleted))
        {
            var now = counter.Value;
            Assert.True(now >= last, $"Counter went down from {last} to {now}.");
            last = now;
        }
        await Task.WhenAll(writers);

        Assert.Equal(Threads * (PerThread + 50 * 3.5), counter.Value);
        var point = new MetricPoint();
        counter.Write(point);
        Assert.Equal(counter.Value, point.Value);
    }
}
