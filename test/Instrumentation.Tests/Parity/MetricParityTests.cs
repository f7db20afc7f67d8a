namespace Instrumentation.Tests.Parity;

/// <summary>
/// Metric-type divergences from client_golang found by the parity review (issue 11): bucket bounds, bucket helpers,
/// const summaries and histograms with reserved labels, exemplar labels.
/// </summary>
public class MetricParityTests
{
    [Theory]
    [InlineData(new[] { 1.0, double.PositiveInfinity, double.PositiveInfinity })]
    [InlineData(new[] { double.PositiveInfinity, double.PositiveInfinity })]
    [InlineData(new[] { double.PositiveInfinity, 1.0 })]
    [InlineData(new[] { 1.0, double.PositiveInfinity, 2.0 })]
    public void Histogram_refuses_an_inf_bound_that_is_not_the_single_last_one(double[] bounds)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = bounds }));
        Assert.Contains("\"h\"", ex.Message);
        Assert.Contains("+Inf", ex.Message);
        Assert.Contains("strictly increasing", ex.Message);
        Assert.Throws<ArgumentException>(() => new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", Buckets = bounds }, ["a"]));
    }

    [Fact]
    public void Histogram_drops_one_trailing_inf_bound()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, double.PositiveInfinity] });
        Assert.Equal([1.0], histogram.UpperBounds);
        var only = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [double.PositiveInfinity] });
        Assert.Empty(only.UpperBounds);
        var point = new MetricPoint();
        histogram.Observe(5);
        histogram.Write(point);
        Assert.Equal([1.0, double.PositiveInfinity], point.Buckets.Select(b => b.UpperBound));
    }

    [Fact]
    public void Exponential_buckets_that_overflow_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Buckets.Exponential(1e300, 1e5, 4));
        Assert.Contains("Exponential", ex.Message);
        Assert.Contains("overflows", ex.Message);
        Assert.Throws<ArgumentException>(() => Buckets.Exponential(double.MaxValue, 2, 2));
        Assert.ThrowsAny<ArgumentException>(() => Buckets.Exponential(1, double.PositiveInfinity, 2));
        Assert.ThrowsAny<ArgumentException>(() => Buckets.Exponential(double.PositiveInfinity, 2, 1));
        Assert.All(Buckets.Exponential(1e300, 1e5, 2), b => Assert.True(double.IsFinite(b)));
    }

    [Fact]
    public void Exponential_buckets_that_round_to_equal_bounds_are_refused()
    {
        // The smallest subnormal times 1.25 rounds back to itself.
        var ex = Assert.Throws<ArgumentException>(() => Buckets.Exponential(double.Epsilon, 1.25, 3));
        Assert.Contains("strictly increasing", ex.Message);
    }

    [Fact]
    public void Linear_buckets_that_overflow_or_lose_the_step_are_refused()
    {
        Assert.Contains("overflows", Assert.Throws<ArgumentException>(() => Buckets.Linear(1e308, 1e308, 3)).Message);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>(() => Buckets.Linear(1e20, 1, 3)).Message);
        Assert.ThrowsAny<ArgumentException>(() => Buckets.Linear(double.NaN, 1, 3));
        Assert.ThrowsAny<ArgumentException>(() => Buckets.Linear(0, double.PositiveInfinity, 3));
        Assert.Equal([0.0, 0.5, 1.0], Buckets.Linear(0, 0.5, 3));
    }

    [Fact]
    public void Exponential_range_with_infinite_or_crowded_bounds_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => Buckets.ExponentialRange(1, double.PositiveInfinity, 3));
        var min = 1.0;
        var max = Math.BitIncrement(min);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>(() => Buckets.ExponentialRange(min, max, 5)).Message);
        Assert.Equal([1e-300, 1, 1e300], Buckets.ExponentialRange(1e-300, 1e300, 3), (a, b) => Math.Abs(a - b) <= Math.Abs(b) * 1e-12);
    }

    private sealed class ConstCollector(params Func<IMetric>[] metrics) : ICollector
    {
        public IEnumerable<Desc> Describe() => [];

        public IEnumerable<IMetric> Collect() => metrics.Select(m => m());
    }

    [Fact]
    public void Const_summary_with_a_quantile_label_is_a_gather_error_and_other_metrics_are_kept()
    {
        var registry = new Registry();
        var bad = new Desc("s", "S.", ["quantile"], null);
        var badConst = new Desc("s2", "S.", null, new Dictionary<string, string> { ["quantile"] = "x" });
        var good = new Desc("g", "G.", null, null);
        var q = new Dictionary<double, double> { [0.5] = 1 };
        registry.Register(new ConstCollector(
            () => ConstMetric.Summary(bad, 1, 1, q, "x"),
            () => ConstMetric.Summary(badConst, 1, 1, q),
            () => ConstMetric.Gauge(good, 3)));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("\"s\"") && e.Contains("quantile"));
        Assert.Contains(ex.Errors, e => e.Contains("\"s2\"") && e.Contains("quantile"));
        Assert.Equal(["g"], ex.Families.Select(f => f.Name));
    }

    [Fact]
    public void Const_histogram_with_an_le_label_is_a_gather_error()
    {
        var registry = new Registry();
        var bad = new Desc("h", "H.", ["le"], null);
        var badConst = new Desc("h2", "H.", null, new Dictionary<string, string> { ["le"] = "1" });
        var b = new Dictionary<double, ulong> { [1] = 1 };
        registry.Register(new ConstCollector(() => ConstMetric.Histogram(bad, 1, 1, b, "x"), () => ConstMetric.Histogram(badConst, 1, 1, b)));
        var ex = Assert.Throws<GatherException>(() => registry.Gather());
        Assert.Contains(ex.Errors, e => e.Contains("\"h\"") && e.Contains("\"le\""));
        Assert.Contains(ex.Errors, e => e.Contains("\"h2\"") && e.Contains("\"le\""));
        Assert.Empty(ex.Families);
    }

    [Fact]
    public void Const_summary_and_histogram_with_other_labels_still_gather()
    {
        var registry = new Registry();
        registry.Register(new ConstCollector(
            () => ConstMetric.Summary(new Desc("s", "S.", ["q"], null), 1, 1, new Dictionary<double, double> { [0.5] = 1 }, "x"),
            () => ConstMetric.Histogram(new Desc("h", "H.", ["lee"], null), 1, 1, new Dictionary<double, ulong> { [1] = 1 }, "x")));
        Assert.Equal(["h", "s"], registry.Gather().Select(f => f.Name));
    }

    private static readonly CounterOptions CounterOpts = new() { Name = "c_total", Help = "C." };

    [Fact]
    public void Exemplar_with_a_repeated_label_name_is_refused_and_nothing_is_recorded()
    {
        var counter = new Counter(CounterOpts);
        var ex = Assert.Throws<ArgumentException>(() =>
            counter.AddWithExemplar(1, [new LabelPair("trace_id", "a"), new LabelPair("trace_id", "b")]));
        Assert.Contains("\"trace_id\"", ex.Message);
        Assert.Contains("repeated", ex.Message);
        Assert.Equal(0, counter.Value);
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H." });
        Assert.Throws<ArgumentException>(() =>
            histogram.ObserveWithExemplar(1, [new LabelPair("trace_id", "a"), new LabelPair("span_id", "s"), new LabelPair("trace_id", "a")]));
        Assert.Equal(0UL, histogram.Count);
    }

    [Fact]
    public void Exemplar_with_a_reserved_label_name_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Exemplar([new LabelPair("__name__", "x")], 1));
        Assert.Contains("\"__name__\"", ex.Message);
        Assert.Contains("reserved", ex.Message);
        Assert.Throws<ArgumentException>(() => new Exemplar([new LabelPair("trace_id", "t"), new LabelPair("__x", "y")], 1));
        // A single underscore is an ordinary name.
        Assert.Equal("_x", new Exemplar([new LabelPair("_x", "y")], 1).Labels[0].Name);
    }

    [Fact]
    public void Exemplar_with_a_null_value_is_refused_with_the_label_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Exemplar([new LabelPair("trace_id", null!)], 1));
        Assert.Contains("\"trace_id\"", ex.Message);
    }
}
