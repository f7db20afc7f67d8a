using System.Buffers;
using System.Numerics;
using Instrumentation.Exposition;
using Instrumentation.Tests.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Review;

/// <summary>Review tests for native histograms: independent index arithmetic, span encoding and scrape consistency.</summary>
public class NativeHistogramReviewTests
{
    // ---- Independent, exact bucket arithmetic (BigInteger) ----

    /// <summary>Whether v ≤ base^index at <paramref name="schema"/>, exactly (v positive and finite).</summary>
    private static bool AtMostUpperBound(double v, int schema, long index)
    {
        var bits = BitConverter.DoubleToInt64Bits(v);
        var biased = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0x000F_FFFF_FFFF_FFFF;
        int scale;
        if (biased == 0)
        {
            scale = -1074; // subnormal
        }
        else
        {
            mantissa |= 0x0010_0000_0000_0000;
            scale = biased - 1075;
        }
        // v = m * 2^scale.
        if (schema <= 0)
        {
            // bound = 2^(index * 2^-schema): m * 2^scale <= 2^e  <=>  m <= 2^(e - scale)
            var e = index << -schema;
            var shift = e - scale;
            if (shift < 0)
            {
                return false; // m >= 1
            }
            return shift >= 64 || (ulong)mantissa <= (1UL << (int)shift);
        }
        // v^(2^s) <= 2^index  <=>  m^p * 2^(scale*p) <= 2^index
        var p = 1 << schema;
        var left = BigInteger.Pow(mantissa, p);
        var sh = index - (long)scale * p;
        return sh >= 0 ? left <= (BigInteger.One << (int)sh) : (left << (int)-sh) <= BigInteger.One;
    }

    private static long ReferenceIndex(double v, int schema)
    {
        // Start from a floating estimate and fix it up exactly.
        var estimate = (long)Math.Ceiling(Math.ScaleB(Math.Log2(v), schema));
        while (!AtMostUpperBound(v, schema, estimate))
        {
            estimate++;
        }
        while (AtMostUpperBound(v, schema, estimate - 1))
        {
            estimate--;
        }
        return estimate;
    }

    private static IEnumerable<double> InterestingValues()
    {
        var random = new Random(12345);
        yield return double.Epsilon;
        yield return Math.BitIncrement(double.Epsilon);
        yield return double.MaxValue;
        yield return Math.BitDecrement(double.MaxValue);
        yield return 2.2250738585072014E-308; // smallest normal
        yield return Math.BitDecrement(2.2250738585072014E-308); // largest subnormal
        yield return 1;
        yield return Math.BitIncrement(1.0);
        yield return Math.BitDecrement(1.0);
        for (var e = -1074; e <= 1023; e += 37)
        {
            var power = Math.ScaleB(1, e);
            yield return power;
            yield return Math.BitIncrement(power);
            if (e > -1074)
            {
                yield return Math.BitDecrement(power);
            }
        }
        // Near the schema-8 bounds 2^(j/256) scaled by various powers of two (including subnormal scales).
        for (var j = 0; j < 256; j += 7)
        {
            var bound = Math.Pow(2, j / 256.0);
            foreach (var e in new[] { -1060, -20, 0, 1, 50, 1000 })
            {
                var scaled = Math.ScaleB(bound, e);
                yield return scaled;
                yield return Math.BitIncrement(scaled);
                yield return Math.BitDecrement(scaled);
            }
        }
        for (var i = 0; i < 300; i++)
        {
            yield return Math.Exp(random.NextDouble() * 1400 - 700);
            // random bit patterns (finite, positive, including subnormals)
            var bits = random.NextInt64(1, 0x7FEF_FFFF_FFFF_FFFF);
            yield return BitConverter.Int64BitsToDouble(bits);
        }
    }

    /// <summary>
    /// Whether a difference from the exact index is the reference table's (issue 11 item 20): Prometheus's bounds are up
    /// to three ulps from the true ones, so a fraction within that of a table entry may land one bucket either way.
    /// </summary>
    private static bool AtReferenceBound(double v, int schema, long difference)
    {
        if (schema <= 0 || Math.Abs(difference) != 1)
        {
            return false;
        }
        var fraction = Math.ScaleB(v, -(Math.ILogB(v) + 1));
        return NativeBucketIndex.Table(schema).Any(bound =>
            Math.Abs(BitConverter.DoubleToInt64Bits(bound) - BitConverter.DoubleToInt64Bits(fraction)) <= 4);
    }

