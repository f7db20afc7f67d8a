using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>The operations of a gauge: a value that goes up and down.</summary>
public interface IGauge
{
    /// <summary>Sets the value.</summary>
    void Set(double value);

    /// <summary>Adds 1.</summary>
    void Inc();

    /// <summary>Subtracts 1.</summary>
    void Dec();

    /// <summary>Adds <paramref name="value"/> (which may be negative).</summary>
    void Add(double value);

    /// <summary>Subtracts <paramref name="value"/>.</summary>
    void Sub(double value);

    /// <summary>Sets the value to the current Unix time in seconds.</summary>
    void SetToCurrentTime();

    /// <summary>The current value.</summary>
    double Value { get; }
}

/// <summary>
/// A gauge: a value that can go up and down — queue length, temperature, in-flight requests, a timestamp.
/// </summary>
/// <remarks>
/// The value is a double kept as its bit pattern: <see cref="Set"/> is one volatile store; the others a
/// compare-and-swap. Every update also sets a flag for <see cref="MetricOptions.ExpireAfter"/> (a read, and a store only
/// when the family's expiry sweep has cleared it since), because a gauge set to the value it already has was still
/// updated.
/// </remarks>
public sealed class Gauge : IGauge, ICollector, IMetric, IExpiringChild, ISeriesChild
{
    private readonly SeriesSchema _schema; // the family's: descriptor and label names
    private readonly object?[] _key; // label values, and what the family index and exposition keep for the series
    private long _bits;
    // Set by every update unless already set, cleared by the family's expiry sweep: a gauge set to the value it
    // already has was still updated. Only written when it changes, so a hot gauge's line is not written twice.
    private int _updated;
    private long _updatesSeen;

    /// <summary>Creates a gauge without variable labels.</summary>
    public Gauge(GaugeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _schema = new SeriesSchema(options.CreateDesc(null));
        _key = _schema.NewKey([]);
        _key[_schema.ChildSlot] = this;
    }

    // schema: the family's, shared by its children; key: this child's series key (see SeriesSchema).
    internal Gauge(SeriesSchema schema, object?[] key)
    {
        _schema = schema;
        _key = key;
    }

    /// <inheritdoc />
    public Desc Desc => _schema.Desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Gauge;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _schema.Labels(_key);

    object?[] ISeriesChild.SeriesKey => _key;

    /// <inheritdoc />
    public double Value => AtomicDouble.Read(ref _bits);

    /// <inheritdoc />
    public void Set(double value)
    {
        Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
        MarkUpdated();
    }

    /// <inheritdoc />
    public void Inc()
    {
        AtomicDouble.Add(ref _bits, 1);
        MarkUpdated();
    }

    /// <inheritdoc />
    public void Dec()
    {
        AtomicDouble.Add(ref _bits, -1);
        MarkUpdated();
    }

    /// <inheritdoc />
    public void Add(double value)
    {
        AtomicDouble.Add(ref _bits, value);
        MarkUpdated();
    }

    /// <inheritdoc />
    public void Sub(double value)
    {
        AtomicDouble.Add(ref _bits, -value);
        MarkUpdated();
    }

    /// <inheritdoc />
    public void SetToCurrentTime() => Set(Clock.UnixSeconds());

    /// <summary>Starts a timer that, when disposed, sets this gauge to the elapsed seconds.</summary>
    public MetricTimer StartTimer() => new(new GaugeSetter(this));

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        point.SetSeries(_schema, _key);
        point.Value = Value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkUpdated()
    {
        if (_updated == 0)
        {
            _updated = 1;
        }
    }

    /// <summary>Counts the sweeps that found the gauge updated since the one before.</summary>
    long IExpiringChild.UpdateMark()
    {
        if (Interlocked.Exchange(ref _updated, 0) != 0)
        {
            _updatesSeen++;
        }
        return _updatesSeen;
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_schema.Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    private sealed class GaugeSetter(Gauge gauge) : IObserver
    {
        public void Observe(double value) => gauge.Set(value);
    }
}
