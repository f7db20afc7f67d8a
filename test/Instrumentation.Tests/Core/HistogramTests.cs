namespace Instrumentation.Tests.Core;

public class HistogramTests
{
    private static MetricPoint Write(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    [Fact]
    public void Default_buckets_are_the_reference_clients_eleven()
    {
        Assert.Equal([.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10], Buckets.Default);
        Assert.Equal(11, Buckets.Default.Length);
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H." });
        Assert.Equal(Buckets.Default, histogram.UpperBounds);
    }

    [Fact]
    public void Observations_land_in_cumulative_buckets_with_inclusive_upper_bounds()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 2, 5] });
        foreach (var v in new[] { 0.5, 1, 1.5, 2, 4, 7, double.PositiveInfinity })
        {
            histogram.Observe(v);
        }
        var point = Write(histogram);
        Assert.Equal([1.0, 2, 5, double.PositiveInfinity], point.Buckets.Select(b => b.UpperBound));
        Assert.Equal([2UL, 4, 5, 7], point.Buckets.Select(b => b.CumulativeCount));
        Assert.Equal(7UL, point.Count);
        Assert.Equal(double.PositiveInfinity, point.Sum);
    }

    [Fact]
    public void NaN_observation_goes_to_the_inf_bucket()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1] });
        histogram.Observe(double.NaN);
        var point = Write(histogram);
        Assert.Equal([0UL, 1], point.Buckets.Select(b => b.CumulativeCount));
        Assert.True(double.IsNaN(point.Sum));
    }

    [Fact]
    public void Many_buckets_use_the_same_inclusive_rule()
    {
        var bounds = Buckets.Linear(1, 1, 100);
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = bounds });
        histogram.Observe(1);
        histogram.Observe(50);
        histogram.Observe(50.5);
        histogram.Observe(100);
        histogram.Observe(101);
        var point = Write(histogram);
        Assert.Equal(1UL, point.Buckets[0].CumulativeCount);
        Assert.Equal(2UL, point.Buckets[49].CumulativeCount);
        Assert.Equal(3UL, point.Buckets[50].CumulativeCount);
        Assert.Equal(4UL, point.Buckets[99].CumulativeCount);
        Assert.Equal(5UL, point.Buckets[100].CumulativeCount);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0 })]
    [InlineData(new[] { 2.0, 1.0 })]
    [InlineData(new[] { 1.0, double.NaN })]
    public void Buckets_that_are_not_strictly_increasing_throw_naming_the_metric(double[] buckets)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Histogram(new HistogramOptions { Name = "latency", Help = "H.", Buckets = buckets }));
        Assert.Contains("latency", ex.Message);
    }

    [Fact]
    public void Trailing_inf_bucket_is_implied()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, double.PositiveInfinity] });
        Assert.Equal([1.0], histogram.UpperBounds);
    }

    [Fact]
    public void Le_label_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new HistogramVec(new HistogramOptions { Name = "h", Help = "H." }, ["le"]));
    }

    [Fact]
    public void Bucket_helpers_compute_layouts()
    {
        Assert.Equal([1.0, 3, 5], Buckets.Linear(1, 2, 3));
        Assert.Equal([1.0, 2, 4, 8], Buckets.Exponential(1, 2, 4));
        var range = Buckets.ExponentialRange(1, 1000, 4);
        Assert.Equal(1, range[0]);
        Assert.Equal(10, range[1], 9);
        Assert.Equal(100, range[2], 9);
        Assert.Equal(1000, range[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Linear(0, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Exponential(0, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.Exponential(1, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Buckets.ExponentialRange(5, 1, 3));
    }

    [Fact]
    public void ExponentialRange_spans_ranges_wider_than_a_double()
    {
        var range = Buckets.ExponentialRange(1e-300, 1e300, 7);
        Assert.Equal(1e-300, range[0]);
        Assert.Equal(1e300, range[^1]);
        Assert.All(range, b => Assert.True(double.IsFinite(b)));
        Assert.Equal(1e-200, range[1], 1e-210);
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = range });
        Assert.Equal(7, histogram.UpperBounds.Count);
    }

    [Fact]
    public void Timer_observes_elapsed_seconds()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H." });
        using (histogram.StartTimer())
        {
            Thread.Sleep(5);
        }
        Assert.Equal(1UL, histogram.Count);
        Assert.InRange(histogram.Sum, 0.004, 5);
    }

    [Fact]
    public void Exemplar_is_kept_on_the_bucket_it_falls_into()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 2] });
        histogram.ObserveWithExemplar(1.5, [new LabelPair("trace_id", "t1")]);
        var point = Write(histogram);
        Assert.Null(point.Buckets[0].Exemplar);
        Assert.Equal("t1", point.Buckets[1].Exemplar!.Labels.GetValue("trace_id"));
        Assert.Equal(1.5, point.Buckets[1].Exemplar!.Value);
    }
}
