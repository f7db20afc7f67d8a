namespace Instrumentation.Tests.Review;

public class NativeHistogramLimitRaceReviewTests
{
    [Fact]
    public void Observers_racing_a_halving_never_leave_more_buckets_than_the_limit()
    {
        // Five threads each create one bucket (2^1..2^5: indexes 1..5 at schema 0) in a fresh histogram limited to 2
        // buckets. Sequentially this always ends at schema -2 with one bucket (or schema -1 with two). An observer that
        // read the generation before a halving appends its bucket to the retired generation after it, where the
        // limit is not checked, and a scrape then shows more than 2 buckets.
        const int Threads = 5, Rounds = 3000;
        Histogram? current = null;
        using var go = new Barrier(Threads + 1);
        using var done = new Barrier(Threads + 1);
        var workers = Enumerable.Range(1, Threads).Select(t => new Thread(() =>
        {
            for (var r = 0; r < Rounds; r++)
            {
                go.SignalAndWait();
                current!.Observe(Math.ScaleB(1, t));
                done.SignalAndWait();
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        var worst = 0;
        var point = new MetricPoint();
        for (var r = 0; r < Rounds; r++)
        {
            current = new Histogram(new HistogramOptions
            {
                Name = "h", Help = "H.", NativeHistogramBucketFactor = 2, NativeHistogramMaxBucketNumber = 2,
            });
            go.SignalAndWait();
            done.SignalAndWait();
            current.Write(point);
            Assert.Equal(5UL, point.Count);
            worst = Math.Max(worst, point.PositiveBuckets.Length);
        }
        workers.ForEach(w => w.Join());
        Assert.True(worst <= 2, $"a scrape showed {worst} native buckets with a limit of 2");
    }
}
