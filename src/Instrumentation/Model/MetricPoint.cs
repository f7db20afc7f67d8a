namespace Instrumentation;

/// <summary>
/// The gathered state of one series (one label set) of a metric family: what <see cref="IMetric.Write"/> fills in
/// and what formatters read. Which members are meaningful depends on the family's <see cref="MetricType"/>.
/// </summary>
public sealed class MetricPoint
{
    /// <summary>The series' labels, const and variable, sorted by name.</summary>
    /// <remarks>
    /// A child of one of the library's metric families notes only its series here (its family's schema and its label
    /// values); the label set is built when this property is first read and kept on the series, so a scrape that only
    /// writes the series out never builds one.
    /// </remarks>
    public LabelSet Labels
    {
        get => _labelSource switch
        {
            LabelSet labels => labels,
            SeriesSchema schema => schema.Labels(_seriesKey!),
            _ => LabelSet.Empty,
        };
        set
        {
            _labelSource = value;
            _seriesKey = null;
            _encoded = null;
        }
    }

    /// <summary>
    /// Where <see cref="Labels"/> come from: a <see cref="LabelSet"/>, or the <see cref="SeriesSchema"/> of the series
    /// noted by <see cref="SetSeries"/> (its values are in <see cref="_seriesKey"/>), or null for no labels.
    /// </summary>
    private object? _labelSource;

    /// <summary>The series key noted by <see cref="SetSeries"/> (see <see cref="SeriesSchema"/>), or null.</summary>
    private object?[]? _seriesKey;

    /// <summary>
    /// Notes the series this point is of, by its family's schema and its key: what a child's <c>Write</c> does instead
    /// of handing over a label set. <see cref="Labels"/> is built from them when asked for.
    /// </summary>
    internal void SetSeries(SeriesSchema schema, object?[] key)
    {
        if (schema.FixedLabels is { } labels)
        {
            Labels = labels;
            return;
        }
        _labelSource = schema;
        _seriesKey = key;
        _encoded = null;
    }

    /// <summary>The schema of the series noted by <see cref="SetSeries"/>, or null when <see cref="Labels"/> was set.</summary>
    internal SeriesSchema? SeriesSchema => _labelSource as SeriesSchema;

    /// <summary>The key of the series noted by <see cref="SetSeries"/>, or null when <see cref="Labels"/> was set.</summary>
    internal object?[]? SeriesKey => _seriesKey;

    /// <summary>
    /// A label set whose names are those of <see cref="Labels"/> (its values may differ): the series' family's
    /// <see cref="SeriesSchema.NameLabels"/> for a noted series, so checking names builds nothing.
    /// </summary>
    internal LabelSet LabelNames => _labelSource is SeriesSchema schema ? schema.NameLabels : Labels;

    /// <summary>How many label pairs <see cref="Labels"/> has (for a noted series, without building them).</summary>
    internal int LabelCount => _labelSource is SeriesSchema schema ? schema.PairCount : Labels.Count;

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
    public int? NativeSchema { get => _rare?.NativeSchema; set { if (value is not null || _rare is not null) { Rare.NativeSchema = value; } } }

    /// <summary>The native zero bucket's threshold: observations with an absolute value at most this are in <see cref="NativeZeroCount"/>.</summary>
    public double NativeZeroThreshold { get => _rare?.NativeZeroThreshold ?? 0; set { if (value != 0 || _rare is not null) { Rare.NativeZeroThreshold = value; } } }

    /// <summary>The observations in the native zero bucket.</summary>
    public ulong NativeZeroCount { get => _rare?.NativeZeroCount ?? 0; set { if (value != 0 || _rare is not null) { Rare.NativeZeroCount = value; } } }

    /// <summary>The populated native buckets for positive observations, in increasing index order.</summary>
    public NativeBucket[] PositiveBuckets { get => _rare?.PositiveBuckets ?? []; set { if (value is not { Length: 0 } || _rare is not null) { Rare.PositiveBuckets = value; } } }

    /// <summary>The populated native buckets for negative observations, in increasing index order.</summary>
    public NativeBucket[] NegativeBuckets { get => _rare?.NegativeBuckets ?? []; set { if (value is not { Length: 0 } || _rare is not null) { Rare.NegativeBuckets = value; } } }

    /// <summary>Quantiles of a summary, in increasing rank order.</summary>
    public QuantileValue[] Quantiles { get => _rare?.Quantiles ?? []; set { if (value is not { Length: 0 } || _rare is not null) { Rare.Quantiles = value; } } }

    /// <summary>States of a stateset, each written as its own sample.</summary>
    public StateValue[] States { get => _rare?.States ?? []; set { if (value is not { Length: 0 } || _rare is not null) { Rare.States = value; } } }

    /// <summary>When a counter, histogram or summary series was created, in seconds since the Unix epoch.</summary>
    public double? CreatedSeconds { get; set; }

