namespace Instrumentation;

/// <summary>
/// A gauge that only goes up by one and down by one — requests being handled right now — kept as two counts that
/// scale with the number of threads (<see cref="StripedCount"/>): started and finished. Exposed as a gauge whose
/// value is their difference.
/// </summary>
/// <remarks>
/// A <see cref="Gauge"/>'s <c>Inc</c>/<c>Dec</c> are a compare-and-swap loop on one word, which collapses when many
/// cores update the same series — and the in-flight series of a busy route is updated twice by every request. Counts
/// that only grow can be striped over per-core cells; a value that can be <c>Set</c> cannot (see
/// docs/performance.md), so this type offers only <see cref="Inc"/> and <see cref="Dec"/>.
/// </remarks>
internal sealed class InFlightGauge : IMetric, IExpiringChild, ISeriesChild
{
    private readonly SeriesSchema _schema;
    private readonly object?[] _key;
    private StripedCount _started;
    private StripedCount _finished;

    public InFlightGauge(SeriesSchema schema, object?[] key)
    {
        _schema = schema;
        _key = key;
    }

    /// <inheritdoc />
    public Desc Desc => _schema.Desc;

    object?[] ISeriesChild.SeriesKey => _key;

    /// <inheritdoc />
    public MetricType Type => MetricType.Gauge;

    /// <summary>One more in flight.</summary>
    public void Inc() => _started.Add(1);

    /// <summary>One fewer in flight.</summary>
    public void Dec() => _finished.Add(1);

    /// <summary>
    /// Started minus finished. Finished is read first: it can only have grown less than started by the time started
    /// is read, so the value is never below the true minimum while updates run.
    /// </summary>
    public double Value
    {
        get
        {
            var finished = _finished.Read();
            return _started.Read() - finished;
        }
    }

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        point.SetSeries(_schema, _key);
        point.Value = Value;
    }

    /// <summary>Every update adds one to one of the counts.</summary>
    long IExpiringChild.UpdateMark() => _started.Read() + _finished.Read();
}

/// <summary>A labelled family of <see cref="InFlightGauge"/>s, exposed as a gauge family.</summary>
internal sealed class InFlightGaugeVec : MetricVec<InFlightGauge>
{
    public InFlightGaugeVec(GaugeOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames), FamilyLimits.From(options))
    {
    }

    private InFlightGaugeVec(Desc desc, FamilyLimits limits)
        : this(new SeriesSchema(desc), limits)
    {
    }

    private InFlightGaugeVec(SeriesSchema schema, FamilyLimits limits)
        : base(schema, limits, key => new InFlightGauge(schema, key))
    {
    }
}
