namespace Instrumentation;

/// <summary>A labelled family of <see cref="Counter"/>s: one counter per combination of label values.</summary>
public sealed class CounterVec : MetricVec<Counter>, IExemplarDefaults
{
    private readonly ExemplarSettings _exemplars;

    /// <summary>Creates the family with the given variable label names.</summary>
    public CounterVec(CounterOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), FamilyLimits.From(options), new ExemplarSettings(options.Exemplars))
    {
    }

    private CounterVec(Desc desc, FamilyLimits limits, ExemplarSettings exemplars)
        : base(desc, limits, labels => new Counter(desc, labels, exemplars))
    {
        _exemplars = exemplars;
    }

    private CounterVec(CounterVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
        _exemplars = parent._exemplars;
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _exemplars.UseRegistryDefault(provider);

    /// <summary>
    /// Returns a view of this family with some labels fixed: its <c>WithLabels</c> takes only the remaining values.
    /// The view shares this family's children; register one of them, not both.
    /// </summary>
    public CounterVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}
