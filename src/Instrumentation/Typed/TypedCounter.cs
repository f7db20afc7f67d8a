namespace Instrumentation;

/// <summary>
/// The counter of a definition: a plain <see cref="Counter"/> when it declares no labels, a <see cref="CounterVec"/>
/// otherwise. Holds the created metric directly, so an operation costs one interface call more than on the metric.
/// </summary>
internal sealed class TypedCounter<TDefinition> : ICounter<TDefinition>, ITypedMetric
    where TDefinition : ICounterDefinition
{
    private readonly Counter? _counter;
    private readonly CounterVec? _vec;

    /// <summary>Creates (or gets) the definition's counter through <paramref name="factory"/>. Public for dependency injection.</summary>
    public TypedCounter(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (_counter, _vec) = TypedDefinition.Create<TDefinition, (Counter?, CounterVec?)>(origin =>
        {
            var labels = TDefinition.LabelNames;
            var options = TypedDefinition.Options<TDefinition, CounterOptions>(new CounterOptions());
            if (factory is MetricFactory mf)
            {
                var prefixed = mf.Prefixed(options);
                return labels.Count == 0
                    ? (mf.GetOrCreate(MetricType.Counter, prefixed, null, "", o => new Counter(o), origin), null)
                    : (null, mf.GetOrCreate(MetricType.Counter, prefixed, labels, "", o => new CounterVec(o, labels), origin));
            }
            return labels.Count == 0 ? (factory.CreateCounter(options), null) : (null, factory.CreateCounterVec(options, labels));
        });
    }

    public double Value => Single.Value;

    ICollector ITypedMetric.Metric => (ICollector?)_counter ?? _vec!;

    public void Inc() => Single.Inc();

    public void Add(double value) => Single.Add(value);

    /// <inheritdoc />
    public void AddWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels) => Single.AddWithExemplar(value, exemplarLabels);

    public ICounter WithLabels(params ReadOnlySpan<string> values)
    {
        if (_vec is not null)
        {
            return _vec.WithLabels(values);
        }
        return values.Length == 0 ? _counter! : throw TypedDefinition.NoLabels(_counter!.Desc.FqName, values.Length, typeof(TDefinition));
    }

    private Counter Single => _counter ?? throw TypedDefinition.NeedsLabels(_vec!.Desc.FqName, _vec.Desc.VariableLabels, typeof(TDefinition));
}
