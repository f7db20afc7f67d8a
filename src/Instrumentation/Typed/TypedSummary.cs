namespace Instrumentation;

/// <summary>
/// The summary of a definition: a plain <see cref="Summary"/> when it declares no labels, a <see cref="SummaryVec"/>
/// otherwise. The window (<see cref="SummaryOptions.MaxAge"/> and the rest) is the default.
/// </summary>
internal sealed class TypedSummary<TDefinition> : ISummary<TDefinition>
    where TDefinition : ISummaryDefinition
{
    private readonly Summary? _summary;
    private readonly SummaryVec? _vec;

    /// <summary>Creates (or gets) the definition's summary through <paramref name="factory"/>. Public for dependency injection.</summary>
    public TypedSummary(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        (_summary, _vec) = TypedDefinition.Create<TDefinition, (Summary?, SummaryVec?)>(origin =>
        {
            var labels = TDefinition.LabelNames;
            var objectives = TDefinition.Objectives;
            var options = TypedDefinition.Options<TDefinition, SummaryOptions>(new SummaryOptions
            {
                Objectives = objectives is null ? null : new Dictionary<double, double>(objectives),
            });
            if (factory is MetricFactory mf)
            {
                var prefixed = mf.Prefixed(options);
                var shape = MetricFactory.SummaryShape(options);
                return labels.Count == 0
                    ? (mf.GetOrCreate(MetricType.Summary, prefixed, null, shape, o => new Summary(o), origin), null)
                    : (null, mf.GetOrCreate(MetricType.Summary, prefixed, labels, shape, o => new SummaryVec(o, labels), origin));
            }
            return labels.Count == 0 ? (factory.CreateSummary(options), null) : (null, factory.CreateSummaryVec(options, labels));
        });
    }

    public void Observe(double value) => Single.Observe(value);

    public MetricTimer StartTimer() => new(Single);

    public IObserver WithLabels(params ReadOnlySpan<string> values)
    {
        if (_vec is not null)
        {
            return _vec.WithLabels(values);
        }
        return values.Length == 0 ? _summary! : throw TypedDefinition.NoLabels(_summary!.Desc.FqName, values.Length, typeof(TDefinition));
    }

    private Summary Single => _summary ?? throw TypedDefinition.NeedsLabels(_vec!.Desc.FqName, _vec.Desc.VariableLabels, typeof(TDefinition));
}
