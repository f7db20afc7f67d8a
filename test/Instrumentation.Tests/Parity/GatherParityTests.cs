using System.Text;

namespace Instrumentation.Tests.Parity;

/// <summary>Gathering rules held against client_golang's registry.go (checkSuffixCollisions, checkMetricConsistency, the metric sorter).</summary>
public class GatherParityTests
{
    private static ICollector Family(string name, MetricType type)
    {
        var desc = new Desc(name, name + " help.", null, null);
        return new FixedCollector([desc], () => [new TypedMetric(desc, type)]);
    }

    public static TheoryData<MetricType, string, MetricType, string, bool> SuffixCases() => new()
    {
        { MetricType.Summary, "x", MetricType.Gauge, "x_count", true },
        { MetricType.Summary, "x", MetricType.Gauge, "x_sum", true },
        { MetricType.Summary, "x", MetricType.Gauge, "x_bucket", false },
        { MetricType.Histogram, "x", MetricType.Gauge, "x_count", true },
        { MetricType.Histogram, "x", MetricType.Counter, "x_sum", true },
        { MetricType.Histogram, "x", MetricType.Untyped, "x_bucket", true },
        { MetricType.Histogram, "x", MetricType.Summary, "x_count", true },
        { MetricType.GaugeHistogram, "x", MetricType.Gauge, "x_bucket", true },
        { MetricType.GaugeHistogram, "x", MetricType.Gauge, "x_count", true },
        { MetricType.GaugeHistogram, "x", MetricType.Gauge, "x_gcount", true },
        { MetricType.GaugeHistogram, "x", MetricType.Gauge, "x_gsum", true },
        { MetricType.Histogram, "x", MetricType.Gauge, "x_gsum", false },
        { MetricType.Gauge, "x", MetricType.Gauge, "x_count", false },
        { MetricType.Counter, "x", MetricType.Gauge, "x_sum", false },
        { MetricType.Histogram, "x", MetricType.Gauge, "x_total", false },
        // An info family "build" writes its samples as "build_info" in every format.
        { MetricType.Info, "build", MetricType.Gauge, "build_info", true },
        { MetricType.Gauge, "build", MetricType.Gauge, "build_info", false },
    };

    [Theory]
    [MemberData(nameof(SuffixCases))]
    public void Suffix_collisions_are_gather_errors_naming_both_families_in_either_order(MetricType baseType, string baseName, MetricType otherType, string otherName, bool collides)
    {
        foreach (var baseFirst in new[] { true, false })
        {
            var registry = new Registry();
            var (first, second) = baseFirst ? (Family(baseName, baseType), Family(otherName, otherType)) : (Family(otherName, otherType), Family(baseName, baseType));
            registry.MustRegister(first, second);
            var (firstName, secondName) = baseFirst ? (baseName, otherName) : (otherName, baseName);

            if (!collides)
            {
                Assert.Equal(2, registry.Gather().Count);
                continue;
            }
            var ex = Assert.Throws<GatherException>(() => registry.Gather());
            var error = Assert.Single(ex.Errors);
            Assert.Contains($"\"{baseName}\"", error);
            Assert.Contains($"\"{otherName}\"", error);
            // As in Go, the family collected first is kept and the later one is dropped.
            Assert.Equal(firstName, Assert.Single(ex.Families).Name);
            Assert.DoesNotContain(ex.Families, f => f.Name == secondName);
        }
    }

    [Fact]
    public void A_summary_and_a_gauge_named_like_its_count_never_expose_rpc_count_twice()
    {
        var registry = new Registry();
        var summary = new Summary(new SummaryOptions { Name = "rpc", Help = "R." });
        var gauge = new Gauge(new GaugeOptions { Name = "rpc_count", Help = "C." });
        registry.MustRegister(summary, gauge);
        summary.Observe(1);
        gauge.Set(5);

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains("\"rpc\"", ex.Errors.Single());
        Assert.Contains("\"rpc_count\"", ex.Errors.Single());
        Assert.Equal(["rpc"], ex.Families.Select(f => f.Name));
    }

    [Fact]
    public void Gatherers_report_suffix_collisions_across_registries()
    {
        var first = new Registry();
        first.Register(Family("lat", MetricType.Histogram));
        var second = new Registry();
        second.Register(Family("lat_bucket", MetricType.Gauge));

        var ex = Assert.Throws<GatherException>(() => new Gatherers(first, second).Gather());
        Assert.Contains("\"lat\"", ex.Errors.Single());
        Assert.Contains("\"lat_bucket\"", ex.Errors.Single());
        Assert.Equal(["lat"], ex.Families.Select(f => f.Name));
    }

