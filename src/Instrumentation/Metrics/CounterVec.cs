namespace Instrumentation;

/// <summary>A labelled family of <see cref="Counter"/>s: one counter per combination of label values.</summary>
public sealed class CounterVec : MetricVec<Counter>
{
    /// <summary>Creates the family with the given variable label names.</summary>
    public CounterVec(CounterOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), FamilyLimits.From(options))
    {
    }

    private CounterVec(Desc desc, FamilyLimits limits)
        : base(desc, limits, labels => new Counter(desc, labels))
    {
    }

    private CounterVec(CounterVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
    }

    /// <summary>
    /// Returns a view of this family with some labels fixed: its <c>WithLabels</c> takes only the remaining values.
    /// The view shares this family's children; register one of them, not both.
    /// </summary>
    public CounterVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}

/// <summary>A labelled family of <see cref="Gauge"/>s: one gauge per combination of label values.</summary>
public sealed class GaugeVec : MetricVec<Gauge>
{
    /// <summary>Creates the family with the given variable label names.</summary>
    public GaugeVec(GaugeOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), FamilyLimits.From(options))
    {
    }

    private GaugeVec(Desc desc, FamilyLimits limits)
        : base(desc, limits, labels => new Gauge(desc, labels))
    {
    }

    private GaugeVec(GaugeVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
    }

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public GaugeVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}

/// <summary>A labelled family of <see cref="Histogram"/>s sharing one bucket layout.</summary>
public sealed class HistogramVec : MetricVec<Histogram>
{
    /// <summary>Creates the family with the given variable label names.</summary>
    /// <exception cref="ArgumentException">The buckets are not strictly increasing, or a label is named <c>le</c>.</exception>
    public HistogramVec(HistogramOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), options)
    {
    }

    private HistogramVec(Desc desc, HistogramOptions options)
        : this(desc, FamilyLimits.From(options), Prepare(desc, options))
    {
    }

    private HistogramVec(Desc desc, FamilyLimits limits, BucketLayout layout)
        : base(desc, limits, labels => new Histogram(desc, labels, layout))
    {
    }

    private HistogramVec(HistogramVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
    }

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public HistogramVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);

    private static BucketLayout Prepare(Desc desc, HistogramOptions options)
    {
        Histogram.CheckLabelNames(desc);
        return new BucketLayout(Histogram.ValidateBuckets(options.Buckets, desc.FqName));
    }
}
