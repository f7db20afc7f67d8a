namespace Instrumentation.Tests.Core;

public class NativeHistogramTests
{
    private static Histogram Native(double factor, int maxBuckets = 0, double? zeroThreshold = null, double[]? buckets = null)
    {
        var options = new HistogramOptions
        {
            Name = "h",
            Help = "H.",
            NativeHistogramBucketFactor = factor,
            NativeHistogramMaxBucketNumber = maxBuckets,
            Buckets = buckets,
        };
        if (zeroThreshold is { } threshold)
        {
            options.NativeHistogramZeroThreshold = threshold;
        }
        return new Histogram(options);
    }

    private static MetricPoint Write(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    private static Dictionary<int, ulong> Counts(NativeBucket[] buckets) => buckets.ToDictionary(b => b.Index, b => b.Count);

    [Theory]
    [InlineData(2.0, 0)]
    [InlineData(1.5, 1)]
    [InlineData(1.1, 3)]
    [InlineData(1.01, 7)]
    [InlineData(1.0001, 8)]
    [InlineData(4.0, -1)]
    [InlineData(65536.0, -4)]
    [InlineData(1e300, -4)]
    public void Schema_is_the_coarsest_whose_growth_factor_does_not_exceed_the_bucket_factor(double factor, int schema)
    {
        Assert.Equal(schema, NativeBucketIndex.SchemaFor(factor));
        Assert.Equal(schema, Native(factor).NativeSchema);
    }

    [Theory]
    // Schema 0: bucket i is (2^(i-1), 2^i]; powers of two are upper bounds.
    [InlineData(0, 1.0, 0)]
    [InlineData(0, 2.0, 1)]
    [InlineData(0, 1.5, 1)]
    [InlineData(0, 0.75, 0)]
    [InlineData(0, 0.5, -1)]
    [InlineData(0, 4.0, 2)]
    // Schema 3: eight buckets per power of two.
    [InlineData(3, 1.0, 0)]
    [InlineData(3, 2.0, 8)]
    [InlineData(3, 0.5, -8)]
    [InlineData(3, 1.1, 2)]
    [InlineData(3, 1.9, 8)]
    // Schema 8.
    [InlineData(8, 2.0, 256)]
    [InlineData(8, 1.0, 0)]
    // Schema -1: bucket i is (4^(i-1), 4^i].
    [InlineData(-1, 1.0, 0)]
    [InlineData(-1, 2.0, 1)]
    [InlineData(-1, 4.0, 1)]
    [InlineData(-1, 4.0001, 2)]
    [InlineData(-1, 0.3, 0)]
    [InlineData(-1, 0.25, -1)]
    // Schema -4: bucket i is (65536^(i-1), 65536^i].
    [InlineData(-4, 1.0, 0)]
    [InlineData(-4, 65536.0, 1)]
    [InlineData(-4, 65537.0, 2)]
    [InlineData(-4, 1.0 / 65536, -1)]
    public void Bucket_index_puts_each_value_in_the_bucket_whose_range_includes_it(int schema, double value, int index)
    {
        Assert.Equal(index, NativeBucketIndex.IndexOf(value, schema));
    }

    [Theory]
    [InlineData(-4)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Just_above_a_bucket_bound_power_of_two_is_the_next_bucket_and_just_below_is_the_same(int schema)
    {
        // Below schema 0 only every 2^-schema-th power of two is a bucket bound.
        var step = schema < 0 ? 1 << -schema : 1;
        foreach (var power in new[] { -1, 0, 1, 10, -60 }.Select(k => Math.ScaleB(1, k * step)))
        {
            var index = NativeBucketIndex.IndexOf(power, schema);
            Assert.Equal(index + 1, NativeBucketIndex.IndexOf(Math.BitIncrement(power), schema));
            Assert.Equal(index, NativeBucketIndex.IndexOf(Math.BitDecrement(power), schema));
        }
    }

    [Fact]
    public void Tiny_huge_and_infinite_magnitudes_have_exact_indexes()
    {
        // 2^-1074 is the upper bound of bucket -1074 at schema 0.
        Assert.Equal(-1074, NativeBucketIndex.IndexOf(double.Epsilon, 0));
        Assert.Equal(-1074 * 256, NativeBucketIndex.IndexOf(double.Epsilon, 8));
        // double.MaxValue is just below 2^1024.
        Assert.Equal(1024, NativeBucketIndex.IndexOf(double.MaxValue, 0));
        Assert.Equal(1024 * 8, NativeBucketIndex.IndexOf(double.MaxValue, 3));
        // ±Inf: the bucket just above double.MaxValue's.
        Assert.Equal(1024 * 8 + 1, NativeBucketIndex.IndexOf(double.PositiveInfinity, 3));
        Assert.Equal(1025, NativeBucketIndex.IndexOf(double.PositiveInfinity, 0));
        Assert.Equal(65, NativeBucketIndex.IndexOf(double.PositiveInfinity, -4));
    }

    [Fact]
    public void Bound_tables_are_the_prometheus_reference_bounds()
    {
        // Prometheus's table, not the correctly rounded bounds: 2^(-1/4) rounds to ...145, the reference has ...144.
        Assert.Equal([0.5, 0.7071067811865475], NativeBucketIndex.Table(1));
        Assert.Equal([0.5, 0.5946035575013605, 0.7071067811865475, 0.8408964152537144], NativeBucketIndex.Table(2));
        Assert.Equal(256, NativeBucketIndex.Table(8).Length);
        // 2^(-1/2) = 0.70710678118654752...: the table's double is below it and the next double is above it.
        Assert.Equal(1, NativeBucketIndex.IndexOf(2 * 0.7071067811865475, 1));
        Assert.Equal(2, NativeBucketIndex.IndexOf(2 * Math.BitIncrement(0.7071067811865475), 1));
    }

    [Fact]
    public void Coarsening_maps_each_bucket_into_the_one_that_contains_it()
    {
        Assert.Equal([0, 1, 1, 2, 2, 0, 0, -1], new[] { 0, 1, 2, 3, 4, -1, 0, -2 }.Select(i => NativeBucketIndex.Coarsen(i, 1)));
        Assert.Equal(1, NativeBucketIndex.Coarsen(4, 2));
        // The infinity bucket of one schema coarsens to the infinity bucket of the next.
        for (var schema = 8; schema > NativeBucketIndex.MinSchema; schema--)
        {
            Assert.Equal(NativeBucketIndex.InfinityIndex(schema - 1), NativeBucketIndex.Coarsen(NativeBucketIndex.InfinityIndex(schema), 1));
        }
    }

    [Fact]
    public void Observations_are_counted_in_zero_positive_and_negative_buckets()
    {
        var histogram = Native(2);
        foreach (var v in new[] { 0, 1e-40, 1, 1, 1.5, 3, -1, -2.5 })
        {
            histogram.Observe(v);
        }
        var point = Write(histogram);

        Assert.Equal(0, point.NativeSchema);
        Assert.Equal(Math.ScaleB(1, -128), point.NativeZeroThreshold);
        Assert.Equal(2UL, point.NativeZeroCount);
        Assert.Equal([new NativeBucket(0, 2), new NativeBucket(1, 1), new NativeBucket(2, 1)], point.PositiveBuckets);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(2, 1)], point.NegativeBuckets);
        Assert.Equal(8UL, point.Count);
        Assert.Equal(8UL, point.Buckets[^1].CumulativeCount);
    }

