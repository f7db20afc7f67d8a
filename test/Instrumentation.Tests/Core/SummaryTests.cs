namespace Instrumentation.Tests;

public class SummaryTests
{
    private static Dictionary<double, double> DefaultObjectives() => new() { [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 };

    private static SummaryOptions Options(string name = "request_duration_seconds", int bufferCapacity = 500) => new()
    {
        Name = name,
        Help = "Request duration.",
        Objectives = DefaultObjectives(),
        BufferCapacity = bufferCapacity,
    };

    private static MetricPoint Scrape(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    [Fact]
    public void Quantiles_of_one_to_n_are_within_the_objectives_and_count_and_sum_are_exact()
    {
        var summary = new Summary(Options());
        var values = Enumerable.Range(1, 10_000).Select(i => (double)i).ToArray();
        new Random(1).Shuffle(values);

        foreach (var value in values)
        {
            summary.Observe(value);
        }
        var point = Scrape(summary);

        Assert.Equal(10_000ul, point.Count);
        Assert.Equal(50_005_000d, point.Sum);
        Assert.Equal([0.5, 0.9, 0.99], point.Quantiles.Select(q => q.Quantile));
        var sorted = values.Order().ToArray();
        foreach (var (rank, value) in point.Quantiles)
        {
            QuantileStreamTests.AssertRankWithin(sorted, value, rank, DefaultObjectives()[rank]);
        }
    }

    [Fact]
    public void Quantiles_of_random_observations_are_within_the_objectives()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 30_000).Select(_ => Math.Exp(random.NextDouble() * 10)).ToArray();
        var summary = new Summary(Options(bufferCapacity: 97));

        foreach (var value in values)
        {
            summary.Observe(value);
        }
        var point = Scrape(summary);

        var sorted = values.Order().ToArray();
        foreach (var (rank, value) in point.Quantiles)
        {
            QuantileStreamTests.AssertRankWithin(sorted, value, rank, DefaultObjectives()[rank]);
        }
    }

    [Fact]
    public void Quantiles_are_written_in_rank_order_whatever_the_order_of_the_objectives()
    {
        var summary = new Summary(new SummaryOptions
        {
            Name = "x",
            Objectives = new Dictionary<double, double> { [0.99] = 0.001, [0.1] = 0.01, [0.5] = 0.05 },
        });
        summary.Observe(1);

        Assert.Equal([0.1, 0.5, 0.99], Scrape(summary).Quantiles.Select(q => q.Quantile));
    }

    [Fact]
    public void Without_objectives_only_count_and_sum_are_reported()
    {
        var summary = new Summary(new SummaryOptions { Name = "payload_bytes", Help = "Payload size." });
        for (var i = 1; i <= 1_000; i++)
        {
            summary.Observe(i);
        }

        var point = Scrape(summary);

        Assert.Empty(point.Quantiles);
        Assert.Equal(1_000ul, point.Count);
        Assert.Equal(500_500d, point.Sum);
        Assert.Equal(1_000ul, summary.Count);
        Assert.Equal(500_500d, summary.Sum);
    }

    [Fact]
    public void Empty_window_reports_NaN_quantiles_and_zero_count()
    {
        var point = Scrape(new Summary(Options()));

        Assert.Equal(0ul, point.Count);
        Assert.Equal(0d, point.Sum);
        Assert.All(point.Quantiles, q => Assert.True(double.IsNaN(q.Value)));
    }

    [Fact]
    public void Write_fills_labels_and_creation_time()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var summary = new Summary(new SummaryOptions
        {
            Name = "x",
            ConstLabels = new Dictionary<string, string> { ["service"] = "checkout" },
            Objectives = DefaultObjectives(),
        });

        var point = Scrape(summary);

