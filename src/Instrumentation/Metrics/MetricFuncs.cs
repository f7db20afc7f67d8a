namespace Instrumentation;

/// <summary>
/// A counter whose value is read from a function at every scrape — for a count another component already keeps
/// (requests served by a library, bytes read by a stream). The function must return a value that never decreases,
/// be thread-safe and be quick.
/// </summary>
public sealed class CounterFunc : ICollector, IMetric
{
    private readonly Func<double> _read;
    private readonly LabelSet _labels;

    /// <summary>Creates the counter.</summary>
    public CounterFunc(CounterOptions options, Func<double> read)
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
    public MetricType Type => MetricType.Counter;

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
/// A gauge whose value is read from a function at every scrape — a queue's length, a cache's size. The function must
/// be thread-safe and quick.
/// </summary>
public sealed class GaugeFunc : ICollector, IMetric
{
    private readonly Func<double> _read;
    private readonly LabelSet _labels;

    /// <summary>Creates the gauge.</summary>
    public GaugeFunc(GaugeOptions options, Func<double> read)
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
    public MetricType Type => MetricType.Gauge;

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
