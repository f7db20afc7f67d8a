namespace Instrumentation;

/// <summary>
/// The gathered state of one series (one label set) of a metric family: what <see cref="IMetric.Write"/> fills in
/// and what formatters read. Which members are meaningful depends on the family's <see cref="MetricType"/>.
/// </summary>
public sealed class MetricPoint
{
    /// <summary>The series' labels, const and variable, sorted by name.</summary>
    public LabelSet Labels { get; set; } = LabelSet.Empty;

    /// <summary>The value of a counter, gauge, untyped, info (1) or stateset state (0 or 1).</summary>
    public double Value { get; set; }

    /// <summary>The exemplar of a counter, if any.</summary>
    public Exemplar? Exemplar { get; set; }

    /// <summary>Number of observations of a histogram or summary.</summary>
    public ulong Count { get; set; }

    /// <summary>Sum of observations of a histogram or summary.</summary>
    public double Sum { get; set; }

    /// <summary>Cumulative buckets of a histogram, in increasing bound order, the last one <c>+Inf</c>.</summary>
    public Bucket[] Buckets { get; set; } = [];

    /// <summary>
    /// The native-histogram schema (−4 to 8) of a histogram with native buckets; null for a classic-only histogram
    /// (and every other type). When set, <see cref="Count"/> equals <see cref="NativeZeroCount"/> plus the counts of
    /// <see cref="PositiveBuckets"/> and <see cref="NegativeBuckets"/>.
    /// </summary>
    public int? NativeSchema { get; set; }

    /// <summary>The native zero bucket's threshold: observations with an absolute value at most this are in <see cref="NativeZeroCount"/>.</summary>
    public double NativeZeroThreshold { get; set; }

    /// <summary>The observations in the native zero bucket.</summary>
    public ulong NativeZeroCount { get; set; }

    /// <summary>The populated native buckets for positive observations, in increasing index order.</summary>
    public NativeBucket[] PositiveBuckets { get; set; } = [];

    /// <summary>The populated native buckets for negative observations, in increasing index order.</summary>
    public NativeBucket[] NegativeBuckets { get; set; } = [];

    /// <summary>Quantiles of a summary, in increasing rank order.</summary>
    public QuantileValue[] Quantiles { get; set; } = [];

    /// <summary>States of a stateset, each written as its own sample.</summary>
    public StateValue[] States { get; set; } = [];

    /// <summary>When a counter, histogram or summary series was created, in seconds since the Unix epoch.</summary>
    public double? CreatedSeconds { get; set; }

    /// <summary>
    /// A bucket array owned by this point, reused across scrapes when the point comes from a <see cref="GatherBuffer"/>.
    /// Only writers that fill every element may use it (see <see cref="RentBuckets"/>).
    /// </summary>
    private Bucket[]? _ownBuckets;

    /// <summary>The quantile array this point owns, reused by <see cref="RentQuantiles"/> across scrapes.</summary>
    private QuantileValue[]? _ownQuantiles;

    /// <summary>
    /// Returns an array of <paramref name="length"/> buckets that belongs to this point (reused from the previous
    /// scrape when the length matches) and makes it <see cref="Buckets"/>. The caller must fill every element.
    /// </summary>
    public Bucket[] RentBuckets(int length)
    {
        if (_ownBuckets is null || _ownBuckets.Length != length)
        {
            _ownBuckets = new Bucket[length];
        }
        Buckets = _ownBuckets;
        return _ownBuckets;
    }

    private NativeBucket[]? _ownPositive;
    private NativeBucket[]? _ownNegative;

    /// <summary>
    /// Returns an array of <paramref name="length"/> native buckets that belongs to this point (reused from the previous
    /// scrape when the length matches) and makes it <see cref="PositiveBuckets"/>. The caller must fill every element.
    /// </summary>
    public NativeBucket[] RentPositiveBuckets(int length)
    {
        if (_ownPositive is null || _ownPositive.Length != length)
        {
            _ownPositive = length == 0 ? [] : new NativeBucket[length];
        }
        PositiveBuckets = _ownPositive;
        return _ownPositive;
    }

    /// <summary>As <see cref="RentPositiveBuckets"/>, for <see cref="NegativeBuckets"/>.</summary>
    public NativeBucket[] RentNegativeBuckets(int length)
    {
        if (_ownNegative is null || _ownNegative.Length != length)
        {
            _ownNegative = length == 0 ? [] : new NativeBucket[length];
        }
        NegativeBuckets = _ownNegative;
        return _ownNegative;
    }

    /// <summary>
    /// Returns an array of <paramref name="length"/> quantiles that belongs to this point (reused from the previous
    /// scrape when the length matches) and makes it <see cref="Quantiles"/>. The caller must fill every element.
    /// </summary>
    public QuantileValue[] RentQuantiles(int length)
    {
        if (_ownQuantiles is null || _ownQuantiles.Length != length)
        {
            _ownQuantiles = new QuantileValue[length];
        }
        Quantiles = _ownQuantiles;
        return _ownQuantiles;
    }

    /// <summary>Clears every member for reuse (keeping the owned bucket, native bucket and quantile arrays).</summary>
    internal void Reset()
    {
        Labels = LabelSet.Empty;
        Value = 0;
        Exemplar = null;
        Count = 0;
        Sum = 0;
        Buckets = [];
        Quantiles = [];
        States = [];
        NativeSchema = null;
        NativeZeroThreshold = 0;
        NativeZeroCount = 0;
        PositiveBuckets = [];
        NegativeBuckets = [];
        CreatedSeconds = null;
        TimestampMs = null;
    }

    /// <summary>An explicit sample timestamp in milliseconds since the Unix epoch; null for "now" (the usual case).</summary>
    public long? TimestampMs { get; set; }
}