        Assert.Equal("checkout", point.Labels.GetValue("service"));
        Assert.Same(summary.Labels, point.Labels);
        Assert.InRange(point.CreatedSeconds!.Value, before - 1, before + 60);
        Assert.Equal(MetricType.Summary, summary.Type);
        Assert.Equal("x", Assert.Single(summary.Describe()).FqName);
        Assert.Same(summary, Assert.Single(summary.Collect()));
    }

    [Fact]
    public void NaN_observation_counts_and_makes_the_sum_NaN_but_stays_out_of_the_quantiles()
    {
        var summary = new Summary(new SummaryOptions { Name = "x", Objectives = new Dictionary<double, double> { [0] = 0, [1] = 0 } });
        summary.Observe(5);
        summary.Observe(double.NaN);
        summary.Observe(7);

        var point = Scrape(summary);

        Assert.Equal(3ul, point.Count);
        Assert.True(double.IsNaN(point.Sum));
        Assert.Equal([5d, 7d], point.Quantiles.Select(q => q.Value));
    }

    [Fact]
    public void Observations_leave_the_quantiles_after_MaxAge_but_stay_in_count_and_sum()
    {
        var time = new ManualTime();
        var summary = new Summary(Options(), time);   // MaxAge 10 min, 5 age buckets
        summary.Observe(100);

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.All(Scrape(summary).Quantiles, q => Assert.Equal(100, q.Value));

        time.Advance(TimeSpan.FromSeconds(1));
        var point = Scrape(summary);
        Assert.All(point.Quantiles, q => Assert.True(double.IsNaN(q.Value)));
        Assert.Equal(1ul, point.Count);
        Assert.Equal(100d, point.Sum);
    }

    [Fact]
    public void Buffered_observations_expire_on_schedule_even_when_nothing_flushed_them()
    {
        var time = new ManualTime();
        var summary = new Summary(Options(), time);
        summary.Observe(100);   // stays in the lock-free buffer: no scrape, no further observation

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.All(Scrape(summary).Quantiles, q => Assert.True(double.IsNaN(q.Value)));
    }

    [Fact]
    public void Window_slides_every_MaxAge_over_AgeBuckets()
    {
        var time = new ManualTime();
        var options = Options();
        options.MaxAge = TimeSpan.FromMinutes(10);
        options.AgeBuckets = 5;
        var summary = new Summary(options, time);

        summary.Observe(1);
        time.Advance(TimeSpan.FromMinutes(5));
        summary.Observe(2);

        time.Advance(TimeSpan.FromMinutes(5));   // t = 10 min: the first observation is 10 min old, the second 5
        Assert.All(Scrape(summary).Quantiles, q => Assert.Equal(2, q.Value));

        time.Advance(TimeSpan.FromMinutes(3));   // t = 13 min: the second is 8 min old, within MaxAge - MaxAge/AgeBuckets
        Assert.All(Scrape(summary).Quantiles, q => Assert.Equal(2, q.Value));

        time.Advance(TimeSpan.FromMinutes(1));   // t = 14 min: 9 min old, its bucket has rotated out
        Assert.All(Scrape(summary).Quantiles, q => Assert.True(double.IsNaN(q.Value)));
    }

    [Fact]
    public void Observing_after_a_long_idle_period_reports_only_new_observations()
    {
        var time = new ManualTime();
        var summary = new Summary(Options(), time);
        for (var i = 0; i < 1_000; i++)
        {
            summary.Observe(1);
        }

        time.Advance(TimeSpan.FromHours(5));
        summary.Observe(42);

        var point = Scrape(summary);
        Assert.All(point.Quantiles, q => Assert.Equal(42, q.Value));
        Assert.Equal(1_001ul, point.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    public async Task Concurrent_observations_and_scrapes_keep_count_and_sum_exact_and_consistent(int bufferCapacity)
    {
        const int Threads = 4;
        const int PerThread = 20_000;
        var summary = new Summary(Options(bufferCapacity: bufferCapacity));
        var done = 0;
        var scrapes = 0;
        var scraper = Task.Factory.StartNew(() =>
        {
            ulong previous = 0;
            while (Volatile.Read(ref done) == 0)
            {
                var point = Scrape(summary);
                Assert.True(point.Count >= previous, $"count went from {previous} to {point.Count}");
                // Every observation is 0.5: a scrape whose sum and count disagree would show here.
                Assert.Equal(point.Count * 0.5, point.Sum);
                if (point.Count > 0)
                {
                    Assert.All(point.Quantiles, q => Assert.Equal(0.5, q.Value));
                }
                previous = point.Count;
                scrapes++;
            }
        }, TaskCreationOptions.LongRunning);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                summary.Observe(0.5);
            }
        });
        Volatile.Write(ref done, 1);
        await scraper;

        var final = Scrape(summary);
        Assert.Equal((ulong)(Threads * PerThread), final.Count);
        Assert.Equal(Threads * PerThread * 0.5, final.Sum);
        Assert.True(scrapes > 0);
    }

    [Fact]
    public async Task Concurrent_scrapes_see_quantiles_in_rank_order_and_the_final_ones_within_the_objectives()
    {
        const int Threads = 4;
        const int PerThread = 25_000;
        var summary = new Summary(Options(bufferCapacity: 64));
        var done = 0;
        var scraper = Task.Factory.StartNew(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                var point = Scrape(summary);
                var quantiles = point.Quantiles;
                for (var i = 1; i < quantiles.Length && point.Count > 0; i++)
                {
                    Assert.True(quantiles[i].Value >= quantiles[i - 1].Value,
                        $"q{quantiles[i].Quantile} = {quantiles[i].Value} < q{quantiles[i - 1].Quantile} = {quantiles[i - 1].Value}");
                }
            }
        }, TaskCreationOptions.LongRunning);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            // Thread t observes t+1, t+1+Threads, ...: together the threads observe 1..Threads*PerThread once each.
            for (var i = 0; i < PerThread; i++)
            {
                summary.Observe(t + 1 + i * Threads);
            }
        });
        Volatile.Write(ref done, 1);
        await scraper;

        var point = Scrape(summary);
        var sorted = Enumerable.Range(1, Threads * PerThread).Select(i => (double)i).ToArray();
        Assert.Equal((ulong)sorted.Length, point.Count);
        Assert.Equal(sorted.Sum(), point.Sum);
        foreach (var (rank, value) in point.Quantiles)
        {
            QuantileStreamTests.AssertRankWithin(sorted, value, rank, DefaultObjectives()[rank]);
        }
    }

    [Fact]
    public async Task Observations_racing_window_rotations_are_all_counted()
    {
        var time = new ManualTime();
        var options = Options(bufferCapacity: 3);
        options.MaxAge = TimeSpan.FromMinutes(1);
        options.AgeBuckets = 3;
        var summary = new Summary(options, time);
        var done = 0;
        var scraper = Task.Factory.StartNew(() =>
        {
            ulong previous = 0;
            while (Volatile.Read(ref done) == 0)
            {
                time.Advance(TimeSpan.FromSeconds(7));
                var point = Scrape(summary);
                Assert.True(point.Count >= previous);
                Assert.Equal(point.Count * 0.5, point.Sum);
                Assert.All(point.Quantiles, q => Assert.True(double.IsNaN(q.Value) || q.Value == 0.5));
                previous = point.Count;
            }
        }, TaskCreationOptions.LongRunning);

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                summary.Observe(0.5);
                if (t == 0 && i % 100 == 0)
                {
                    time.Advance(TimeSpan.FromSeconds(11));   // observers cross rotation deadlines too
                }
            }
        });
        Volatile.Write(ref done, 1);
        await scraper;

        Assert.Equal(40_000ul, summary.Count);
        Assert.Equal(20_000d, summary.Sum);
    }

    [Fact]
    public void An_endless_MaxAge_keeps_observations()
    {
        var time = new ManualTime();
        var options = Options();
        options.MaxAge = TimeSpan.MaxValue;
        options.AgeBuckets = 1;
        var summary = new Summary(options, time);
        summary.Observe(7);

        time.Advance(TimeSpan.FromDays(3650));

        Assert.All(Scrape(summary).Quantiles, q => Assert.Equal(7, q.Value));
    }

    [Fact]
    public void Observe_allocates_nothing_between_merges()
    {
        var summary = new Summary(Options(bufferCapacity: 500));
        for (var i = 0; i < 1_000; i++)
        {
            summary.Observe(i);   // two full buffers: streams, spare buffers and batch array are allocated now
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 499; i++)
        {
            summary.Observe(i);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Observe_without_objectives_allocates_nothing_even_when_buffers_fill()
    {
        var summary = new Summary(new SummaryOptions { Name = "x" });
        for (var i = 0; i < 1_000; i++)
        {
            summary.Observe(i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            summary.Observe(i);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Timer_observes_the_elapsed_seconds()
    {
        var summary = new Summary(Options());

        var timer = summary.StartTimer();
        var elapsed = timer.ObserveDuration();

        Assert.Equal(1ul, summary.Count);
        // The sum is the raw stopwatch ticks in seconds; the returned TimeSpan is the same time truncated to 100 ns.
        Assert.InRange(summary.Sum, elapsed.TotalSeconds, elapsed.TotalSeconds + 1.01e-7);
        Assert.True(elapsed >= TimeSpan.Zero);
    }

    [Fact]
    public void Disposing_a_timer_observes_once()
    {
        var summary = new Summary(Options());

        using (summary.StartTimer())
        {
        }

        Assert.Equal(1ul, summary.Count);
    }

    public static TheoryData<Action<SummaryOptions>, string> InvalidOptions => new()
    {
        { o => o.Objectives = new Dictionary<double, double> { [1.5] = 0.01 }, "1.5" },
        { o => o.Objectives = new Dictionary<double, double> { [-0.1] = 0.01 }, "-0.1" },
        { o => o.Objectives = new Dictionary<double, double> { [double.NaN] = 0.01 }, "NaN" },
        { o => o.Objectives = new Dictionary<double, double> { [0.5] = -0.05 }, "-0.05" },
        { o => o.Objectives = new Dictionary<double, double> { [0.5] = double.NaN }, "NaN" },
        { o => o.AgeBuckets = 0, "0" },
        { o => o.MaxAge = TimeSpan.Zero, "00:00:00" },
        { o => o.MaxAge = TimeSpan.FromSeconds(-1), "-00:00:01" },
        { o => o.BufferCapacity = 0, "0" },
        { o => o.ConstLabels = new Dictionary<string, string> { ["quantile"] = "x" }, "quantile" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_throw_naming_the_metric_and_the_value(Action<SummaryOptions> spoil, string offending)
    {
        var options = Options("rpc_latency_seconds");
        spoil(options);

        var error = Assert.ThrowsAny<ArgumentException>(() => new Summary(options));

        Assert.Contains("rpc_latency_seconds", error.Message);
        Assert.Contains(offending, error.Message);
        var vecError = Assert.ThrowsAny<ArgumentException>(() => new SummaryVec(options, ["method"]));
        Assert.Contains("rpc_latency_seconds", vecError.Message);
    }

    [Fact]
    public void Out_of_range_settings_throw_ArgumentOutOfRangeException()
    {
        var options = Options();
        options.AgeBuckets = -3;

        Assert.Throws<ArgumentOutOfRangeException>(() => new Summary(options));
    }

    [Fact]
    public void Null_options_throw()
    {
        Assert.Throws<ArgumentNullException>(() => new Summary(null!));
        Assert.Throws<ArgumentNullException>(() => new SummaryVec(null!, ["a"]));
        Assert.Throws<ArgumentNullException>(() => new SummaryVec(Options(), null!));
    }

    [Fact]
    public void Summary_registers_and_gathers_as_a_summary_family()
    {
        var registry = new Registry();
        var summary = new Summary(Options());
        registry.Register(summary);
        summary.Observe(3);

        var family = Assert.Single(registry.Gather());

        Assert.Equal("request_duration_seconds", family.Name);
        Assert.Equal(MetricType.Summary, family.Type);
        var point = Assert.Single(family.Metrics);
        Assert.Equal(1ul, point.Count);
        Assert.All(point.Quantiles, q => Assert.Equal(3, q.Value));
    }

    [Fact]
    public void Summary_is_exposed_as_quantile_sum_and_count_lines()
    {
        var registry = new Registry();
        var summary = new Summary(new SummaryOptions
        {
            Name = "rpc_seconds",
            Help = "RPC latency.",
            Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01 },
        });
        registry.Register(summary);
        summary.Observe(1);
        summary.Observe(2);
        summary.Observe(3);

        using var stream = new MemoryStream();
        Instrumentation.Exposition.TextFormat.Write(stream, registry.Gather());
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains("# TYPE rpc_seconds summary\n", text);
        Assert.Contains("rpc_seconds{quantile=\"0.5\"} 2\n", text);
        Assert.Contains("rpc_seconds{quantile=\"0.9\"} 3\n", text);
        Assert.Contains("rpc_seconds_sum 6\n", text);
        Assert.Contains("rpc_seconds_count 3\n", text);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = TimeSpan.FromDays(1).Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Volatile.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