    [Fact]
    public void Samples_of_one_series_with_different_timestamps_are_not_duplicates_and_are_ordered_by_timestamp()
    {
        var desc = new Desc("temperature", "T.", ["room"], null);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var registry = new Registry();
        registry.Register(new FixedCollector([desc], () =>
        [
            ConstMetric.Gauge(desc, 9, "kitchen"),
            ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 3, "kitchen"), t0.AddSeconds(2)),
            ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 1, "kitchen"), t0),
            ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 2, "attic"), t0),
        ]));

        var family = Assert.Single(registry.Gather());
        // Labels first; within one series, explicit timestamps ascending and the sample without one ("now") last.
        Assert.Equal(["attic", "kitchen", "kitchen", "kitchen"], family.Metrics.Select(m => m.Labels.GetValue("room")));
        Assert.Equal([2.0, 1, 3, 9], family.Metrics.Select(m => m.Value));
        Assert.Equal([t0.ToUnixTimeMilliseconds(), t0.ToUnixTimeMilliseconds(), t0.AddSeconds(2).ToUnixTimeMilliseconds(), (long?)null], family.Metrics.Select(m => m.TimestampMs));
    }

    [Fact]
    public void Samples_of_one_series_with_the_same_timestamp_or_both_without_remain_duplicates()
    {
        var desc = new Desc("temperature", "T.", ["room"], null);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var registry = new Registry();
        registry.Register(new FixedCollector([desc], () =>
        [
            ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 1, "kitchen"), t0),
            ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 2, "kitchen"), t0),
            ConstMetric.Gauge(desc, 3, "attic"),
            ConstMetric.Gauge(desc, 4, "attic"),
        ]));

        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Equal(2, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Contains("collected before", e));
        // The first collected of each pair is kept.
        Assert.Equal([3.0, 1], ex.Families.Single().Metrics.Select(m => m.Value));
    }

    [Fact]
    public void Series_are_ordered_by_code_point_so_an_astral_value_sorts_after_U_FF01()
    {
        var registry = new Registry();
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["v"]);
        registry.Register(vec);
        foreach (var value in new[] { "\U0001F600", "\uFF01", "a", "\uFFFF", "\uD7FF" })
        {
            vec.WithLabels(value).Inc();
        }

        var expected = new[] { "a", "\uD7FF", "\uFF01", "\uFFFF", "\U0001F600" };
        Assert.Equal(expected, registry.Gather().Single().Metrics.Select(m => m.Labels.GetValue("v")));
        // The vec hands its children out in that order already, so the gather does not need to sort them.
        Assert.Equal(expected, vec.Collect().Select(m => { var p = new MetricPoint(); m.Write(p); return p.Labels.GetValue("v"); }));
    }

    [Fact]
    public void Families_and_label_names_are_ordered_by_code_point_under_UTF8_names()
    {
        var registry = new Registry(new RegistryOptions { NameValidation = NameValidationScheme.Utf8 });
        var astral = new Desc("m\U0001F600", "A.", null, new Dictionary<string, string> { ["l\U0001F600"] = "1", ["l\uFF01"] = "2" });
        var fullwidth = new Desc("m\uFF01", "F.", null, null);
        registry.Register(new FixedCollector([astral, fullwidth], () => [ConstMetric.Gauge(astral, 1), ConstMetric.Gauge(fullwidth, 2)]));

        var families = registry.Gather();
        Assert.Equal(["m\uFF01", "m\U0001F600"], families.Select(f => f.Name));
        Assert.Equal(["l\uFF01", "l\U0001F600"], families[1].Metrics.Single().Labels.Select(p => p.Name));
    }

    [Fact]
    public void Code_point_order_agrees_with_UTF8_byte_order()
    {
        var alphabet = new[] { "a", "z", "\u00e9", "\u07ff", "\u0800", "\uD7FF", "\uE000", "\uFF01", "\uFFFF", "\U00010000", "\U0001F600", "\U0010FFFF" };
        var random = new Random(11);
        var strings = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var sb = new StringBuilder();
            var length = random.Next(0, 5);
            for (var j = 0; j < length; j++)
            {
                sb.Append(alphabet[random.Next(alphabet.Length)]);
            }
            strings.Add(sb.ToString());
        }
        foreach (var a in strings)
        {
            foreach (var b in strings)
            {
                var expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
                Assert.True(expected == Math.Sign(CodePointOrder.Compare(a, b)), $"\"{a}\" vs \"{b}\"");
            }
        }
    }
}
