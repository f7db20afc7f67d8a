using System.Diagnostics.Metrics;
using Instrumentation.Collectors;
using static Instrumentation.Tests.Collectors.CollectorTestHelpers;

namespace Instrumentation.Tests.Collectors;

/// <summary>The bridge's per-instrument series cap: overflow series, overflow counter, unlimited setting.</summary>
public class MeterSeriesCapTests
{
    private const string Overflow = MetricVec<Counter>.OverflowLabelValue;

    // Every test uses its own meter name, so tests running in parallel never see each other's instruments.
    private readonly string _meterName = "Test.Cap." + Guid.NewGuid().ToString("N");

    private MeterCollector Bridge(int maxSeries) =>
        new(new MeterCollectorOptions { Meters = { _meterName }, MaxSeriesPerInstrument = maxSeries });

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static double Overflowed(IReadOnlyList<MetricFamily> families, string family) =>
        families.Family(MeterCollector.OverflowFamilyName).Series("family=" + family).Value;

    [Fact]
    public void Counter_past_the_cap_sends_new_tag_sets_to_the_overflow_series_and_known_ones_keep_counting()
    {
        using var meter = new Meter(_meterName);
        var logins = meter.CreateCounter<long>("logins");
        using var bridge = Bridge(maxSeries: 2);

        logins.Add(1, Tag("user", "ann"));
        logins.Add(2, Tag("user", "bob"));
        logins.Add(4, Tag("user", "cid"));   // past the cap
        logins.Add(8, Tag("user", "dee"));   // past the cap
        logins.Add(16, Tag("user", "ann"));  // known: its own series
        logins.Add(32, Tag("user", "cid"));  // past the cap again

        var families = Gather(bridge);
        var family = families.Family("logins_total");
        Assert.Equal(3, family.Metrics.Count);
        Assert.Equal(17, family.Series("user=ann").Value);
        Assert.Equal(2, family.Series("user=bob").Value);
        Assert.Equal(44, family.Series("user=" + Overflow).Value);
        Assert.Equal(3, Overflowed(families, "logins_total"));
        Assert.Equal(MetricType.Counter, families.Family(MeterCollector.OverflowFamilyName).Type);
    }

    [Fact]
    public void Overflow_counter_family_is_absent_until_something_overflows()
    {
        using var meter = new Meter(_meterName);
        var requests = meter.CreateCounter<long>("requests");
        using var bridge = Bridge(maxSeries: 2);

        requests.Add(1, Tag("route", "/a"));
        requests.Add(1, Tag("route", "/b"));
        requests.Add(1, Tag("route", "/a"));

        var families = Gather(bridge);
        Assert.Null(families.FindFamily(MeterCollector.OverflowFamilyName));
        Assert.DoesNotContain(families.Family("requests_total").Metrics, m => m.Labels.GetValue("route") == Overflow);
    }

    [Fact]
    public void Overflow_counter_counts_each_family_separately()
    {
        using var meter = new Meter(_meterName);
        var a = meter.CreateCounter<long>("a");
        var b = meter.CreateUpDownCounter<long>("b");
        var c = meter.CreateCounter<long>("c");
        using var bridge = Bridge(maxSeries: 1);

        a.Add(1, Tag("k", "1"));
        a.Add(1, Tag("k", "2"));
        b.Add(1, Tag("k", "1"));
        b.Add(-5, Tag("k", "2"));
        b.Add(-5, Tag("k", "3"));
        c.Add(1, Tag("k", "1"));

        var families = Gather(bridge);
        Assert.Equal(1, Overflowed(families, "a_total"));
        Assert.Equal(2, Overflowed(families, "b"));
        Assert.Equal(-10, families.Family("b").Series("k=" + Overflow).Value);
        Assert.Equal(2, families.Family(MeterCollector.OverflowFamilyName).Metrics.Count); // nothing for c
    }

    [Fact]
    public void Another_order_or_boxing_of_a_known_tag_set_is_not_an_overflow()
    {
        using var meter = new Meter(_meterName);
        var responses = meter.CreateCounter<long>("responses");
        using var bridge = Bridge(maxSeries: 1);

        responses.Add(1, Tag("method", "GET"), Tag("code", 200));
        responses.Add(1, Tag("code", 200), Tag("method", "GET"));
        responses.Add(1, Tag("code", 200L), Tag("method", "GET"));

        var families = Gather(bridge);
        Assert.Equal(3, Single(families.Family("responses_total")).Value);
        Assert.Null(families.FindFamily(MeterCollector.OverflowFamilyName));
    }

