namespace Instrumentation.Tests.Core;

/// <summary>The radix sort a summary uses for its batches must order doubles exactly as a comparison sort does.</summary>
public class DoubleRadixSortTests
{
    private static readonly double[] Special =
    [
        double.NegativeInfinity, double.MinValue, -1e300, -1, -double.Epsilon, -0.0, 0.0, double.Epsilon,
        2.2250738585072014e-308, 2.225073858507201e-308, 1e-300, 0.5, 1, 1 + 2.220446049250313e-16, 1e300,
        double.MaxValue, double.PositiveInfinity,
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(500)]
    [InlineData(5000)]
    public void Orders_random_values_like_a_comparison_sort(int length)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(i => i % 7 == 0
            ? Special[random.Next(Special.Length)]
            : (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-12, 12))).ToArray();
        var expected = values.Order().ToArray();

        DoubleRadixSort.Sort(values);

        Assert.Equal(expected, values); // xunit compares doubles by value: -0.0 equals 0.0
    }

    [Fact]
    public void Keeps_every_special_value_and_duplicate()
    {
        var values = Special.Concat(Special).Reverse().ToArray();

        DoubleRadixSort.Sort(values);

        Assert.Equal(Special.Concat(Special).Order(), values);
        Assert.Equal(double.NegativeInfinity, values[0]);
        Assert.Equal(double.PositiveInfinity, values[^1]);
    }

    [Fact]
    public void Values_sharing_their_high_bytes_are_sorted_by_the_low_ones()
    {
        // Latencies of one magnitude differ only in the low bytes: the high passes are skipped.
        var values = Enumerable.Range(0, 300).Select(i => 0.25 + (299 - i) * 1e-15).ToArray();

        DoubleRadixSort.Sort(values);

        Assert.Equal(values.Order(), values);
    }
}
