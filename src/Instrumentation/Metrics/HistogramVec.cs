namespace Instrumentation;

/// <summary>A labelled family of <see cref="Histogram"/>s sharing one bucket layout.</summary>
public sealed class HistogramVec : MetricVec<Histogram>, IExemplarDefaults
{
    private readonly ExemplarSettings _exemplars;

    /// <summary>Creates the family with the given variable label names.</summary>
    /// <exception cref="ArgumentException">The buckets are not strictly increasing, or a label is named <c>le</c>.</exception>
    public HistogramVec(HistogramOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), options)
    {
    }

    private HistogramVec(Desc desc, HistogramOptions options)
        : this(desc, FamilyLimits.From(options), Prepare(desc, options), NativeHistogramSettings.From(options, desc.FqName), new ExemplarSettings(options.Exemplars))
    {
    }

    private HistogramVec(Desc desc, FamilyLimits limits, BucketLayout layout, NativeHistogramSettings? native, ExemplarSettings exemplars)
        : base(desc, limits, labels => new Histogram(desc, labels, layout, native, exemplars))
    {
        _exemplars = exemplars;
    }

    private HistogramVec(HistogramVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
        _exemplars = parent._exemplars;
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _exemplars.UseRegistryDefault(provider);

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public HistogramVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);

    private static BucketLayout Prepare(Desc desc, HistogramOptions options)
    {
        Histogram.CheckLabelNames(desc);
        return new BucketLayout(Histogram.ValidateBuckets(options.Buckets, desc.FqName));
    }
}