    [Fact]
    public void Bucket_index_agrees_with_exact_BigInteger_reference_for_every_schema()
    {
        var failures = new List<string>();
        foreach (var v in InterestingValues())
        {
            for (var schema = NativeBucketIndex.MinSchema; schema <= NativeBucketIndex.MaxSchema; schema++)
            {
                var expected = ReferenceIndex(v, schema);
                var actual = NativeBucketIndex.IndexOf(v, schema);
                if (expected != actual && !AtReferenceBound(v, schema, expected - actual))
                {
                    failures.Add($"v={v:R} schema={schema}: expected {expected}, got {actual}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Coarsened_index_equals_the_index_computed_directly_at_the_coarser_schema()
    {
        var failures = new List<string>();
        foreach (var v in InterestingValues())
        {
            for (var schema = NativeBucketIndex.MinSchema + 1; schema <= NativeBucketIndex.MaxSchema; schema++)
            {
                var fine = NativeBucketIndex.IndexOf(v, schema);
                for (var steps = 1; schema - steps >= NativeBucketIndex.MinSchema; steps++)
                {
                    var direct = NativeBucketIndex.IndexOf(v, schema - steps);
                    var coarsened = NativeBucketIndex.Coarsen(fine, steps);
                    if (direct != coarsened)
                    {
                        failures.Add($"v={v:R} {schema}->{schema - steps}: direct {direct}, coarsened {coarsened}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Coarsen_is_the_ceiling_of_the_index_over_two_to_the_steps_for_negative_and_positive_indexes()
    {
        for (var index = -5000; index <= 5000; index++)
        {
            for (var steps = 1; steps <= 12; steps++)
            {
                var expected = (int)Math.Ceiling(index / (double)(1 << steps));
                Assert.Equal(expected, NativeBucketIndex.Coarsen(index, steps));
            }
        }
    }

    [Fact]
    public void Negative_observations_mirror_positive_ones_and_the_zero_threshold_itself_is_in_the_zero_bucket()
    {
        var options = new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 1.1, NativeHistogramZeroThreshold = 0.25 };
        var histogram = new Histogram(options);
        histogram.Observe(0.25);
        histogram.Observe(-0.25);
        histogram.Observe(Math.BitIncrement(0.25));
        histogram.Observe(-Math.BitIncrement(0.25));
        histogram.Observe(3);
        histogram.Observe(-3);
        var point = new MetricPoint();
        histogram.Write(point);

        Assert.Equal(2UL, point.NativeZeroCount);
        Assert.Equal(point.PositiveBuckets, point.NegativeBuckets);
        Assert.Equal(
            new[] { ReferenceIndex(Math.BitIncrement(0.25), 3), ReferenceIndex(3, 3) },
            point.PositiveBuckets.Select(b => (long)b.Index));
        Assert.Equal(6UL, point.Count);
    }

    [Fact]
    public void Default_zero_threshold_is_exactly_two_to_the_minus_128()
    {
        Assert.Equal(HistogramOptions.DefaultNativeHistogramZeroThreshold, Math.ScaleB(1, -128));
    }

    // ---- Span encoding ----

    private static PbHistogram RoundTrip(Histogram histogram) => Exposition.NativeHistogramProtobufTests.RoundTrip(histogram);

    /// <summary>Absolute indexes from spans as Prometheus decodes them, rejecting negative gaps as Prometheus does.</summary>
    private static List<long> DecodeIndexes(IReadOnlyList<PbSpan> spans)
    {
        var indexes = new List<long>();
        long next = 0;
        for (var s = 0; s < spans.Count; s++)
        {
            Assert.True(s == 0 || spans[s].Offset >= 0, $"span {s + 1} has negative offset {spans[s].Offset} (Prometheus rejects the histogram)");
            next += spans[s].Offset;
            for (var k = 0; k < spans[s].Length; k++)
            {
                indexes.Add(next++);
            }
        }
        return indexes;
    }

    [Theory]
    [InlineData(2.0, 0.25)]     // schema 0, bucket -2 then +Inf
    [InlineData(1.1, 0.5)]      // schema 3, bucket -8 then +Inf
    [InlineData(2.0, 1e-6)]     // schema 0, bucket -19 then +Inf
    public void Infinity_next_to_a_bucket_below_minus_one_encodes_decodable_spans(double factor, double small)
    {
        var options = new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = factor };
        var histogram = new Histogram(options);
        histogram.Observe(small);
        histogram.Observe(double.PositiveInfinity);
        histogram.Observe(double.NegativeInfinity);
        histogram.Observe(-small);

        var decoded = RoundTrip(histogram);

        var point = new MetricPoint();
        histogram.Write(point);
        Assert.Equal(point.PositiveBuckets.Select(b => (long)b.Index), DecodeIndexes(decoded.PositiveSpans));
        Assert.Equal(point.NegativeBuckets.Select(b => (long)b.Index), DecodeIndexes(decoded.NegativeSpans));
    }

    [Fact]
    public void Single_bucket_and_zero_threshold_zero_encode_as_expected()
    {
        var options = new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 2, NativeHistogramZeroThreshold = 0 };
        var histogram = new Histogram(options);
        histogram.Observe(-0.75); // negative bucket 0 at schema 0
        histogram.Observe(0.0);
        histogram.Observe(-0.0);

        var decoded = RoundTrip(histogram);

        Assert.Equal(0.0, decoded.ZeroThreshold);
        Assert.Equal(2UL, decoded.ZeroCount);
        Assert.Empty(decoded.PositiveSpans);
        Assert.Equal([new PbSpan(0, 1)], decoded.NegativeSpans);
        Assert.Equal([1L], decoded.NegativeDeltas);
    }

    [Fact]
    public void Fewer_buckets_on_a_later_scrape_leave_no_stale_bucket_in_the_reused_arrays()
    {
        // A second histogram's point reused with a different series must not leak the first one's buckets.
        var options = new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 2, NativeHistogramMaxBucketNumber = 2 };
        var histogram = new Histogram(options);
        var point = new MetricPoint();
        histogram.Observe(1);
        histogram.Observe(2);
        histogram.Write(point);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(1, 1)], point.PositiveBuckets);
        // A third bucket halves: 1 -> 0, 2 -> ceil(1/2) = 1, 4 -> 1.
        histogram.Observe(4);
        histogram.Write(point);
        Assert.Equal(-1, point.NativeSchema);
        Assert.Equal([new NativeBucket(0, 1), new NativeBucket(1, 2)], point.PositiveBuckets);
        Assert.Equal(3UL, point.Count);
    }

    // ---- Concurrency: monotonic scrapes while halving ----

    [Fact]
    public void Scrapes_during_halving_never_go_backwards_and_lose_nothing()
    {
        var options = new HistogramOptions
        {
            Name = "h",
            Help = "H.",
            Buckets = [0.001, 1, 1000],
            NativeHistogramBucketFactor = 1.0001,
            NativeHistogramMaxBucketNumber = 8,
        };
        var histogram = new Histogram(options);
        const int Threads = 2, PerThread = 40_000;
        using var start = new Barrier(Threads + 1);
        var observers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(100 + t);
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var v = Math.Exp(random.NextDouble() * 40 - 20);
                histogram.Observe(random.Next(3) == 0 ? -v : v);
            }
        })).ToList();
        observers.ForEach(o => o.Start());
        start.SignalAndWait();

        var point = new MetricPoint();
        ulong previousCount = 0;
        var previousClassic = new ulong[4];
        var previousSchema = int.MaxValue;
        while (observers.Any(o => o.IsAlive))
        {
            histogram.Write(point);
            Assert.True(point.Count >= previousCount, $"count went back from {previousCount} to {point.Count}");
            Assert.True(point.NativeSchema <= previousSchema);
            for (var i = 0; i < 4; i++)
            {
                Assert.True(point.Buckets[i].CumulativeCount >= previousClassic[i], $"classic bucket {i} went back");
                previousClassic[i] = point.Buckets[i].CumulativeCount;
            }
            previousCount = point.Count;
            previousSchema = point.NativeSchema!.Value;
        }
        observers.ForEach(o => o.Join());
        histogram.Write(point);
        Assert.Equal((ulong)(Threads * PerThread), point.Count);
        Assert.Equal(point.Count, point.NativeZeroCount
            + point.PositiveBuckets.Aggregate(0UL, (s, b) => s + b.Count)
            + point.NegativeBuckets.Aggregate(0UL, (s, b) => s + b.Count));
    }
}

public class NativeHistogramReviewNaNAndVecTests
{
    [Fact]
    public void NaN_observation_stays_in_count_and_classic_Inf_bucket_as_docs_and_reference_client_say()
    {
        // docs/native-histograms.md: "NaN is counted in the classic +Inf bucket and the sum, as for classic histograms".
        // client_golang counts NaN in sample_count (only the native buckets skip it); Prometheus accepts
        // count > zero + buckets when the sum is NaN.
        var classic = new Histogram(new HistogramOptions { Name = "c", Help = "H.", Buckets = [1] });
        var native = new Histogram(new HistogramOptions { Name = "n", Help = "H.", Buckets = [1], NativeHistogramBucketFactor = 2 });
        foreach (var h in new[] { classic, native })
        {
            h.Observe(0.5);
            h.Observe(double.NaN);
        }
        var classicPoint = new MetricPoint();
        var nativePoint = new MetricPoint();
        classic.Write(classicPoint);
        native.Write(nativePoint);

        Assert.Equal(2UL, classicPoint.Count);
        Assert.Equal(classicPoint.Count, nativePoint.Count);
        Assert.Equal(classicPoint.Buckets[^1].CumulativeCount, nativePoint.Buckets[^1].CumulativeCount);
    }

    [Fact]
    public void HistogramVec_children_halve_independently()
    {
        var vec = new HistogramVec(new HistogramOptions
        {
            Name = "h", Help = "H.", NativeHistogramBucketFactor = 2, NativeHistogramMaxBucketNumber = 2,
        }, ["route"]);
        var a = vec.WithLabels("a");
        var b = vec.WithLabels("b");
        a.Observe(1);
        a.Observe(2);
        a.Observe(4); // third bucket: a halves to schema -1
        b.Observe(1);
        b.Observe(2);
        Assert.Equal(-1, a.NativeSchema);
        Assert.Equal(0, b.NativeSchema);
        var later = vec.WithLabels("c");
        Assert.Equal(0, later.NativeSchema);
    }
}
