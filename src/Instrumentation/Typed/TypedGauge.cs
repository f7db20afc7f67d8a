namespace Instrumentation;

/// <summary>
/// The gauge of a definition: a plain <see cref="Gauge"/> when it declares no labels, a <see cref="GaugeVec"/>
/// otherwise. Holds the created metric directly, so an operation costs one interface call more than on the metric.
/// </summary>
internal sealed class TypedGauge<TDefinition> : IGauge<TDefinition>, ITypedMetric
    where TDefinition : IGaugeDefinition
{
    private readonly Gauge? _gauge;
    private readonly GaugeVec? _vec;

    /// <summary>Creates (or gets) the definition's gauge through <paramref name="factory"/>. Public for dependency injection.</summary>
    public TypedGauge(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (_gauge, _vec) = TypedDefinition.Create<TDefinition, (Gauge?, GaugeVec?)>(origin =>
        {
            var labels = TDefinition.LabelNames;
            var options = TypedDefinition.Options<TDefinition, GaugeOptions>(new GaugeOptions());
            if (factory is MetricFactory mf)
            {
                var prefixed = mf.Prefixed(options);
                return labels.Count == 0
                    ? (mf.GetOrCreate(MetricType.Gauge, prefixed, null, "", o => new Gauge(o), origin), null)
                    : (null, mf.GetOrCreate(MetricType.Gauge, prefixed, labels, "", o => new GaugeVec(o, labels), origin));
            }
            return labels.Count == 0 ? (factory.CreateGauge(options), null) : (null, factory.CreateGaugeVec(options, labels));
        });
    }

    public double Value => Single.Value;

    ICollector ITypedMetric.Metric => (ICollector?)_gauge ?? _vec!;

    public void Set(double value) => Single.Set(value);

    public void Inc() => Single.Inc();

    public void Dec() => Single.Dec();

    public void Add(double value) => Single.Add(value);

    public void Sub(double value) => Single.Sub(value);

    public void SetToCurrentTime() => Single.SetToCurrentTime();

    public IGauge WithLabels(params ReadOnlySpan<string> values)
    {
        if (_vec is not null)
        {
            return _vec.WithLabels(values);
        }
        return values.Length == 0 ? _gauge! : throw TypedDefinition.NoLabels(_gauge!.Desc.FqName, values.Length, typeof(TDefinition));
    }

    private Gauge Single => _gauge ?? throw TypedDefinition.NeedsLabels(_vec!.Desc.FqName, _vec.Desc.VariableLabels, typeof(TDefinition));
}
