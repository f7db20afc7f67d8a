namespace Instrumentation.Tests.Parity;

/// <summary>
/// Issue 11 item 18: a scrape's <c>_sum</c> must describe the observations its buckets and <c>_count</c> hold, however
/// long the scraping thread is off the CPU between reading the buckets and the sum. Observations that complete in that
/// gap are simulated by <see cref="Histogram.ScrapeReadHook"/>, which runs exactly there.
/// </summary>
public class MetricHistogramSumTests
{
    public static TheoryData<bool> NativeOrNot() => [false, true];

    private static Histogram NewHistogram(bool native) =>
        new(new HistogramOptions { Name = "h_seconds", Help = "H.", Buckets = [0.5, 2], NativeHistogramBucketFactor = native ? 1.1 : 0 });

    [Theory]
    [MemberData(nameof(NativeOrNot))]
    public void Observations_completed_while_a_scrape_reads_do_not_skew_sum_against_count(bool native)
    {
        var histogram = NewHistogram(native);
        histogram.Observe(1);
        var calls = 0;
        histogram.ScrapeReadHook = () =>
        {
            if (calls++ == 0)
            {
                for (var i = 0; i < 1000; i++)
                {
                    histogram.Observe(1);
                }
            }
        };
        var point = new MetricPoint();
        histogram.Write(point);
        // Before: count 1 with sum 1001. Now the scrape reads again and reports one consistent state.
        Assert.Equal(point.Count, point.Sum);
        Assert.Equal(1001UL, point.Count);
        Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
        Assert.Equal(2, calls);
        if (native)
        {
            Assert.Equal(point.Count, point.NativeZeroCount + (ulong)point.PositiveBuckets.Sum(b => (long)b.Count));
        }
    }

    [Theory]
    [MemberData(nameof(NativeOrNot))]
    public void Under_observations_that_never_pause_a_scrape_gives_up_after_a_few_reads_and_stays_self_consistent(bool native)
    {
        var histogram = NewHistogram(native);
        var calls = 0;
        histogram.ScrapeReadHook = () =>
        {
            calls++;
            histogram.Observe(1);
        };
        var point = new MetricPoint();
        histogram.Write(point);
        Assert.Equal(Histogram.MaxReadAttempts, calls);
        // Buckets and count still agree; only the sum may differ, by what completed during the last read (a native
        // histogram reads its count after the sum, so there the sum is not ahead).
        Assert.Equal(point.Count, point.Buckets[^1].CumulativeCount);
        Assert.Equal(point.Count + (native ? 0UL : 1UL), point.Sum);
    }

    [Fact]
    public void A_scrape_without_concurrent_observations_reads_once()
    {
        var histogram = NewHistogram(false);
        histogram.Observe(3);
        var calls = 0;
        histogram.ScrapeReadHook = () => calls++;
        var point = new MetricPoint();
        histogram.Write(point);
        Assert.Equal(1, calls);
        Assert.Equal(3, point.Sum);
        Assert.Equal(1UL, point.Count);
    }
}