    [Fact]
    public void Overflow_series_sets_every_label_of_the_family_and_adds_none_of_its_own()
    {
        using var meter = new Meter(_meterName);
        var requests = meter.CreateCounter<long>("requests");
        using var bridge = Bridge(maxSeries: 2);

        requests.Add(1, Tag("method", "GET"));
        requests.Add(1, Tag("route", "/a"));
        requests.Add(1, Tag("tenant", "acme"), Tag("user", "u1")); // past the cap, with keys the family does not have

        var family = Gather(bridge).Family("requests_total");
        Assert.Equal(1, family.Series("method=" + Overflow, "route=" + Overflow).Value);
        Assert.Equal(1, family.Series("method=GET", "route=").Value);
        Assert.All(family.Metrics, m => Assert.Equal(["method", "route"], m.Labels.Select(l => l.Name)));
    }

    [Fact]
    public void Overflow_of_an_unlabelled_family_takes_the_labels_of_what_overflowed()
    {
        using var meter = new Meter(_meterName);
        var jobs = meter.CreateCounter<long>("jobs");
        using var bridge = Bridge(maxSeries: 1);

        jobs.Add(1);
        jobs.Add(5, Tag("queue", "mail"));

        // Without a label the overflow series would duplicate the unlabelled one (the registry would reject the gather).
        var family = Gather(bridge).Family("jobs_total");
        Assert.Equal(1, family.Series("queue=").Value);
        Assert.Equal(5, family.Series("queue=" + Overflow).Value);
    }

    [Fact]
    public void Histogram_overflow_series_counts_every_observation_into_its_buckets()
    {
        using var meter = new Meter(_meterName);
        var duration = meter.CreateHistogram<double>("request.duration", "s",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        using var bridge = Bridge(maxSeries: 1);

        duration.Record(0.05, Tag("path", "/"));
        duration.Record(0.5, Tag("path", "/users/1"));
        duration.Record(2, Tag("path", "/users/2"));
        duration.Record(0.05, Tag("path", "/users/3"));

        var families = Gather(bridge);
        var family = families.Family("request_duration_seconds");
        var overflow = family.Series("path=" + Overflow);
        Assert.Equal(3UL, overflow.Count);
        Assert.Equal(2.55, overflow.Sum, 10);
        Assert.Equal([1UL, 2UL, 3UL], overflow.Buckets.Select(b => b.CumulativeCount));
        Assert.Equal(1UL, family.Series("path=/").Count);
        Assert.Equal(3, Overflowed(families, "request_duration_seconds"));
    }

    [Fact]
    public void Gauge_overflow_series_keeps_the_last_value_past_the_cap()
    {
        using var meter = new Meter(_meterName);
        var temperature = meter.CreateGauge<double>("temperature");
        using var bridge = Bridge(maxSeries: 1);

        temperature.Record(20, Tag("room", "kitchen"));
        temperature.Record(18, Tag("room", "hall"));
        temperature.Record(16, Tag("room", "attic"));

        var family = Gather(bridge).Family("temperature");
        Assert.Equal(20, family.Series("room=kitchen").Value);
        Assert.Equal(16, family.Series("room=" + Overflow).Value);
    }

    [Fact]
    public void Tag_sets_past_the_cap_are_all_counted_even_beyond_what_the_look_up_remembers()
    {
        using var meter = new Meter(_meterName);
        var hits = meter.CreateCounter<long>("hits");
        using var bridge = Bridge(maxSeries: 2);

        // The look-up keeps at most twice the cap of tag lists: most of these 40 users are never remembered.
        for (var round = 0; round < 3; round++)
        {
            for (var user = 0; user < 40; user++)
            {
                hits.Add(1, Tag("user", user));
            }
        }

        var families = Gather(bridge);
        var family = families.Family("hits_total");
        Assert.Equal(3, family.Metrics.Count);
        Assert.Equal(3, family.Series("user=0").Value);
        Assert.Equal(3, family.Series("user=1").Value);
        Assert.Equal(114, family.Series("user=" + Overflow).Value);
        Assert.Equal(114, Overflowed(families, "hits_total"));
    }

    [Fact]
    public void Default_cap_is_2000_series_per_instrument()
    {
        using var meter = new Meter(_meterName);
        var hits = meter.CreateCounter<long>("hits");
        using var bridge = new MeterCollector(new MeterCollectorOptions { Meters = { _meterName } });

        for (var i = 0; i < 2010; i++)
        {
            hits.Add(1, Tag("user", i.ToString()));
        }

        var families = Gather(bridge);
        Assert.Equal(2000, MeterCollectorOptions.DefaultMaxSeriesPerInstrument);
        Assert.Equal(2001, families.Family("hits_total").Metrics.Count);
        Assert.Equal(10, families.Family("hits_total").Series("user=" + Overflow).Value);
        Assert.Equal(10, Overflowed(families, "hits_total"));
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        using var meter = new Meter(_meterName);
        var hits = meter.CreateCounter<long>("hits");
        using var bridge = Bridge(maxSeries: 0);

        for (var i = 0; i < 3000; i++)
        {
            hits.Add(1, Tag("user", i.ToString()));
        }

        var families = Gather(bridge);
        Assert.Equal(3000, families.Family("hits_total").Metrics.Count);
        Assert.DoesNotContain(families.Family("hits_total").Metrics, m => m.Labels.GetValue("user") == Overflow);
        Assert.Null(families.FindFamily(MeterCollector.OverflowFamilyName));
    }

    [Fact]
    public void Negative_cap_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Bridge(maxSeries: -1));

