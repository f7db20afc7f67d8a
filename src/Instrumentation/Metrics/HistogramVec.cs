namespace Instrumentation;

/// <summary>A labelled family of <see cref="Histogram"/>s sharing one bucket layout.</summary>
public sealed class HistogramVec : MetricVec<Histogram>, IExemplarDefaults
{
    private readonly SeriesSchema _schema;

    /// <summary>Creates the family with the given variable label names.</summary>
    /// <exception cref="ArgumentException">The buckets are not strictly increasing, or a label is named <c>le</c>.</exception>
    public HistogramVec(HistogramOptions options, IReadOnlyList<string> labelNames)
        : this(options.CreateDesc(labelNames ?? throw new ArgumentNullException(nameof(labelNames))), options)
    {
    }

    private HistogramVec(Desc desc, HistogramOptions options)
        : this(desc, FamilyLimits.From(options), Prepare(desc, options), NativeHistogramSettings.From(options, desc.FqName), new SeriesSchema(desc, options.Exemplars))
    {
    }

    private HistogramVec(Desc desc, FamilyLimits limits, BucketLayout layout, NativeHistogramSettings? native, SeriesSchema schema)
        : base(schema, limits, key => new Histogram(schema, key, layout, native))
    {
        _schema = schema;
    }

    private HistogramVec(HistogramVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
        _schema = parent._schema;
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _schema.UseRegistryDefault(provider);

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public HistogramVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);

    private static BucketLayout Prepare(Desc desc, HistogramOptions options)
    {
        Histogram.CheckLabelNames(desc);
        return new BucketLayout(Histogram.ValidateBuckets(options.Buckets, desc.FqName));
    }
}
