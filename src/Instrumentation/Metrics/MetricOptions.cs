namespace Instrumentation;

/// <summary>What every metric is created from: its name (in up to three parts), help, const labels and unit.</summary>
public abstract class MetricOptions
{
    /// <summary>First part of the name (an application or organisation prefix); optional.</summary>
    public string? Namespace { get; set; }

    /// <summary>Second part of the name (a component); optional.</summary>
    public string? Subsystem { get; set; }

    /// <summary>Last part of the name; required. A counter's name should end in <c>_total</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The help text shown with the metric; may be empty but should not be.</summary>
    public string Help { get; set; } = "";

    /// <summary>Labels with a fixed value on every series of this metric.</summary>
    public IDictionary<string, string>? ConstLabels { get; set; }

    /// <summary>
    /// The unit (OpenMetrics <c># UNIT</c>), such as <c>seconds</c> or <c>bytes</c>; optional. When set, the name must
    /// end with <c>_</c> and the unit (before <c>_total</c> for counters).
    /// </summary>
    public string? Unit { get; set; }

    /// <summary>
    /// For labelled families: the most series the family keeps. Further label combinations are not created; their
    /// updates go to one overflow series whose every label value is <c>__overflow__</c> (alert on that series
    /// existing), and each <c>WithLabels</c> call that was sent there is counted by <c>DroppedSeries</c>. Null (the
    /// default) means no limit.
    /// </summary>
    public int? MaxSeries { get; set; }

    /// <summary>
    /// For labelled families: how long a series may go without an update before it is removed from the family (and
    /// so from the exposition, and from the <see cref="MaxSeries"/> count) — for labels whose values come and go,
    /// such as a tenant or a queue name. Checked when the family is scraped. An expired series that the application
    /// still holds a reference to and updates again comes back at the next scrape with its value intact, and
    /// <c>WithLabels</c> with its values returns it (even when that takes the family past <see cref="MaxSeries"/> until
    /// series expire again); once nothing references it, it is freed and its labels start a new series from zero. A
    /// gauge counts as updated when it is set, even to the same value. Null (the default) means series never expire.
    /// </summary>
    public TimeSpan? ExpireAfter { get; set; }

    /// <summary>The clock <see cref="ExpireAfter"/> is measured with; the system clock unless a test sets it.</summary>
    internal TimeProvider? Time { get; set; }

    /// <summary>The fully-qualified name built from <see cref="Namespace"/>, <see cref="Subsystem"/> and <see cref="Name"/>.</summary>
    public string FullName => Desc.BuildFqName(Namespace, Subsystem, Name);

    internal Desc CreateDesc(IReadOnlyList<string>? labelNames) =>
        new(FullName, Help, labelNames, ConstLabels is null ? null : new Dictionary<string, string>(ConstLabels), Unit);
}

/// <summary>Options of a <see cref="Counter"/> or <see cref="CounterVec"/>.</summary>
public sealed class CounterOptions : MetricOptions
{
    /// <summary>
    /// Which exemplars the counter attaches by itself; null (the default) takes the registry's
    /// (<see cref="RegistryOptions.Exemplars"/>), and without one <see cref="ExemplarProvider.SampledTraces"/>.
    /// </summary>
    public ExemplarProvider? Exemplars { get; set; }
}

/// <summary>Options of a <see cref="Gauge"/> or <see cref="GaugeVec"/>.</summary>
public sealed class GaugeOptions : MetricOptions
{
}

/// <summary>Options of a <see cref="Histogram"/> or <see cref="HistogramVec"/>.</summary>
public sealed class HistogramOptions : MetricOptions
{
    /// <summary>
    /// Which exemplars the histogram attaches by itself, one per bucket; null (the default) takes the registry's
    /// (<see cref="RegistryOptions.Exemplars"/>), and without one <see cref="ExemplarProvider.SampledTraces"/>.
    /// </summary>
    public ExemplarProvider? Exemplars { get; set; }

    /// <summary>
    /// Upper bounds of the buckets, strictly increasing; a final <c>+Inf</c> is implied (and dropped if given).
    /// Null or empty means <see cref="Instrumentation.Buckets.Default"/>.
    /// </summary>
    public double[]? Buckets { get; set; }

    /// <summary>The default <see cref="NativeHistogramZeroThreshold"/>: 2^-128, as in the reference client.</summary>
    public const double DefaultNativeHistogramZeroThreshold = 2.938735877055719e-39;

    /// <summary>
    /// Turns on native (sparse, exponential) buckets when above 1: the largest growth factor allowed from one native
    /// bucket to the next. The histogram uses the coarsest schema (−4 to 8) whose factor <c>2^(2^−schema)</c> is at
    /// most this value, e.g. 1.1 gives schema 3 (factor 1.0905). Native buckets are exposed only in the protobuf
    /// format, next to the classic <see cref="Buckets"/>. 0 (the default) or anything up to 1 means classic only.
    /// </summary>
    public double NativeHistogramBucketFactor { get; set; }

    /// <summary>
    /// Observations whose absolute value is at most this go to the native zero bucket. Default 2^-128
    /// (<see cref="DefaultNativeHistogramZeroThreshold"/>); 0 keeps only exact zeros there.
    /// </summary>
    public double NativeHistogramZeroThreshold { get; set; } = DefaultNativeHistogramZeroThreshold;

    /// <summary>
    /// The most populated native buckets (positive and negative together) a series keeps: when a new bucket takes it
    /// past this, the series halves its resolution (schema − 1, each pair of neighbouring buckets merged) until it
    /// fits or the schema is −4. That rare step takes a lock; observations into existing buckets never do. 0 (the
    /// default) means unlimited.
    /// </summary>
    public int NativeHistogramMaxBucketNumber { get; set; }
}

/// <summary>Options of a <see cref="Summary"/> or <see cref="SummaryVec"/>.</summary>
public sealed class SummaryOptions : MetricOptions
{
    /// <summary>The default <see cref="MaxAge"/>: ten minutes.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromMinutes(10);

    /// <summary>The default <see cref="AgeBuckets"/>: 5.</summary>
    public const int DefaultAgeBuckets = 5;

    /// <summary>The default <see cref="BufferCapacity"/>: 500.</summary>
    public const int DefaultBufferCapacity = 500;

    /// <summary>
    /// The quantiles to report, each rank (0 to 1) mapped to its allowed absolute rank error: <c>[0.99] = 0.001</c> means
    /// the reported value is the true quantile of some rank between 0.989 and 0.991. Null or empty means no quantiles,
    /// only <c>_sum</c> and <c>_count</c> (as in the reference client).
    /// </summary>
    public IReadOnlyDictionary<double, double>? Objectives { get; set; }

    /// <summary>How long an observation counts in the quantiles (it always counts in <c>_sum</c> and <c>_count</c>). Default 10 minutes.</summary>
    public TimeSpan MaxAge { get; set; } = DefaultMaxAge;

    /// <summary>
    /// Into how many steps the <see cref="MaxAge"/> window is divided: the window slides every
    /// <c>MaxAge / AgeBuckets</c>, and each bucket costs one quantile stream of memory and insert time. Default 5.
    /// </summary>
    public int AgeBuckets { get; set; } = DefaultAgeBuckets;

    /// <summary>
    /// How many observations are buffered, lock-free, before they are merged into the quantile streams under a lock.
    /// Default 500.
    /// </summary>
    public int BufferCapacity { get; set; } = DefaultBufferCapacity;
}
