namespace Instrumentation.Tests.Core;

/// <summary>
/// <c>metrics_series_dropped_total{metric}</c>: the registry's own count of the label sets its capped families folded
/// into their <c>__overflow__</c> series.
/// </summary>
public class DroppedSeriesCounterTests
{
    private const string Dropped = "metrics_series_dropped_total";

    private static CounterVec Capped(string name, int maxSeries) =>
        new(new CounterOptions { Name = name, Help = "H.", MaxSeries = maxSeries }, ["user"]);

    private static Dictionary<string, double> DroppedByMetric(IGatherer gatherer) =>
        gatherer.Gather().SingleOrDefault(f => f.Name == Dropped) is { } family
            ? family.Metrics.ToDictionary(p => p.Labels.GetValue("metric")!, p => p.Value)
            : [];

    [Fact]
    public void Every_folded_label_set_is_counted_under_its_family_name()
    {
        var registry = new Registry();
        var logins = Capped("logins_total", maxSeries: 2);
        var visits = Capped("visits_total", maxSeries: 3);
        registry.MustRegister(logins, visits);

        for (var i = 0; i < 7; i++)
        {
            logins.WithLabels("u" + i).Inc();
        }
        visits.WithLabels("a").Inc();
        visits.WithLabels("b").Inc();
        visits.WithLabels("c").Inc();
        visits.WithLabels("d").Inc();
        visits.WithLabels("d").Inc();

        var family = registry.Gather().Single(f => f.Name == Dropped);
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal(new Dictionary<string, double> { ["logins_total"] = 5, ["visits_total"] = 2 }, DroppedByMetric(registry));
        Assert.Equal(5, logins.DroppedSeries);
    }

    [Fact]
    public void Nothing_is_exposed_until_a_family_drops_something_and_uncapped_families_never_appear()
    {
        var registry = new Registry();
        var capped = Capped("capped_total", maxSeries: 1);
        var uncapped = new CounterVec(new CounterOptions { Name = "free_total", Help = "H." }, ["user"]);
        registry.MustRegister(capped, uncapped);
        capped.WithLabels("a").Inc();
        for (var i = 0; i < 100; i++)
        {
            uncapped.WithLabels("u" + i).Inc();
        }
        Assert.DoesNotContain(registry.Gather(), f => f.Name == Dropped);

        capped.WithLabels("b").Inc();
        Assert.Equal(new Dictionary<string, double> { ["capped_total"] = 1 }, DroppedByMetric(registry));
    }

    [Fact]
    public async Task The_count_is_exact_when_many_threads_flood_a_full_family_while_it_is_scraped()
    {
        var registry = new Registry();
        const int Cap = 10, Threads = 6, PerThread = 20_000;
        var vec = Capped("per_user_total", Cap);
        registry.Register(vec);
        using var stop = new CancellationTokenSource();
        var seen = new List<double>();
        var scraper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                seen.Add(DroppedByMetric(registry).GetValueOrDefault("per_user_total"));
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                vec.WithLabels($"t{t}-{i}").Inc();
            }
        })));
        stop.Cancel();
        await scraper;

        // Every WithLabels asked for a new label set: all but the first Cap were folded, and each was counted once.
        const double Folded = Threads * PerThread - Cap;
        var overflow = vec.Collect().Cast<Counter>().Single(c => c.Labels.GetValue("user") == CounterVec.OverflowLabelValue).Value;
        Assert.Equal(Folded, overflow);
        Assert.Equal(Folded, DroppedByMetric(registry)["per_user_total"]);
        Assert.Equal(Cap, vec.Count);
        // A counter: no scrape saw it go down.
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First <= p.Second), "the dropped count went down between scrapes");
    }

    [Fact]
    public void Families_of_one_name_share_a_series_and_wrapping_names_it_as_exposed_with_the_registrys_const_labels()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["app"] = "shop" } });
        var north = new CounterVec(new CounterOptions { Name = "hits_total", Help = "H.", MaxSeries = 1, ConstLabels = new Dictionary<string, string> { ["dc"] = "north" } }, ["user"]);
        var south = new CounterVec(new CounterOptions { Name = "hits_total", Help = "H.", MaxSeries = 1, ConstLabels = new Dictionary<string, string> { ["dc"] = "south" } }, ["user"]);
        var prefixed = Capped("jobs_total", maxSeries: 1);
        registry.MustRegister(north, south);
        registry.WrapWithPrefix("worker_").Register(prefixed);
        foreach (var vec in new[] { north, south, prefixed })
        {
            vec.WithLabels("a").Inc();
            vec.WithLabels("b").Inc();
            vec.WithLabels("c").Inc();
        }

        var family = registry.Gather().Single(f => f.Name == Dropped);
        Assert.Equal(["hits_total", "worker_jobs_total"], family.Metrics.Select(p => p.Labels.GetValue("metric")));
        Assert.Equal([4.0, 2.0], family.Metrics.Select(p => p.Value));
        Assert.All(family.Metrics, p => Assert.Equal("shop", p.Labels.GetValue("app")));
    }

    [Fact]
    public void Each_registry_has_its_own_counter_and_the_name_is_taken()
    {
        var first = new Registry();
        var second = new Registry();
        var vec = Capped("x_total", maxSeries: 1);
        first.Register(vec);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        Assert.Equal(1, DroppedByMetric(first)["x_total"]);
        Assert.Empty(DroppedByMetric(second));

        var clash = new Counter(new CounterOptions { Name = Dropped, Help = "Mine." });
        Assert.ThrowsAny<ArgumentException>(() => first.Register(clash));
    }

    [Fact]
    public void An_unregistered_family_leaves_the_counter()
    {
        var registry = new Registry();
        var vec = Capped("gone_total", maxSeries: 1);
        registry.Register(vec);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        Assert.Single(DroppedByMetric(registry));
        registry.Unregister(vec);
        Assert.Empty(DroppedByMetric(registry));
    }

    [Fact]
    public void A_steady_state_gather_with_a_dropping_family_allocates_nothing_for_the_counter()
    {
        var registry = new Registry();
        var vec = Capped("steady_total", maxSeries: 1);
        registry.Register(vec);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        var buffer = new GatherBuffer();
        registry.Gather(buffer);
        registry.Gather(buffer);

        var least = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            registry.Gather(buffer);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        var withoutCounter = new Registry();
        var plain = Capped("steady_total", maxSeries: 5);
        withoutCounter.Register(plain);
        plain.WithLabels("a").Inc();
        plain.WithLabels("b").Inc();
        var otherBuffer = new GatherBuffer();
        withoutCounter.Gather(otherBuffer);
        withoutCounter.Gather(otherBuffer);
        var baseline = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            withoutCounter.Gather(otherBuffer);
            baseline = Math.Min(baseline, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(least <= baseline, $"a gather with the dropped counter allocated {least} bytes, without it {baseline}");
    }
}