        Assert.Contains("MaxSeriesPerInstrument", ex.Message);
    }

    [Fact]
    public void Instruments_of_the_same_name_in_two_meters_share_one_cap()
    {
        using var first = new Meter(_meterName);
        using var second = new Meter(_meterName);
        using var bridge = Bridge(maxSeries: 2);

        first.CreateCounter<long>("orders").Add(1, Tag("shop", "a"));
        second.CreateCounter<long>("orders").Add(1, Tag("shop", "b"));
        second.CreateCounter<long>("orders").Add(1, Tag("shop", "c"));

        var families = Gather(bridge);
        Assert.Equal(1, families.Family("orders_total").Series("shop=" + Overflow).Value);
        Assert.Equal(1, Overflowed(families, "orders_total"));
    }

    [Fact]
    public void Concurrent_new_tag_sets_never_pass_the_cap_and_every_measurement_is_counted()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<long>("parallel.users");
        using var bridge = Bridge(maxSeries: 100);

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 500; i++)
            {
                counter.Add(1, Tag("user", $"{worker}-{i % 250}"));
            }
        });

        var families = Gather(bridge);
        var family = families.Family("parallel_users_total");
        Assert.Equal(101, family.Metrics.Count);
        Assert.Equal(4000, family.Metrics.Sum(m => m.Value));
        var kept = family.Metrics.Where(m => m.Labels.GetValue("user") != Overflow).Sum(m => m.Value);
        Assert.Equal(4000 - kept, Overflowed(families, "parallel_users_total"));
        Assert.Equal(4000 - kept, family.Series("user=" + Overflow).Value);
    }

    [Fact]
    public void Observable_instrument_past_the_cap_reports_the_rest_in_the_overflow_series_at_each_scrape()
    {
        using var meter = new Meter(_meterName);
        var queues = new[] { ("a", 1L), ("b", 2L), ("c", 4L), ("d", 8L) };
        meter.CreateObservableCounter("messages.sent", () =>
            queues.Select(q => new Measurement<long>(q.Item2, Tag("queue", q.Item1))));
        using var bridge = Bridge(maxSeries: 2);

        var first = Gather(bridge);
        var second = Gather(bridge);

        foreach (var families in new[] { first, second })
        {
            var family = families.Family("messages_sent_total");
            Assert.Equal(3, family.Metrics.Count);
            Assert.Equal(1, family.Series("queue=a").Value);
            Assert.Equal(2, family.Series("queue=b").Value);
            Assert.Equal(12, family.Series("queue=" + Overflow).Value);
        }
        Assert.Equal(2, Overflowed(first, "messages_sent_total"));
        Assert.Equal(4, Overflowed(second, "messages_sent_total")); // two measurements past the cap at each scrape
    }

    [Fact]
    public void Observable_series_no_longer_reported_free_their_place_under_the_cap()
    {
        using var meter = new Meter(_meterName);
        var connections = new List<string> { "c1", "c2", "c3" };
        meter.CreateObservableGauge("connection.bytes", () =>
            connections.Select(c => new Measurement<long>(10, Tag("connection", c))));
        using var bridge = Bridge(maxSeries: 2);

        Assert.Equal(10, Gather(bridge).Family("connection_bytes").Series("connection=" + Overflow).Value);
        connections.RemoveRange(0, 2); // c1 and c2 close: this scrape forgets them
        connections.Add("c4");
        Gather(bridge);

        var family = Gather(bridge).Family("connection_bytes");
        Assert.Equal(["c3", "c4"], family.Metrics.Select(m => m.Labels.GetValue("connection")).Order());
    }

    [Fact]
    public void Recording_a_tag_set_past_the_cap_seen_before_allocates_nothing()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<long>("requests");
        using var bridge = Bridge(maxSeries: 1);
        var known = Tag("user", "ann");
        var overflowed = Tag("user", "bob");
        counter.Add(1, known);
        counter.Add(1, overflowed);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, known);
            counter.Add(1, overflowed);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        var families = Gather(bridge);
        Assert.Equal(1001, families.Family("requests_total").Series("user=" + Overflow).Value);
        Assert.Equal(1001, Overflowed(families, "requests_total"));
    }
}
