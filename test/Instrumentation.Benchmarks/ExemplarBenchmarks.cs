using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Instrumentation.Benchmarks;

/// <summary>
/// What automatic exemplars cost on the hot paths: <c>Counter.Inc</c> and <c>Histogram.Observe</c> with exemplars off
/// (<see cref="ExemplarProvider.None"/>); on (the default) in a process where no activity was ever current (one static
/// read); on with activities seen but none current (a read of <see cref="Activity.Current"/>); and on inside a
/// recorded activity — where the one-second rate limit means nearly every update only checks the clock.
/// </summary>
public class ExemplarBenchmarks
{
    private readonly double[] _values = Workload.Observations();
    private long _cell;
    private Counter _counterOff = null!;
    private Counter _counterOn = null!;
    private Histogram _histogramOff = null!;
    private Histogram _histogramOn = null!;
    private Activity _activity = null!;

    [GlobalSetup]
    public void Setup()
    {
        _counterOff = new Counter(new CounterOptions { Name = "bench_off_total", Help = "h", Exemplars = ExemplarProvider.None });
        _counterOn = new Counter(new CounterOptions { Name = "bench_on_total", Help = "h" });
        _histogramOff = new Histogram(new HistogramOptions { Name = "bench_off_seconds", Help = "h", Exemplars = ExemplarProvider.None });
        _histogramOn = new Histogram(new HistogramOptions { Name = "bench_on_seconds", Help = "h" });
        _activity = new Activity("bench");
        _activity.SetIdFormat(ActivityIdFormat.W3C);
        _activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.Ops, Description = "bare Interlocked.Increment")]
    public void InterlockedIncrement()
    {
        for (var i = 0; i < Workload.Ops; i++)
        {
            Interlocked.Increment(ref _cell);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Counter.Inc, exemplars off")]
    public void CounterIncOff() => Inc(_counterOff);

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Counter.Inc, exemplars on, no activity")]
    public void CounterIncNoActivity() => Inc(_counterOn);

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Counter.Inc, exemplars on, none current (activities seen before)")]
    public void CounterIncActivitiesSeen()
    {
        SeeAnActivity();
        Inc(_counterOn);
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Counter.Inc, exemplars on, sampled activity")]
    public void CounterIncInActivity()
    {
        Activity.Current = _activity;
        Inc(_counterOn);
        Activity.Current = null;
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11), exemplars off")]
    public void ObserveOff() => Observe(_histogramOff);

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11), exemplars on, no activity")]
    public void ObserveNoActivity() => Observe(_histogramOn);

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11), exemplars on, none current (activities seen before)")]
    public void ObserveActivitiesSeen()
    {
        SeeAnActivity();
        Observe(_histogramOn);
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11), exemplars on, sampled activity")]
    public void ObserveInActivity()
    {
        Activity.Current = _activity;
        Observe(_histogramOn);
        Activity.Current = null;
    }

    /// <summary>
    /// An activity was current once (as in any app with tracing or ASP.NET Core's request activities), so updates read
    /// <see cref="Activity.Current"/> from then on; none is current while the loop runs.
    /// </summary>
    private void SeeAnActivity()
    {
        Activity.Current = _activity;
        Activity.Current = null;
    }

    private static void Inc(Counter counter)
    {
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Inc();
        }
    }

    private void Observe(Histogram histogram)
    {
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }
}
