using System.Diagnostics;

namespace Instrumentation;

/// <summary>Something that records observations: a histogram or a summary.</summary>
public interface IObserver
{
    /// <summary>Records one observation.</summary>
    void Observe(double value);
}

/// <summary>
/// Measures elapsed time and records it in seconds when disposed:
/// <c>using (histogram.StartTimer()) { ... }</c>. A struct, so timing allocates nothing.
/// </summary>
public readonly struct MetricTimer : IDisposable
{
    private readonly IObserver? _observer;
    private readonly long _start;

    /// <summary>Starts timing for <paramref name="observer"/>.</summary>
    public MetricTimer(IObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observer = observer;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>Time since the timer started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>Records the elapsed seconds now and returns the elapsed time.</summary>
    public TimeSpan ObserveDuration()
    {
        var elapsed = Stopwatch.GetElapsedTime(_start);
        _observer?.Observe(elapsed.TotalSeconds);
        return elapsed;
    }

    /// <summary>Records the elapsed seconds.</summary>
    public void Dispose() => ObserveDuration();
}
