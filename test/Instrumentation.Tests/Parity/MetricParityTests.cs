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
}
