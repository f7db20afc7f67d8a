namespace Instrumentation;

/// <summary>A labelled family of <see cref="Gauge"/>s: one gauge per combination of label values.</summary>
public sealed class GaugeVec : MetricVec<Gauge>
{
    /// <summary>Creates the family with the given variable label names.</summary>
    public GaugeVec(GaugeOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), FamilyLimits.From(options))
    {
    }

    private GaugeVec(Desc desc, FamilyLimits limits)
        : this(new SeriesSchema(desc), limits)
    {
    }

    private GaugeVec(SeriesSchema schema, FamilyLimits limits)
        : base(schema, limits, key => new Gauge(schema, key))
    {
    }

    private GaugeVec(GaugeVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
    }

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public GaugeVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}
