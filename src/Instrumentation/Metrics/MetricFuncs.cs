namespace Instrumentation;

/// <summary>
/// A metric whose value is read from a function at every scrape, for a value another component already keeps.
/// The function must be thread-safe and quick; an exception it throws becomes one of the scrape's reported problems.
/// </summary>
public abstract class FuncMetric : ICollector, IMetric
{
    private readonly Func<double> _read;
    private readonly LabelSet _labels;

    private protected FuncMetric(MetricOptions options, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(read);
        Desc = options.CreateDesc(null);
        _labels = LabelSet.Create(Desc.ConstLabels, [], []);
        _read = read;
    }

    /// <inheritdoc />
    public Desc Desc { get; }

    /// <inheritdoc />
    public abstract MetricType Type { get; }

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        point.Labels = _labels;
        point.Value = _read();
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];
}

/// <summary>
/// A counter whose value is read from a function at every scrape — for a count another component already keeps
/// (requests served by a library, bytes read by a stream). The function must return a value that never decreases.
/// </summary>
public sealed class CounterFunc(CounterOptions options, Func<double> read) : FuncMetric(options, read)
{
    /// <inheritdoc />
    public override MetricType Type => MetricType.Counter;
}

/// <summary>A gauge whose value is read from a function at every scrape — a queue's length, a cache's size.</summary>
public sealed class GaugeFunc(GaugeOptions options, Func<double> read) : FuncMetric(options, read)
{
    /// <inheritdoc />
    public override MetricType Type => MetricType.Gauge;
}
