using System.Runtime.CompilerServices;

namespace Instrumentation.Tests.Core;

/// <summary>
/// <see cref="MetricOptions.ExpireAfter"/>: series not updated for that long leave their family at the next scrape;
/// an expired series the application still holds comes back with its value when updated again.
/// </summary>
public class SeriesExpiryTests
{
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private static (CounterVec Vec, ManualTime Time) Counters(int? maxSeries = null)
    {
        var time = new ManualTime();
        var vec = new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = Expiry, MaxSeries = maxSeries, Time = time }, ["queue"]);
        return (vec, time);
    }

    /// <summary>A family whose one series, worth <paramref name="value"/>, has just expired while the caller keeps it.</summary>
    private static (CounterVec Vec, Counter Kept) ExpiredButKept(string queue, double value)
    {
        var (vec, time) = Counters();
        var kept = vec.WithLabels(queue);
        kept.Add(value);
        Scrape(vec);
        time.Advance(Expiry);
        Assert.Empty(Scrape(vec));
        return (vec, kept);
    }

    private static string[] Scrape(ICollector collector) =>
        [.. collector.Collect().Select(m => ((Counter)m).Labels.GetValue("queue") + "=" + ((Counter)m).Value)];

    [Fact]
    public void A_series_not_updated_for_the_expiry_leaves_the_family_and_an_updated_one_stays()
    {
        var (vec, time) = Counters();
        vec.WithLabels("idle").Inc();
        vec.WithLabels("busy").Inc();
        Assert.Equal(["busy=1", "idle=1"], Scrape(vec));

        time.Advance(TimeSpan.FromMinutes(3));
        vec.WithLabels("busy").Inc();
        Assert.Equal(["busy=2", "idle=1"], Scrape(vec));

        time.Advance(TimeSpan.FromMinutes(3)); // idle: 6 minutes without an update; busy: 3
        Assert.Equal(["busy=2"], Scrape(vec));
        Assert.Equal(1, vec.Count);
    }

    [Fact]
    public void An_expired_series_updated_through_a_kept_reference_comes_back_with_its_value()
    {
        var (vec, kept) = ExpiredButKept("nightly", 10);

        kept.Inc();
        Assert.Equal(["nightly=11"], Scrape(vec));
        Assert.Same(kept, vec.WithLabels("nightly"));
    }

    [Fact]
    public void WithLabels_of_an_expired_series_still_referenced_returns_it_not_a_new_one()
    {
        var (vec, kept) = ExpiredButKept("q", 5);

        Assert.Same(kept, vec.WithLabels("q"));
        Assert.Equal(["q=5"], Scrape(vec));
    }

    [Fact]
    public void An_expired_series_nobody_references_is_freed_and_its_labels_start_from_zero()
    {
        var (vec, time) = Counters();
        var weak = CreateAndIncrement(vec, "gone", 7);
        Scrape(vec);
        time.Advance(Expiry);
        Assert.Empty(Scrape(vec));
        Assert.Empty(Scrape(vec)); // held strongly for one more sweep (an update racing the expiry), weakly after

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.TryGetTarget(out _));

        Assert.Equal(0, vec.WithLabels("gone").Value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<Counter> CreateAndIncrement(CounterVec vec, string queue, double by)
    {
        var child = vec.WithLabels(queue);
        child.Add(by);
        return new WeakReference<Counter>(child);
    }

    [Fact]
    public void Removing_an_expired_series_explicitly_means_its_labels_start_again_from_zero()
    {
        var (vec, kept) = ExpiredButKept("q", 5);

        Assert.False(vec.Remove("q")); // not in the family any more, but forgotten as well
        var fresh = vec.WithLabels("q");
        Assert.NotSame(kept, fresh);
        Assert.Equal(0, fresh.Value);
    }

    [Fact]
    public void Expired_series_make_room_under_MaxSeries()
    {
        var (vec, time) = Counters(maxSeries: 2);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        vec.WithLabels("c").Inc(); // past the cap: overflow
        Assert.Equal(1, vec.DroppedSeries);
        Scrape(vec);

        time.Advance(Expiry);
        vec.WithLabels("a").Inc();
        Scrape(vec); // b and the untouched overflow series... only b expires: the overflow series is not a child

        vec.WithLabels("c").Inc();
        Assert.Equal(["__overflow__=1", "a=2", "c=1"], Scrape(vec));
    }

    [Fact]
    public void A_gauge_set_to_the_same_value_counts_as_updated_and_one_left_alone_expires()
    {
        var time = new ManualTime();
        var vec = new GaugeVec(new GaugeOptions { Name = "temperature_celsius", Help = "T.", ExpireAfter = Expiry, Time = time }, ["room"]);
        var kitchen = vec.WithLabels("kitchen");
        vec.WithLabels("attic").Set(12);
        kitchen.Set(21);
        vec.Collect().ToList();

        for (var minute = 0; minute < 6; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            kitchen.Set(21);
            vec.Collect().ToList();
        }

        Assert.Equal(["kitchen"], vec.Collect().Select(m => ((Gauge)m).Labels.GetValue("room")));
    }

    [Fact]
    public void Histograms_and_summaries_expire_when_nothing_is_observed()
    {
        var time = new ManualTime();
        var histograms = new HistogramVec(new HistogramOptions { Name = "h_seconds", Help = "H.", ExpireAfter = Expiry, Time = time }, ["k"]);
        var summaries = new SummaryVec(new SummaryOptions { Name = "s_seconds", Help = "S.", ExpireAfter = Expiry, Time = time }, ["k"]);
        histograms.WithLabels("quiet").Observe(1);
        histograms.WithLabels("busy").Observe(1);
        summaries.WithLabels("quiet").Observe(1);
        summaries.WithLabels("busy").Observe(1);
        histograms.Collect().ToList();
        summaries.Collect().ToList();

        time.Advance(Expiry);
        histograms.WithLabels("busy").Observe(2);
        summaries.WithLabels("busy").Observe(2);

        Assert.Equal(["busy"], histograms.Collect().Select(m => ((Histogram)m).Labels.GetValue("k")));
        Assert.Equal(["busy"], summaries.Collect().Select(m => ((Summary)m).Labels.GetValue("k")));
    }

    [Fact]
    public void A_registry_stops_exposing_an_expired_series()
    {
        var (vec, time) = Counters();
        var registry = new Registry();
        registry.MustRegister(vec);
        vec.WithLabels("a").Inc();
        vec.WithLabels("b").Inc();
        Assert.Equal(2, registry.Gather().Single().Metrics.Count);

        time.Advance(Expiry);
        vec.WithLabels("b").Inc();

        var family = registry.Gather().Single();
        Assert.Equal("b", Assert.Single(family.Metrics).Labels.GetValue("queue"));
    }

    [Fact]
    public void A_family_made_by_the_metric_factory_keeps_its_expiry()
    {
        var time = new ManualTime();
        var factory = new MetricFactory(new Registry(), "shop");
        var vec = factory.CreateCounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = Expiry, Time = time }, ["queue"]);
        vec.WithLabels("a").Inc();
        Assert.Single(vec.Collect());

        time.Advance(Expiry);
        Assert.Empty(vec.Collect());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_zero_or_negative_expiry_is_rejected_naming_the_metric(int seconds)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = TimeSpan.FromSeconds(seconds) }, ["queue"]));
        Assert.Contains("jobs_total", ex.Message);
        Assert.Contains("ExpireAfter", ex.Message);
    }

    [Fact]
    public void Families_without_an_expiry_keep_every_series()
    {
        var vec = new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J." }, ["queue"]);
        vec.WithLabels("a").Inc();
        Assert.Single(vec.Collect());
        Assert.Single(vec.Collect());
    }
}
