using System.Runtime.CompilerServices;
using Instrumentation.Collectors;

namespace Instrumentation.Tests.Core;

/// <summary>
/// Findings of the review of the label-hash, expiry, neighbour-duplicate and bridge-cap changes: each test states the
/// behaviour the documentation promises.
/// </summary>
public class ReviewFindingsTests
{
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    // --- Expiry and MaxSeries -------------------------------------------------------------------------------------

    [Fact]
    public void A_revived_series_may_take_the_family_past_MaxSeries_until_series_expire_again()
    {
        // By design (SeriesExpiry): a series that comes back was a member when the cap was checked; refusing it would
        // split its updates between it and the overflow series. The family is over the cap only until one expires.
        var time = new ManualTime();
        var expiry = TimeSpan.FromMinutes(5);
        var vec = new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = expiry, MaxSeries = 1, Time = time }, ["queue"]);

        var kept = vec.WithLabels("nightly");
        kept.Inc();
        vec.Collect().ToList();
        time.Advance(expiry);
        Assert.Empty(vec.Collect()); // expired: the family has room again
        vec.WithLabels("hourly").Inc(); // takes the one place

        kept.Inc(); // the application's kept reference is updated: the sweep brings it back
        Assert.Equal(["hourly=1", "nightly=2"], vec.Collect().Select(m => ((Counter)m).Labels.GetValue("queue") + "=" + ((Counter)m).Value).Order());
        Assert.Equal(2, vec.Count);
        Assert.Equal(0, vec.DroppedSeries);
        Assert.Same(vec.WithLabels("overflowing"), vec.WithLabels("another")); // still full: new values overflow

        time.Advance(expiry);
        kept.Inc();
        vec.Collect().ToList(); // hourly expires: back under the cap
        Assert.Equal(1, vec.Count);
    }

    [Fact]
    public void Reviving_an_expired_series_when_the_family_is_full_keeps_WithLabels_and_the_kept_reference_on_one_series()
    {
        var time = new ManualTime();
        var expiry = TimeSpan.FromMinutes(5);
        var vec = new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = expiry, MaxSeries = 1, Time = time }, ["queue"]);

        var kept = vec.WithLabels("nightly");
        kept.Inc();
        vec.Collect().ToList();
        time.Advance(expiry);
        vec.Collect().ToList(); // nightly expired, dormant
        vec.WithLabels("hourly").Inc(); // family full again

        // The same label values now reach two different objects: WithLabels gives the overflow series while the
        // dormant series (still referenced and updated) is brought back by the next sweep.
        var fromWithLabels = vec.WithLabels("nightly");
        kept.Inc();
        vec.Collect().ToList();
        Assert.Same(kept, fromWithLabels);
    }

    [Fact]
    public void An_increment_through_a_child_looked_up_just_before_the_sweep_expired_it_is_not_lost()
    {
        var time = new ManualTime();
        var expiry = TimeSpan.FromMinutes(5);
        var vec = new CounterVec(new CounterOptions { Name = "jobs_total", Help = "J.", ExpireAfter = expiry, Time = time }, ["queue"]);
        IncrementOnceAndScrape(vec); // in a method of its own: no list of the children stays on this frame
        time.Advance(expiry);

        // The usual call site, vec.WithLabels("q").Inc(), racing with a scrape: the lock-free look-up returns the child
        // an instant before the sweep expires it, and the increment lands after. Nothing references the child
        // afterwards, so the runtime may free it before the next scrape brings it back.
        LookUpThenScrapeThenIncrement(vec);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(2, vec.WithLabels("q").Value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void IncrementOnceAndScrape(CounterVec vec)
    {
        vec.WithLabels("q").Inc();
        Assert.Single(vec.Collect());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LookUpThenScrapeThenIncrement(CounterVec vec)
    {
        var child = vec.WithLabels("q");
        Assert.Empty(vec.Collect()); // the sweep expires it
        child.Inc();
    }

    [Fact]
    public async Task Concurrent_updates_removals_scrapes_and_expiry_never_expose_a_series_twice_nor_drift_the_count()
    {
        var time = new ManualTime();
        var expiry = TimeSpan.FromMinutes(5);
        var vec = new GaugeVec(new GaugeOptions { Name = "g", Help = "G.", ExpireAfter = expiry, MaxSeries = 40, Time = time }, ["k"]);
        var values = Enumerable.Range(0, 64).Select(i => "v" + i).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var kept = new Gauge?[values.Length];
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(values.Length);
                switch (random.Next(8))
                {
                    case 0:
                        vec.Remove(values[i]);
                        break;
                    case 1:
                        kept[i] = vec.WithLabels(values[i]); // held: expired ones come back when updated
                        break;
                    case 2:
                        kept[i]?.Inc();
                        break;
                    default:
                        vec.WithLabels(values[i]).Inc();
                        break;
                }
            }
        })).ToArray();
        var scrapers = Enumerable.Range(0, 2).Select(s => Task.Run(() =>
        {
            string? problem = null;
            while (!stop.IsCancellationRequested && problem is null)
            {
                var labels = vec.Collect().Select(m => ((Gauge)m).Labels.GetValue("k")!).ToList();
                if (labels.Distinct().Count() != labels.Count)
                {
                    problem = "duplicate: " + string.Join(",", labels);
                }
                else if (!labels.SequenceEqual(labels.Order(StringComparer.Ordinal)))
                {
                    problem = "unsorted: " + string.Join(",", labels);
                }
                time.Advance(TimeSpan.FromMinutes(1));
            }
            return problem;
        })).ToArray();
        await Task.WhenAll(writers);
        foreach (var scraper in scrapers)
        {
            Assert.Null(await scraper);
        }

        var children = vec.Collect().Select(m => ((Gauge)m).Labels.GetValue("k")).Where(v => v != MetricVec<Gauge>.OverflowLabelValue).ToList();
        Assert.Equal(children.Count, vec.Count);
        Assert.True(vec.Count <= 40, $"Count {vec.Count}");
        foreach (var value in values)
        {
            vec.Remove(value);
        }
        Assert.Equal(0, vec.Count);
        Assert.DoesNotContain(vec.Collect(), m => ((Gauge)m).Labels.GetValue("k") != MetricVec<Gauge>.OverflowLabelValue);
    }

    // --- Neighbour duplicate check --------------------------------------------------------------------------------

    [Fact]
    public void Of_duplicate_series_with_the_same_timestamp_the_first_collected_is_kept()
    {
        var desc = new Desc("dup_total", "D.", ["k"], null);
        var registry = new Registry();
        registry.Register(new GatherTests.LambdaCollector(() =>
        [
            ConstMetric.WithTimestamp(ConstMetric.Counter(desc, 1, "x"), DateTimeOffset.FromUnixTimeMilliseconds(2_000)),
            ConstMetric.WithTimestamp(ConstMetric.Counter(desc, 2, "x"), DateTimeOffset.FromUnixTimeMilliseconds(2_000)),
        ]));

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Single(ex.Errors, e => e.Contains("collected before"));
        // Samples with different timestamps are not duplicates (issue 11 item 8, see Parity/GatherParityTests); with
        // the same timestamp the stable sort keeps the first collected.
        Assert.Equal(1, Assert.Single(Assert.Single(ex.Families).Metrics).Value);
    }

    [Fact]
    public void Gatherers_report_a_series_exposed_by_two_gatherers_and_keep_the_first()
    {
        var first = new Registry();
        var second = new Registry();
        var a = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["k"]);
        var b = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["k"]);
        first.MustRegister(a);
        second.MustRegister(b);
        a.WithLabels("1").Inc();
        a.WithLabels("3").Inc();
        b.WithLabels("1").Add(5);
        b.WithLabels("2").Add(5);

        var ex = Assert.Throws<GatherException>(() => new Gatherers(first, second).Gather());
        Assert.Single(ex.Errors, e => e.Contains("collected before") && e.Contains("x_total"));
        var family = Assert.Single(ex.Families);
        Assert.Equal(["1=1", "2=5", "3=1"], family.Metrics.Select(m => m.Labels.GetValue("k") + "=" + m.Value));
    }

    // --- Label hash -----------------------------------------------------------------------------------------------

    [Fact]
    public void Equal_label_values_in_different_string_instances_find_the_same_child_at_every_length()
    {
        var vec = new CounterVec(new CounterOptions { Name = "h_total", Help = "H." }, ["a", "b"]);
        const string Source = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (var length = 0; length <= Source.Length; length++)
        {
            // Substrings of longer strings and freshly built copies: different instances, different neighbours.
            var one = Source[..length];
            var two = new string(Source.AsSpan(0, length));
            var three = (Source + "!")[..length];
            var child = vec.WithLabels(one, two);
            Assert.Same(child, vec.WithLabels(two, three));
            Assert.Same(child, vec.WithLabels(three, one));
        }
        Assert.Equal(Source.Length + 1, vec.Count);
    }

    [Fact]
    public async Task Bridged_measurements_racing_scrapes_stay_under_the_cap_and_none_is_lost()
    {
        using var owner = new MeterCollector(new MeterCollectorOptions { Meters = { "review.none" } });
        var family = new MeterFamily(owner, "requests_total", "R.", null, MetricType.Counter, MeterAggregation.Sum, null, maxSeries: 50);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var recorded = new long[2];
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var user = random.Next(400).ToString(System.Globalization.CultureInfo.InvariantCulture);
                // Two orders of the same tags: one series, found through the look-up by tag list or by label values.
                if (random.Next(2) == 0)
                {
                    family.Record(1, [new("user", user), new("region", "eu")]);
                }
                else
                {
                    family.Record(1, [new("region", "eu"), new("user", user)]);
                }
                recorded[w]++;
            }
        })).ToArray();
        string? problem = null;
        var metrics = new List<IMetric>();
        var point = new MetricPoint();
        while (!stop.IsCancellationRequested && problem is null)
        {
            metrics.Clear();
            family.CollectInto(metrics, 0);
            var labels = new List<string>();
            foreach (var metric in metrics)
            {
                metric.Write(point);
                labels.Add(point.Labels.ToString());
            }
            if (labels.Count > 51 || labels.Distinct().Count() != labels.Count)
            {
                problem = $"{labels.Count} series: {string.Join(" ", labels)}";
            }
        }
        await Task.WhenAll(writers);
        Assert.Null(problem);

        metrics.Clear();
        family.CollectInto(metrics, 0);
        double total = 0;
        foreach (var metric in metrics)
        {
            metric.Write(point);
            total += point.Value;
        }
        Assert.Equal(50, family.SeriesCount);
        Assert.Equal(recorded.Sum(), total);
    }

    // --- Bridge: label names read before series -------------------------------------------------------------------

    [Fact]
    public async Task A_bridged_series_created_during_a_scrape_is_never_exposed_without_its_own_labels()
    {
        using var owner = new MeterCollector(new MeterCollectorOptions { Meters = { "review.none" } });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        string? failure = null;
        var round = 0;
        while (failure is null && DateTime.UtcNow < deadline)
        {
            round++;
            var family = new MeterFamily(owner, "bridged_total", "B.", null, MetricType.Counter, MeterAggregation.Sum, null, maxSeries: 0);
            family.Record(1, [new("k0", "v")]);
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(() =>
            {
                // Each tag list brings a label name of its own, so the family's label names grow with every series.
                for (var i = 1; i < 200 && !stop.IsCancellationRequested; i++)
                {
                    family.Record(1, [new("k" + i, "v")]);
                }
            });
            var metrics = new List<IMetric>();
            var point = new MetricPoint();
            while (!writer.IsCompleted && failure is null)
            {
                metrics.Clear();
                family.CollectInto(metrics, 0);
                foreach (var metric in metrics)
                {
                    metric.Write(point);
                    // Every series has exactly one label with the value "v"; without it the series is written
                    // with the family's older label names and loses its own label.
                    if (!point.Labels.Any(l => l.Value == "v"))
                    {
                        failure = $"round {round}: series exposed as {point.Labels} (desc labels {metric.Desc.VariableLabels.Count})";
                        break;
                    }
                }
            }
            stop.Cancel();
            await writer;
        }
        Assert.Null(failure);
    }
    [Fact]
    public async Task The_overflow_series_of_an_unlabelled_bridged_family_is_never_exposed_like_its_unlabelled_series()
    {
        using var owner = new MeterCollector(new MeterCollectorOptions { Meters = { "review.none" } });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        string? failure = null;
        var round = 0;
        var metrics = new List<IMetric>();
        var point = new MetricPoint();
        while (failure is null && DateTime.UtcNow < deadline)
        {
            round++;
            var family = new MeterFamily(owner, "bridged_total", "B.", null, MetricType.Counter, MeterAggregation.Sum, null, maxSeries: 1);
            family.Record(1, []);
            using var go = new ManualResetEventSlim();
            // Past the cap of one: the overflow series is created, and the family gets the overflowed tag list's label.
            var writer = Task.Run(() =>
            {
                go.Wait();
                family.Record(1, [new("user", "u1")]);
            });
            go.Set();
            while (failure is null)
            {
                var done = writer.IsCompleted;
                metrics.Clear();
                family.CollectInto(metrics, 0);
                var labels = new List<string>();
                foreach (var metric in metrics)
                {
                    metric.Write(point);
                    labels.Add(point.Labels.ToString());
                }
                if (labels.Distinct().Count() != labels.Count)
                {
                    failure = $"round {round}: {string.Join(" ", labels)}";
                }
                if (done)
                {
                    break;
                }
            }
            await writer;
        }
        Assert.Null(failure);
    }
}
