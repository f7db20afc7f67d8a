using System.Diagnostics;

namespace Instrumentation;

/// <summary>Something that records observations: a histogram or a summary.</summary>
public interface IObserver
{
    /// <summary>Records one observation.</summary>
    void Observe(double value);
}

/// <summary>An observer that can keep an exemplar with an observation: a histogram or one of its series.</summary>
public interface IExemplarObserver : IObserver
{
    /// <summary>Records one observation and keeps it as the exemplar of the bucket it falls into.</summary>
    /// <exception cref="ArgumentException">The exemplar labels are invalid (bad, reserved or repeated names) or longer
    /// than 128 runes; nothing is recorded.</exception>
    void ObserveWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels);
}

/// <summary>
/// Measures elapsed time and records it in seconds when disposed:
/// <c>using (histogram.StartTimer()) { ... }</c>. A struct, so timing allocates nothing.
/// </summary>
/// <remarks>
/// The seconds recorded are the raw <see cref="Stopwatch"/> ticks divided by <see cref="Stopwatch.Frequency"/>, not
/// a <see cref="TimeSpan"/>'s: a <see cref="TimeSpan"/> truncates to 100 ns, which would record most durations as
/// shorter than the time known to have passed and anything under 100 ns as 0 (Linux's stopwatch counts nanoseconds).
/// </remarks>
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

    /// <summary>Time since the timer started (a <see cref="TimeSpan"/>, so truncated to 100 ns).</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    /// <summary>
    /// Records the elapsed seconds now, at the stopwatch's full resolution, and returns the elapsed time (as a
    /// <see cref="TimeSpan"/>, truncated to 100 ns).
    /// </summary>
    public TimeSpan ObserveDuration()
    {
        var end = Stopwatch.GetTimestamp();
        _observer?.Observe(Seconds(_start, end));
        return Stopwatch.GetElapsedTime(_start, end);
    }

    /// <summary>Records the elapsed seconds.</summary>
    public void Dispose() => ObserveDuration();

    /// <summary>The seconds between two <see cref="Stopwatch.GetTimestamp"/> readings, without rounding to 100 ns.</summary>
    internal static double Seconds(long start, long end) => (end - start) / (double)Stopwatch.Frequency;
}