    /// <summary>
    /// The members only some series use (explicit timestamps, native histograms, summaries, statesets) and the arrays
    /// this point owns for them, kept out of line so that the point of a counter or gauge series — most series — is small: created on the
    /// first non-default value and kept (reset) across scrapes.
    /// </summary>
    private RareMembers? _rare;

    /// <summary>
    /// A bucket array owned by this point, reused across scrapes when the point comes from a <see cref="GatherBuffer"/>.
    /// Only writers that fill every element may use it (see <see cref="RentBuckets"/>). Kept in line: a classic
    /// histogram's point would otherwise need the out-of-line members for it alone.
    /// </summary>
    private Bucket[]? _ownBuckets;

    private RareMembers Rare => _rare ??= new RareMembers();

    /// <summary>
    /// The text encoding of <see cref="Labels"/> (<see cref="Exposition.EscapingScheme.Underscores"/>) as cached for
    /// the series (on its key or its label set) when the point was gathered, cleared when <see cref="Labels"/> is set.
    /// Read during gathering, where the loads of many series overlap, it spares the writer a dependent load per series
    /// (the key or label set, then its cache) from memory that is no longer in cache.
    /// </summary>
    private byte[]? _encoded;

    /// <summary>Notes the series' cached text encoding (see <see cref="_encoded"/>), if it has one.</summary>
    internal void NoteLabelEncoding()
    {
        var cache = _labelSource switch
        {
            SeriesSchema schema => Volatile.Read(ref schema.Cache(_seriesKey!)),
            LabelSet labels => labels.EncodedCache,
            _ => null,
        };
        _encoded = cache as byte[] ?? (cache as LabelSet)?.EncodedCache as byte[];
    }

    /// <summary>The noted text encoding of <see cref="Labels"/>, or null.</summary>
    internal byte[]? NotedLabelEncoding => _encoded;

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

    /// <summary>
    /// Returns an array of <paramref name="length"/> native buckets that belongs to this point (reused from the previous
    /// scrape when the length matches) and makes it <see cref="PositiveBuckets"/>. The caller must fill every element.
    /// </summary>
    public NativeBucket[] RentPositiveBuckets(int length)
    {
        var rare = Rare;
        if (rare.OwnPositive is null || rare.OwnPositive.Length != length)
        {
            rare.OwnPositive = length == 0 ? [] : new NativeBucket[length];
        }
        rare.PositiveBuckets = rare.OwnPositive;
        return rare.OwnPositive;
    }

    /// <summary>As <see cref="RentPositiveBuckets"/>, for <see cref="NegativeBuckets"/>.</summary>
    public NativeBucket[] RentNegativeBuckets(int length)
    {
        var rare = Rare;
        if (rare.OwnNegative is null || rare.OwnNegative.Length != length)
        {
            rare.OwnNegative = length == 0 ? [] : new NativeBucket[length];
        }
        rare.NegativeBuckets = rare.OwnNegative;
        return rare.OwnNegative;
    }

    /// <summary>
    /// Returns an array of <paramref name="length"/> quantiles that belongs to this point (reused from the previous
    /// scrape when the length matches) and makes it <see cref="Quantiles"/>. The caller must fill every element.
    /// </summary>
    public QuantileValue[] RentQuantiles(int length)
    {
        var rare = Rare;
        if (rare.OwnQuantiles is null || rare.OwnQuantiles.Length != length)
        {
            rare.OwnQuantiles = new QuantileValue[length];
        }
        rare.Quantiles = rare.OwnQuantiles;
        return rare.OwnQuantiles;
    }

    /// <summary>Clears every member for reuse (keeping the owned bucket, native bucket and quantile arrays).</summary>
    internal void Reset()
    {
        _labelSource = null;
        _seriesKey = null;
        Value = 0;
        Exemplar = null;
        Count = 0;
        Sum = 0;
        Buckets = [];
        _rare?.Reset();
        _encoded = null;
        CreatedSeconds = null;
    }

    /// <summary>An explicit sample timestamp in milliseconds since the Unix epoch; null for "now" (the usual case).</summary>
    public long? TimestampMs { get => _rare?.TimestampMs; set { if (value is not null || _rare is not null) { Rare.TimestampMs = value; } } }

    /// <summary>The out-of-line members (see <see cref="_rare"/>).</summary>
    private sealed class RareMembers
    {
        public int? NativeSchema;
        public double NativeZeroThreshold;
        public ulong NativeZeroCount;
        public NativeBucket[] PositiveBuckets = [];
        public NativeBucket[] NegativeBuckets = [];
        public QuantileValue[] Quantiles = [];
        public StateValue[] States = [];
        public long? TimestampMs;
        public QuantileValue[]? OwnQuantiles;
        public NativeBucket[]? OwnPositive;
        public NativeBucket[]? OwnNegative;

        public void Reset()
        {
            NativeSchema = null;
            NativeZeroThreshold = 0;
            NativeZeroCount = 0;
            PositiveBuckets = [];
            NegativeBuckets = [];
            Quantiles = [];
            States = [];
            TimestampMs = null;
        }
    }
}
