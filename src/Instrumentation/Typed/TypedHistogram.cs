namespace Instrumentation;

/// <summary>
/// The histogram of a definition: a plain <see cref="Histogram"/> when it declares no labels, a
/// <see cref="HistogramVec"/> otherwise.
/// </summary>
internal sealed class TypedHistogram<TDefinition> : IHistogram<TDefinition>
    where TDefinition : IHistogramDefinition
{
    private readonly Histogram? _histogram;
    private readonly HistogramVec? _vec;

    /// <summary>Creates (or gets) the definition's histogram through <paramref name="factory"/>. Public for dependency injection.</summary>
    public TypedHistogram(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (_histogram, _vec) = TypedDefinition.Create<TDefinition, (Histogram?, HistogramVec?)>(origin =>
        {
            var labels = TDefinition.LabelNames;
            var options = TypedDefinition.Options<TDefinition, HistogramOptions>(new HistogramOptions
            {
                Buckets = TDefinition.Buckets?.ToArray(),
                NativeHistogramBucketFactor = TDefinition.NativeHistogramBucketFactor,
                NativeHistogramMaxBucketNumber = TDefinition.NativeHistogramMaxBucketNumber,
            });
            if (factory is MetricFactory mf)
            {
                var prefixed = mf.Prefixed(options);
                var shape = MetricFactory.BucketShape(options);
                return labels.Count == 0
                    ? (mf.GetOrCreate(MetricType.Histogram, prefixed, null, shape, o => new Histogram(o), origin), null)
                    : (null, mf.GetOrCreate(MetricType.Histogram, prefixed, labels, shape, o => new HistogramVec(o, labels), origin));
            }
            return labels.Count == 0 ? (factory.CreateHistogram(options), null) : (null, factory.CreateHistogramVec(options, labels));
        });
    }

    public void Observe(double value) => Single.Observe(value);

    /// <inheritdoc />
    public void ObserveWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels) => Single.ObserveWithExemplar(value, exemplarLabels);

    public MetricTimer StartTimer() => new(Single);

    public IExemplarObserver WithLabels(params ReadOnlySpan<string> values)
    {
        if (_vec is not null)
        {
            return _vec.WithLabels(values);
        }
        return values.Length == 0 ? _histogram! : throw TypedDefinition.NoLabels(_histogram!.Desc.FqName, values.Length, typeof(TDefinition));
    }

    private Histogram Single => _histogram ?? throw TypedDefinition.NeedsLabels(_vec!.Desc.FqName, _vec.Desc.VariableLabels, typeof(TDefinition));
}
