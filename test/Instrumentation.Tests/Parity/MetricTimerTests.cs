using System.Diagnostics;

namespace Instrumentation.Tests.Parity;

/// <summary>
/// Issue 11 item 17: a timer records the stopwatch's full resolution, never less than the time known to have passed
/// and never 0 for a duration the stopwatch resolved.
/// </summary>
public class MetricTimerTests
{
    private sealed class Recorder : IObserver
    {
        public double Last = double.NaN;

        public void Observe(double value) => Last = value;
    }

    [Fact]
    public void Observed_seconds_are_at_least_the_ticks_known_to_have_passed()
    {
        var recorder = new Recorder();
        for (var i = 0; i < 2000; i++)
        {
            var timer = new MetricTimer(recorder);
            var inner0 = Stopwatch.GetTimestamp();
            var inner1 = Stopwatch.GetTimestamp();
            timer.ObserveDuration();
            // The timer's interval contains [inner0, inner1]: it cannot record less (a TimeSpan's 100 ns truncation did).
            Assert.True(recorder.Last >= (inner1 - inner0) / (double)Stopwatch.Frequency,
                $"observed {recorder.Last:R} s, but {inner1 - inner0} ticks at {Stopwatch.Frequency}/s are known to have passed");
        }
    }

    [Fact]
    public void A_duration_the_stopwatch_resolves_is_not_recorded_as_zero()
    {
        var recorder = new Recorder();
        var resolved = 0;
        for (var i = 0; i < 2000; i++)
        {
            var timer = new MetricTimer(recorder);
            var inner0 = Stopwatch.GetTimestamp();
            var inner1 = Stopwatch.GetTimestamp();
            timer.ObserveDuration();
            if (inner1 > inner0)
            {
                // The timer's interval holds at least one tick, so its seconds are above 0 — also below 100 ns.
                resolved++;
                Assert.True(recorder.Last > 0, $"recorded 0 although {inner1 - inner0} ticks passed ({Stopwatch.Frequency}/s)");
            }
        }
        if (Stopwatch.Frequency >= 1_000_000_000)
        {
            // With a nanosecond stopwatch two readings in a row differ almost always.
            Assert.True(resolved > 0);
        }
    }

    [Fact]
    public void Histogram_timer_observes_through_the_same_arithmetic()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "t_seconds", Help = "T.", Buckets = [1e-9, 1e-7] });
        var inner0 = 0L;
        var inner1 = 0L;
        for (var i = 0; i < 100 && inner1 == inner0; i++)
        {
            using (histogram.StartTimer())
            {
                inner0 = Stopwatch.GetTimestamp();
                inner1 = Stopwatch.GetTimestamp();
            }
        }
        Assert.True(histogram.Sum >= (inner1 - inner0) / (double)Stopwatch.Frequency);
        Assert.True(inner1 == inner0 || histogram.Sum > 0);
    }
}