    [Fact]
    public void Values_within_the_zero_threshold_go_to_the_zero_bucket()
    {
        var histogram = Native(2, zeroThreshold: 0.5);
        foreach (var v in new[] { 0.5, -0.5, 0.25, 0.0, 0.51, -0.51 })
        {
            histogram.Observe(v);
        }
        var point = Write(histogram);
        Assert.Equal(4UL, point.NativeZeroCount);
        Assert.Equal([new NativeBucket(0, 1)], point.PositiveBuckets);
        Assert.Equal([new NativeBucket(0, 1)], point.NegativeBuckets);
    }

    [Fact]
    public void NaN_has_no_native_bucket_but_is_counted_and_in_the_classic_Inf_bucket()
    {
        var histogram = Native(2, buckets: [1]);
        histogram.Observe(0.5);
        histogram.Observe(double.NaN);
        var point = Write(histogram);
        Assert.Equal(2UL, point.Count);
        Assert.Equal([1UL, 2UL], point.Buckets.Select(b => b.CumulativeCount));
        Assert.Equal(1UL, point.PositiveBuckets.Aggregate(0UL, (sum, b) => sum + b.Count) + point.NativeZeroCount);
        Assert.True(double.IsNaN(point.Sum));
    }

    [Fact]
    public void Exceeding_the_bucket_limit_halves_the_resolution_and_merges_pairs()
    {
        var histogram = Native(2, maxBuckets: 2);
        histogram.Observe(1);
        histogram.Observe(2);
        Assert.Equal(0, histogram.NativeSchema);

        histogram.Observe(4); // a third bucket at schema 0: (1,2] and (2,4] merge into (1,4] at schema -1
        var point = Write(histogram);
        Assert.Equal(-1, point.NativeSchema);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(1, 2)], point.PositiveBuckets);

        histogram.Observe(16); // bucket 2 at schema -1 is a third again: schema -2, buckets (1/16,1] and (1,16]
        point = Write(histogram);
        Assert.Equal(-2, point.NativeSchema);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(1, 3)], point.PositiveBuckets);
        Assert.Equal(4UL, point.Count);

        histogram.Observe(3); // an existing bucket at schema -2
        point = Write(histogram);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(1, 4)], point.PositiveBuckets);
    }

    [Fact]
    public void Halving_stops_at_the_coarsest_schema()
    {
        var histogram = Native(65536, maxBuckets: 1);
        histogram.Observe(1);
        histogram.Observe(1e10);
        histogram.Observe(1e-10);
        var point = Write(histogram);
        Assert.Equal(-4, point.NativeSchema);
        Assert.Equal(3, point.PositiveBuckets.Length);
        Assert.Equal(3UL, point.Count);
    }

    [Fact]
    public void Unchanged_bucket_set_reuses_the_points_native_arrays()
    {
        var histogram = Native(2);
        histogram.Observe(1);
        histogram.Observe(-3);
        var point = new MetricPoint();
        histogram.Write(point);
        var positive = point.PositiveBuckets;
        var negative = point.NegativeBuckets;
        histogram.Observe(1);
        histogram.Write(point);
        Assert.Same(positive, point.PositiveBuckets);
        Assert.Same(negative, point.NegativeBuckets);
        Assert.Equal([new NativeBucket(0, 2)], point.PositiveBuckets);
    }

    [Fact]
    public void Classic_only_histogram_has_no_native_part()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 1 });
        histogram.Observe(1);
        Assert.Null(histogram.NativeSchema);
        Assert.Null(Write(histogram).NativeSchema);
    }

    [Fact]
    public void HistogramVec_children_share_the_native_settings()
    {
        var vec = new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 1.1 }, ["route"]);
        var child = vec.WithLabels("a");
        child.Observe(1);
        Assert.Equal(3, child.NativeSchema);
        Assert.Equal([new NativeBucket(0, 1)], Write(child).PositiveBuckets);
    }

    [Fact]
    public void MetricFactory_with_a_namespace_keeps_the_native_options()
    {
        var factory = new MetricFactory(new Registry(), "shop");
        var histogram = factory.CreateHistogram(new HistogramOptions
        {
            Name = "h", Help = "H.", NativeHistogramBucketFactor = 2, NativeHistogramMaxBucketNumber = 1,
        });
        histogram.Observe(2); // bucket 1 at schema 0
        histogram.Observe(4); // bucket 2: one too many, both are (1, 4] at schema -1
        Assert.Equal("shop_h", histogram.Desc.FqName);
        Assert.Equal(-1, histogram.NativeSchema);
        Assert.Throws<ArgumentException>(() => factory.CreateHistogram(new HistogramOptions { Name = "h", Help = "H." }));
    }

    [Fact]
    public void Steady_state_gather_of_native_histograms_reuses_the_points_arrays()
    {
        var registry = new Registry();
        var vec = new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 1.1 }, ["route"]);
        registry.MustRegister(vec);
        for (var i = 0; i < 50; i++)
        {
            foreach (var v in new[] { -2, 0, 0.001 * i, 0.5, 3, 3.0 * i })
            {
                vec.WithLabels("/r" + i).Observe(v);
            }
        }
        var buffer = new GatherBuffer();
        registry.Gather(buffer);
        registry.Gather(buffer);

        long allocated = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            registry.Gather(buffer);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // 50 series with 3 to 5 native buckets each: arrays per series per scrape would be several kilobytes.
        Assert.True(allocated < 512, $"Gather allocated {allocated} bytes.");
    }

    [Theory]
    [InlineData(double.NaN, 1e-9, 0, "NativeHistogramBucketFactor")]
    [InlineData(2.0, -1.0, 0, "NativeHistogramZeroThreshold")]
    [InlineData(2.0, double.NaN, 0, "NativeHistogramZeroThreshold")]
    [InlineData(2.0, double.PositiveInfinity, 0, "NativeHistogramZeroThreshold")]
    [InlineData(2.0, 1e-9, -1, "NativeHistogramMaxBucketNumber")]
    public void Invalid_native_options_throw_naming_the_metric_and_the_option(double factor, double threshold, int maxBuckets, string option)
    {
        var options = new HistogramOptions
        {
            Name = "req_seconds",
            Help = "H.",
            NativeHistogramBucketFactor = factor,
            NativeHistogramZeroThreshold = threshold,
            NativeHistogramMaxBucketNumber = maxBuckets,
        };
        var single = Assert.Throws<ArgumentException>(() => new Histogram(options));
        Assert.Contains("req_seconds", single.Message);
        Assert.Contains(option, single.Message);
        var vec = Assert.Throws<ArgumentException>(() => new HistogramVec(options, ["a"]));
        Assert.Contains(option, vec.Message);
    }

    [Fact]
    public void Concurrent_scrapes_always_see_count_equal_to_zero_plus_native_buckets_and_classic_buckets_within_it()
    {
        // A small bucket limit makes the resolution halve while observers and the scraper run.
        var histogram = Native(1.01, maxBuckets: 20, buckets: [-1, 0, 0.001, 1, 100]);
        const int Threads = 4, PerThread = 50_000;
        using var start = new Barrier(Threads + 1);
        var observers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var v = random.Next(10) switch
                {
                    0 => 0.0,
                    1 => -random.NextDouble() * 10,
                    _ => Math.Exp(random.NextDouble() * 20 - 10),
                };
                histogram.Observe(v);
            }
        })).ToList();
        observers.ForEach(o => o.Start());
        start.SignalAndWait();

        var point = new MetricPoint();
        var scrapes = 0;
        while (observers.Any(o => o.IsAlive) || scrapes == 0)
        {
            histogram.Write(point);
            AssertConsistent(point);
            scrapes++;
        }
        observers.ForEach(o => o.Join());

        histogram.Write(point);
        AssertConsistent(point);
        Assert.Equal((ulong)(Threads * PerThread), point.Count);
        Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
        Assert.True(point.PositiveBuckets.Length + point.NegativeBuckets.Length <= 20);
        Assert.True(point.NativeSchema < 7);
    }

    private static void AssertConsistent(MetricPoint point)
    {
        var native = point.NativeZeroCount
            + point.PositiveBuckets.Aggregate(0UL, (sum, b) => sum + b.Count)
            + point.NegativeBuckets.Aggregate(0UL, (sum, b) => sum + b.Count);
        Assert.Equal(native, point.Count);
        ulong previous = 0;
        foreach (var bucket in point.Buckets)
        {
            Assert.True(bucket.CumulativeCount <= point.Count, $"classic bucket {bucket.UpperBound} has {bucket.CumulativeCount} > count {point.Count}");
            Assert.True(bucket.CumulativeCount >= previous);
            previous = bucket.CumulativeCount;
        }
        // The text formats write _count and the +Inf bucket from these: they must agree.
        Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
        AssertSorted(point.PositiveBuckets);
        AssertSorted(point.NegativeBuckets);
    }

    private static void AssertSorted(NativeBucket[] buckets)
    {
        for (var i = 1; i < buckets.Length; i++)
        {
            Assert.True(buckets[i - 1].Index < buckets[i].Index);
        }
    }
}
