namespace Instrumentation;

/// <summary>A labelled family of <see cref="Counter"/>s: one counter per combination of label values.</summary>
public sealed class CounterVec : MetricVec<Counter>, IExemplarDefaults
{
    private readonly SeriesSchema _schema;

    /// <summary>Creates the family with the given variable label names.</summary>
    public CounterVec(CounterOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), FamilyLimits.From(options), options.Exemplars)
    {
    }

    private CounterVec(Desc desc, FamilyLimits limits, ExemplarProvider? exemplars)
        : this(new SeriesSchema(desc, exemplars), limits)
    {
    }

    private CounterVec(SeriesSchema schema, FamilyLimits limits)
        : base(schema, limits, key => new Counter(schema, key))
    {
        _schema = schema;
    }

    private CounterVec(CounterVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
        _schema = parent._schema;
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _schema.UseRegistryDefault(provider);

    /// <summary>
    /// Returns a view of this family with some labels fixed: its <c>WithLabels</c> takes only the remaining values.
    /// The view shares this family's children; register one of them, not both.
    /// </summary>
    public CounterVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}
