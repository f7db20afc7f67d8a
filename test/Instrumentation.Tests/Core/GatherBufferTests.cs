namespace Instrumentation.Tests.Core;

public class GatherBufferTests
{
    [Fact]
    public void Gathering_into_a_reused_buffer_gives_current_values_and_reuses_storage()
    {
        var registry = new Registry();
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["k"]);
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1] });
        registry.MustRegister(vec, histogram);
        vec.WithLabels("a").Inc();
        histogram.Observe(0.5);
        var buffer = new GatherBuffer();

        var first = registry.Gather(buffer);
        var firstPoint = first.Single(f => f.Name == "x_total").Metrics[0];
        var firstBuckets = first.Single(f => f.Name == "h").Metrics[0].Buckets;
        Assert.Equal(1, firstPoint.Value);

        vec.WithLabels("a").Inc();
        histogram.Observe(2);
        var second = registry.Gather(buffer);
        var point = second.Single(f => f.Name == "x_total").Metrics[0];
        var h = second.Single(f => f.Name == "h").Metrics[0];
        Assert.Equal(2, point.Value);
        Assert.Equal([1UL, 2], h.Buckets.Select(b => b.CumulativeCount));
        Assert.Same(firstBuckets, h.Buckets);
    }

    [Fact]
    public void Steady_state_gather_of_labelled_families_into_a_reused_buffer_allocates_nothing_per_family_or_series()
    {
        var registry = new Registry();
        for (var f = 0; f < 40; f++)
        {
            var vec = new CounterVec(new CounterOptions { Name = $"family_{f}_total", Help = "F.", MaxSeries = 25 }, ["k"]);
            registry.MustRegister(vec);
            for (var i = 0; i < 30; i++)
            {
                vec.WithLabels("v" + i).Inc(); // the last five go to the overflow series, which is collected too
            }
        }
        var buffer = new GatherBuffer();
        var families = registry.Gather(buffer);
        Assert.Equal(40 * 26, families.Where(f => f.Name != "metrics_series_dropped_total").Sum(family => family.Metrics.Count));
        // The registry's own counter of what the full families folded: five label sets each.
        Assert.Equal(Enumerable.Repeat(5.0, 40), families.Single(f => f.Name == "metrics_series_dropped_total").Metrics.Select(p => p.Value));
        // The overflow series is handed out in its sorted place ("__overflow__" sorts before "v0").
        Assert.Equal(CounterVec.OverflowLabelValue, families[0].Metrics[0].Labels.GetValue("k"));
        Assert.Equal("v0", families[0].Metrics[1].Labels.GetValue("k"));
        registry.Gather(buffer);

        var allocated = BestOfThreeAllocation(() => registry.Gather(buffer));

        // 40 families, 1040 series: an enumerator per family alone would be over 1.5 KB.
        Assert.True(allocated < 512, $"Gather allocated {allocated} bytes.");
    }

    [Fact]
    public void Steady_state_gather_of_summaries_reuses_each_point_quantile_array()
    {
        var registry = new Registry();
        var summaries = new SummaryVec(new SummaryOptions
        {
            Name = "latency_seconds", Help = "L.", Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.99] = 0.001 },
        }, ["route"]);
        registry.MustRegister(summaries);
        for (var i = 0; i < 100; i++)
        {
            summaries.WithLabels("/r" + i).Observe(i);
        }
        var buffer = new GatherBuffer();
        var first = registry.Gather(buffer).Single().Metrics[0].Quantiles;
        registry.Gather(buffer);

        var allocated = BestOfThreeAllocation(() => registry.Gather(buffer));

        var again = registry.Gather(buffer).Single().Metrics[0];
        Assert.Same(first, again.Quantiles);
        Assert.Equal([0.5, 0.99], again.Quantiles.Select(q => q.Quantile));
        // 100 summary series: a quantile array per series per scrape would be several kilobytes.
        Assert.True(allocated < 512, $"Gather allocated {allocated} bytes.");
    }

    [Fact]
    public void Removed_series_and_families_disappear_from_a_reused_buffer()
    {
        var registry = new Registry();
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["k"]);
        var gauge = new Gauge(new GaugeOptions { Name = "g", Help = "G." });
        registry.MustRegister(vec, gauge);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        var buffer = new GatherBuffer();
        Assert.Equal(2, registry.Gather(buffer).Count);

        vec.Remove("a");
        registry.Unregister(gauge);
        var family = Assert.Single(registry.Gather(buffer));
        Assert.Equal("b", Assert.Single(family.Metrics).Labels.GetValue("k"));
    }

    [Fact]
    public void Const_histogram_buckets_are_never_overwritten_by_a_live_histogram()
    {
        var desc = new Desc("const_h", "C.", null, null);
        var constant = ConstMetric.Histogram(desc, 3, 3, new Dictionary<double, ulong> { [1] = 1 });
        var registry = new Registry();
        var flip = false;
        var live = new Histogram(new HistogramOptions { Name = "live_h", Help = "L.", Buckets = [1] });
        live.Observe(5);
        registry.Register(new GatherTests.LambdaCollector(() => (flip = !flip) ? [constant, live] : [live, constant]));
        var buffer = new GatherBuffer();
        for (var i = 0; i < 4; i++)
        {
            var families = registry.Gather(buffer);
            Assert.Equal([1UL, 3], families.Single(f => f.Name == "const_h").Metrics[0].Buckets.Select(b => b.CumulativeCount));
            Assert.Equal([0UL, 1], families.Single(f => f.Name == "live_h").Metrics[0].Buckets.Select(b => b.CumulativeCount));
        }
    }

    [Fact]
    public void A_failing_gather_into_a_buffer_still_reports_and_frees_the_buffer()
    {
        var registry = new Registry();
        registry.Register(new GatherTests.ThrowingCollector());
        var buffer = new GatherBuffer();
        Assert.Throws<GatherException>(() => registry.Gather(buffer));
        Assert.Throws<GatherException>(() => registry.Gather(buffer));
    }

    /// <summary>
    /// Bytes <paramref name="action"/> allocates on this thread, the least of three runs: the runtime itself (tiering,
    /// a parallel test's timer) may allocate once in a while.
    /// </summary>
    private static long BestOfThreeAllocation(Action action)
    {
        var least = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
