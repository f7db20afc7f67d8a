namespace Instrumentation.Tests.Core;

public class ConstMetricTests
{
    private static MetricPoint Write(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    [Fact]
    public void Const_counter_and_gauge_carry_value_and_labels()
    {
        var desc = new Desc("c_total", "C.", ["a"], new Dictionary<string, string> { ["z"] = "1" });
        var point = Write(ConstMetric.Counter(desc, 7, "x"));
        Assert.Equal(7, point.Value);
        Assert.Equal([new LabelPair("a", "x"), new LabelPair("z", "1")], point.Labels);
        Assert.Equal(MetricType.Gauge, ConstMetric.Gauge(desc, -1, "x").Type);
    }

    [Fact]
    public void Wrong_label_count_names_the_metric_and_values()
    {
        var desc = new Desc("c_total", "C.", ["a", "b"], null);
        var ex = Assert.Throws<ArgumentException>(() => ConstMetric.Counter(desc, 1, "only-one"));
        Assert.Contains("c_total", ex.Message);
        Assert.Contains("a, b", ex.Message);
        Assert.Contains("only-one", ex.Message);
    }

    [Fact]
    public void Const_histogram_adds_the_inf_bucket_and_checks_cumulativeness()
    {
        var desc = new Desc("h", "H.", null, null);
        var point = Write(ConstMetric.Histogram(desc, 10, 55, new Dictionary<double, ulong> { [1] = 2, [5] = 7 }));
        Assert.Equal([1.0, 5, double.PositiveInfinity], point.Buckets.Select(b => b.UpperBound));
        Assert.Equal([2UL, 7, 10], point.Buckets.Select(b => b.CumulativeCount));
        Assert.Throws<ArgumentException>(() => ConstMetric.Histogram(desc, 10, 55, new Dictionary<double, ulong> { [1] = 5, [5] = 3 }));
        Assert.Throws<ArgumentException>(() => ConstMetric.Histogram(desc, 1, 55, new Dictionary<double, ulong> { [1] = 5 }));
    }

    [Fact]
    public void Const_summary_sorts_quantiles_and_checks_ranks()
    {
        var desc = new Desc("s", "S.", null, null);
        var point = Write(ConstMetric.Summary(desc, 3, 6, new Dictionary<double, double> { [0.9] = 3, [0.5] = 2 }));
        Assert.Equal([0.5, 0.9], point.Quantiles.Select(q => q.Quantile));
        Assert.Throws<ArgumentException>(() => ConstMetric.Summary(desc, 3, 6, new Dictionary<double, double> { [1.5] = 3 }));
    }

    [Fact]
    public void Info_and_stateset()
    {
        var info = Write(ConstMetric.Info(new Desc("build_info", "B.", ["version"], null), "1.2"));
        Assert.Equal(1, info.Value);
        var states = Write(ConstMetric.StateSet(new Desc("feature", "F.", null, null), new Dictionary<string, bool> { ["b"] = false, ["a"] = true }));
        Assert.Equal([new StateValue("a", true), new StateValue("b", false)], states.States);
    }

    [Fact]
    public void Timestamp_and_exemplar_wrappers()
    {
        var desc = new Desc("c_total", "C.", null, null);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var point = Write(ConstMetric.WithExemplar(ConstMetric.WithTimestamp(ConstMetric.Counter(desc, 1), at), new Exemplar([new LabelPair("trace_id", "t")], 1)));
        Assert.Equal(1_700_000_000_123, point.TimestampMs);
        Assert.Equal("t", point.Exemplar!.Labels.GetValue("trace_id"));
    }

    [Fact]
    public void Negative_const_counter_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConstMetric.Counter(new Desc("c_total", "C.", null, null), -1));
    }
}
