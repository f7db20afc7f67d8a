namespace Instrumentation.Tests.Core;

public class ConcurrencyTests
{
    private const int Threads = 4;
    private const int PerThread = 100_000;

    [Fact]
    public void Counter_totals_are_exact_while_another_thread_gathers()
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "c_total", Help = "C." });
        var vec = new CounterVec(new CounterOptions { Name = "v_total", Help = "V." }, ["t"]);
        registry.MustRegister(counter, vec);

        RunWhileGathering(registry, t =>
        {
            var child = vec.WithLabels((t % 2).ToString());
            for (var i = 0; i < PerThread; i++)
            {
                counter.Inc();
                child.Add(0.5);
            }
        }, families =>
        {
            var value = families.Single(f => f.Name == "c_total").Metrics[0].Value;
            Assert.InRange(value, 0, Threads * PerThread);
        });

        Assert.Equal(Threads * PerThread, counter.Value);
        Assert.Equal(Threads * PerThread * 0.5, vec.Collect().Cast<Counter>().Sum(c => c.Value));
    }

    [Fact]
    public void Every_gathered_histogram_is_self_consistent()
    {
        var registry = new Registry();
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 2, 3] });
        registry.Register(histogram);
        var scrapes = 0;

        RunWhileGathering(registry, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                histogram.Observe(i % 5);
            }
        }, families =>
        {
            var point = families[0].Metrics[0];
            ulong previous = 0;
            foreach (var bucket in point.Buckets)
            {
                Assert.True(bucket.CumulativeCount >= previous, "buckets must be cumulative");
                previous = bucket.CumulativeCount;
            }
            Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
            scrapes++;
        });

        Assert.True(scrapes > 0);
        Assert.Equal((ulong)(Threads * PerThread), histogram.Count);
        // Each thread observes 0,1,2,3,4 repeatedly: sum per 5 observations = 10.
        Assert.Equal(Threads * (PerThread / 5) * 10.0, histogram.Sum);
    }

    [Fact]
    public void Concurrent_WithLabels_creates_each_child_once()
    {
        var vec = new CounterVec(new CounterOptions { Name = "v_total", Help = "V." }, ["k"]);
        Parallel.For(0, Threads, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                vec.WithLabels((i % 100).ToString()).Inc();
            }
        });
        Assert.Equal(100, vec.Count);
        Assert.All(vec.Collect().Cast<Counter>(), c => Assert.Equal(Threads * 100, c.Value));
    }

    [Fact]
    public void Gauge_adds_from_many_threads_are_not_lost()
    {
        var gauge = new Gauge(new GaugeOptions { Name = "g", Help = "G." });
        Parallel.For(0, Threads, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                gauge.Inc();
                gauge.Add(2);
                gauge.Sub(2);
                gauge.Dec();
            }
        });
        Assert.Equal(0, gauge.Value);
    }

    private static void RunWhileGathering(Registry registry, Action<int> work, Action<IReadOnlyList<MetricFamily>> check)
    {
        using var done = new CancellationTokenSource();
        var gatherer = Task.Run(() =>
        {
            do
            {
                check(registry.Gather());
            }
            while (!done.IsCancellationRequested);
        });
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() => work(t))).ToArray();
        Task.WaitAll(workers);
        done.Cancel();
        gatherer.GetAwaiter().GetResult();
        check(registry.Gather());
    }
}
