namespace Instrumentation.Tests.Core;

/// <summary>
/// The bucket search takes different paths for few and many bounds (vector count; exponent window, then count or
/// branch-free binary search); every
/// layout must put every value in the bucket a plain "first bound at or above the value" scan picks.
/// </summary>
public class BucketSearchTests
{
    public static TheoryData<int> BoundCounts => [1, 2, 3, 4, 5, 7, 8, 11, 16, 31, 32, 33, 64, 100, 128, 129];

    [Theory]
    [MemberData(nameof(BoundCounts))]
    public void Every_value_lands_in_the_first_bucket_whose_bound_is_at_or_above_it(int boundCount)
    {
        var bounds = Buckets.Linear(-boundCount / 2.0, 1, boundCount);
        var probes = new List<double> { double.NegativeInfinity, double.MinValue, double.MaxValue, double.PositiveInfinity, 0, -0.0, double.Epsilon };
        foreach (var bound in bounds)
        {
            probes.AddRange([bound, Math.BitDecrement(bound), Math.BitIncrement(bound), bound + 0.5, bound - 0.5]);
        }

        foreach (var value in probes)
        {
            var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = bounds });
            histogram.Observe(value);
            var point = new MetricPoint();
            histogram.Write(point);

            var expected = Array.FindIndex(bounds, b => value <= b);
            expected = expected < 0 ? bounds.Length : expected;
            var actual = Array.FindIndex(point.Buckets, b => b.CumulativeCount == 1);
            Assert.True(expected == actual, $"{boundCount} bounds: {value} went to bucket {actual}, expected {expected}.");
        }
    }

    public static TheoryData<string> Layouts => ["exponential-128", "exponential-range-200", "wide-range-300", "negative-and-positive-70", "linear-in-one-octave-100", "tiny-and-huge-40", "too-many-to-window-70000"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Large_layouts_count_every_value_in_the_bucket_a_scan_picks(string layout)
    {
        var bounds = layout switch
        {
            "exponential-128" => Buckets.ExponentialRange(0.001, 20, 128),
            "exponential-range-200" => Buckets.ExponentialRange(1e-9, 1e9, 200),
            "wide-range-300" => Buckets.ExponentialRange(1e-150, 1e150, 300),
            "negative-and-positive-70" => Buckets.Linear(-100, 3, 70),
            "linear-in-one-octave-100" => Buckets.Linear(64, 0.5, 100),
            "tiny-and-huge-40" => [.. Buckets.ExponentialRange(double.Epsilon, 1e-300, 20), .. Buckets.ExponentialRange(1e300, double.MaxValue, 20)],
            _ => Buckets.Linear(-35_000, 1, 70_000),
        };
        var step = Math.Max(1, bounds.Length / 500);
        var probes = new List<double> { double.NegativeInfinity, -double.MaxValue, -1, -double.Epsilon, -0.0, 0, double.Epsilon, 1, double.MaxValue, double.PositiveInfinity };
        for (var i = 0; i < bounds.Length; i += step)
        {
            var bound = bounds[i];
            probes.AddRange([bound, Math.BitDecrement(bound), Math.BitIncrement(bound), bound * 0.999, bound * 1.001, -bound]);
        }
        var expected = new ulong[bounds.Length + 1];
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = bounds });
        foreach (var value in probes)
        {
            var index = Array.FindIndex(bounds, b => value <= b);
            expected[index < 0 ? bounds.Length : index]++;
            histogram.Observe(value);
        }

        var point = new MetricPoint();
        histogram.Write(point);
        ulong previous = 0;
        for (var i = 0; i < point.Buckets.Length; i++)
        {
            var actual = point.Buckets[i].CumulativeCount - previous;
            previous = point.Buckets[i].CumulativeCount;
            Assert.True(expected[i] == actual, $"{layout}: bucket {i} (le {point.Buckets[i].UpperBound}) has {actual} observations, expected {expected[i]}.");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(128)]
    public void NaN_goes_to_the_inf_bucket_whatever_the_layout(int boundCount)
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = Buckets.Exponential(1, 2, boundCount) });
        histogram.Observe(double.NaN);
        var point = new MetricPoint();
        histogram.Write(point);
        Assert.All(point.Buckets[..^1], b => Assert.Equal(0UL, b.CumulativeCount));
        Assert.Equal(1UL, point.Buckets[^1].CumulativeCount);
    }

    [Fact]
    public void Children_of_a_family_share_the_layout_and_search_the_same_way()
    {
        var vec = new HistogramVec(new HistogramOptions { Name = "h", Help = "H.", Buckets = Buckets.Linear(1, 1, 40) }, ["a"]);
        vec.WithLabels("x").Observe(20);
        vec.WithLabels("y").Observe(20.5);
        var x = new MetricPoint();
        var y = new MetricPoint();
        vec.WithLabels("x").Write(x);
        vec.WithLabels("y").Write(y);
        Assert.Equal(19, Array.FindIndex(x.Buckets, b => b.CumulativeCount == 1));
        Assert.Equal(20, Array.FindIndex(y.Buckets, b => b.CumulativeCount == 1));
    }
}
