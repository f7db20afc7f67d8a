using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// A histogram: observations (request durations, response sizes) counted into cumulative buckets, with their sum and
/// count, from which Prometheus computes quantiles across instances.
/// </summary>
/// <remarks>
/// Each observation increments exactly one per-bucket counter (non-cumulative) and then adds to the sum; no total
/// count is kept. A scrape derives the cumulative buckets and the count from one read of the per-bucket counters, so
/// <c>_count</c> always equals the <c>+Inf</c> bucket and the buckets are always cumulative, however many threads
/// observe during the scrape.
/// <para>
/// <c>_sum</c> is read between two reads of the bucket counters, and the scrape reads again (up to
/// <see cref="MaxReadAttempts"/> times) until no bucket changed across the read. A scrape that settles reports a sum
/// that differs from the sum of the observations it counts only by observations in flight as the sum was read — at
/// most one per observing thread that was between its bucket increment and its sum add — however long the scraping
/// thread was off the CPU. Only if observations complete during every one of those reads (a series observed without
/// pause by several threads) is the last read used: buckets and count still agree, and the sum may differ by the
/// observations that completed during that read, which a scraper preempted mid-read can make many. The reference
/// client's hot/cold swap makes the sum exact in that case too, at about four atomic operations per observation;
/// this one keeps <see cref="Observe"/> at an increment and a compare-and-swap. docs/architecture.md records the
/// skew measured both ways.
/// </para>
/// <para>
/// The first time the compare-and-swap on the sum fails — another thread observed at the same moment — the histogram
/// switches to per-core shards of its counts and sum (<see cref="HistogramShards"/>), so threads that keep colliding
/// stop sharing cache lines. A scrape then adds each bucket over the histogram and its shards and still derives the
/// count from those bucket numbers. Histograms that are never contended never allocate shards.
/// </para>
/// <para>
/// With <see cref="HistogramOptions.NativeHistogramBucketFactor"/> above 1 the histogram also keeps native (sparse,
/// exponential) buckets (<see cref="NativeBuckets"/>), exposed in the protobuf format next to the classic ones. A
/// classic-only histogram pays one never-taken branch for that. In a native histogram the scraped count is derived
/// from the native buckets (zero bucket plus every bucket, as read in one pass) and the classic buckets are clamped
/// to it; see <see cref="Write"/>.
/// </para>
/// </remarks>
public sealed class Histogram : IExemplarObserver, ICollector, IMetric, IExpiringChild, IExemplarDefaults, ISeriesChild
{
    private readonly SeriesSchema _schema; // the family's: descriptor, label names, exemplar settings
    private readonly object?[] _key; // label values, and what the family index and exposition keep for the series
    private readonly BucketLayout _layout;
    private readonly long[] _counts;
    private Exemplar?[]? _exemplars; // one slot per bucket, allocated with the first exemplar
    private readonly double _createdSeconds;
    private readonly NativeBuckets? _native;
    private long _sumBits;
    private long[][]? _shards;

    /// <summary>Creates a histogram without variable labels.</summary>
    /// <exception cref="ArgumentException">The buckets are not strictly increasing or contain NaN.</exception>
    public Histogram(HistogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var desc = options.CreateDesc(null);
        CheckLabelNames(desc);
        _layout = new BucketLayout(ValidateBuckets(options.Buckets, desc.FqName));
        _schema = new SeriesSchema(desc, options.Exemplars);
        _key = _schema.NewKey([]);
        _key[_schema.ChildSlot] = this;
        _counts = new long[_layout.BucketCount];
        _createdSeconds = Clock.UnixSeconds();
        if (NativeHistogramSettings.From(options, desc.FqName) is { } native)
        {
            _native = new NativeBuckets(native);
        }
    }

    // schema: the family's, shared by its children; key: this child's series key (see SeriesSchema).
    internal Histogram(SeriesSchema schema, object?[] key, BucketLayout layout, NativeHistogramSettings? native = null)
    {
        _schema = schema;
        _key = key;
        _layout = layout;
        _counts = new long[layout.BucketCount];
        _createdSeconds = Clock.UnixSeconds();
        if (native is not null)
        {
            _native = new NativeBuckets(native);
        }
    }

    /// <inheritdoc />
    public Desc Desc => _schema.Desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Histogram;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _schema.Labels(_key);

    object?[] ISeriesChild.SeriesKey => _key;

    /// <summary>The bucket upper bounds, without the implied <c>+Inf</c>.</summary>
    public IReadOnlyList<double> UpperBounds => _layout.UpperBounds;

    /// <summary>The native-histogram schema, or null when native buckets are off.</summary>
    public int? NativeSchema => _native?.Schema;

    /// <summary>
    /// Records one observation. NaN is counted in the <c>+Inf</c> bucket and makes the sum NaN, as in the reference
    /// client; with native buckets it is counted in the count but in no native bucket.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value)
    {
        // Native before classic, so a scrape that reads classic then native never sees more classic observations
        // than native ones (see Write).
        // Everything the observation reads is read before its first locked instruction: loads after a locked
        // instruction wait for it to finish, loads before it overlap it. (The bucket is still incremented before
        // the sum is added to, which is what a scrape's reading relies on.)
        var provider = _schema.Provider;
        if (_native is { } native)
        {
            native.Observe(value);
        }
        var index = _layout.IndexOf(value);
        var shards = Volatile.Read(ref _shards);
        if (shards is not null)
        {
            HistogramShards.Observe(shards, index, value);
        }
        else
        {
            var current = Volatile.Read(ref _sumBits);
            Interlocked.Increment(ref _counts[index]);
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            if (Interlocked.CompareExchange(ref _sumBits, next, current) != current)
            {
                AddSumContended(value);
            }
        }
        if (provider is not null)
        {
            OfferExemplar(provider, index, value);
        }
    }

    /// <summary>Keeps the exemplar the provider gives for this observation in its bucket, if one is due.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OfferExemplar(ExemplarProvider provider, int index, double value)
    {
        var slots = Volatile.Read(ref _exemplars);
        if (provider.Offer(slots is null ? null : Volatile.Read(ref slots[index]), value) is { } exemplar)
        {
            Volatile.Write(ref ExemplarSlots()[index], exemplar);
        }
    }

    private Exemplar?[] ExemplarSlots()
    {
        var slots = Volatile.Read(ref _exemplars);
        if (slots is null)
        {
            var created = new Exemplar?[_counts.Length];
            slots = Interlocked.CompareExchange(ref _exemplars, created, null) ?? created;
        }
        return slots;
    }

    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => _schema.UseRegistryDefault(provider);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddSumContended(double value)
    {
        var shards = Volatile.Read(ref _shards);
        if (shards is null)
        {
            var created = HistogramShards.Create(_counts.Length);
            shards = Interlocked.CompareExchange(ref _shards, created, null) ?? created;
        }
        HistogramShards.AddSum(shards, value);
    }

    /// <summary>The observations of <paramref name="bucket"/> (non-cumulative) so far, shards included.</summary>
    private long BucketCount(int bucket, long[][]? shards)
    {
        var count = Volatile.Read(ref _counts[bucket]);
        return shards is null ? count : count + HistogramShards.Count(shards, bucket);
    }

    /// <summary>Records one observation and keeps it as the exemplar of the bucket it falls into.</summary>
    /// <exception cref="ArgumentException">The exemplar labels are invalid or longer than 128 runes; nothing is recorded.</exception>
    public void ObserveWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels)
    {
        var exemplar = new Exemplar(exemplarLabels, value, Clock.UnixSeconds());
        _native?.Observe(value);
        var index = _layout.IndexOf(value);
        Interlocked.Increment(ref _counts[index]);
        AtomicDouble.Add(ref _sumBits, value);
        Volatile.Write(ref ExemplarSlots()[index], exemplar);
    }

    /// <summary>Starts a timer that observes the elapsed seconds when disposed.</summary>
    public MetricTimer StartTimer() => new(this);

    /// <summary>The number of observations so far.</summary>
    public ulong Count
    {
        get
        {
            var shards = Volatile.Read(ref _shards);
            ulong total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += (ulong)BucketCount(i, shards);
            }
            return total;
        }
    }

    /// <summary>The sum of observations so far.</summary>
    public double Sum
    {
        get
        {
            var shards = Volatile.Read(ref _shards);
            var sum = AtomicDouble.Read(ref _sumBits);
            return shards is null ? sum : sum + HistogramShards.Sum(shards);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// For a native histogram the count is the zero bucket plus the native buckets plus the NaN observations as read
    /// here, and the classic buckets, read before the native side, are clamped to it. An observation updates its native
    /// side before its classic bucket (both with full fences), so every observation this scrape saw in a classic bucket
    /// it also sees on the native side: the clamp is a safeguard. The exposed message is thus always consistent: count =
    /// zero bucket + native buckets + NaN = the <c>+Inf</c> bucket ≥ every other classic bucket (an observation caught
    /// between its two updates shows in <c>+Inf</c> for that scrape).
    /// </remarks>
    public void Write(MetricPoint point)
    {
        var upperBounds = _layout.UpperBounds;
        var buckets = point.RentBuckets(_counts.Length);
        var exemplarSlots = Volatile.Read(ref _exemplars);
        ulong cumulative;
        double sum;
        for (var attempt = 1; ; attempt++)
        {
            // Buckets, sum (and native side), buckets again: if no bucket moved in between, no observation completed
            // during the read, so the sum belongs to these counts but for observations still between their bucket
            // increment and their sum add (see the class remarks). Otherwise read again, a few times at most: under
            // observations that never pause the last read is used.
            var shards = Volatile.Read(ref _shards);
            cumulative = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                cumulative += (ulong)BucketCount(i, shards);
                var bound = i < upperBounds.Length ? upperBounds[i] : double.PositiveInfinity;
                buckets[i] = new Bucket(bound, cumulative, exemplarSlots is null ? null : Volatile.Read(ref exemplarSlots[i]));
            }
            ScrapeReadHook?.Invoke();
            sum = Sum;
            if (_native is { } native)
            {
                var total = native.Write(point);
                for (var i = 0; i < buckets.Length && cumulative > total; i++)
                {
                    if (buckets[i].CumulativeCount > total)
                    {
                        buckets[i] = buckets[i] with { CumulativeCount = total };
                    }
                }
                // The +Inf bucket holds every observation: it is the count. Raising it to the native total attributes
                // observations that were still between their native and classic update to +Inf for this scrape, and
                // keeps the text formats' _count and +Inf bucket equal.
                buckets[^1] = buckets[^1] with { CumulativeCount = total };
                if (attempt == MaxReadAttempts || Count == cumulative)
                {
                    cumulative = total;
                    break;
                }
            }
            else if (attempt == MaxReadAttempts || Count == cumulative)
            {
                break;
            }
        }
        point.SetSeries(_schema, _key);
        point.Count = cumulative;
        point.Sum = sum;
        point.CreatedSeconds = _createdSeconds;
    }

    /// <summary>How often a scrape reads the histogram before it settles for a read that observations overlapped.</summary>
    internal const int MaxReadAttempts = 4;

    /// <summary>For tests: runs in <see cref="Write"/> between reading the buckets and the sum, as a scrape preempted there would.</summary>
    internal Action? ScrapeReadHook { get; set; }

    /// <summary>Every observation adds one to the count.</summary>
    long IExpiringChild.UpdateMark() => (long)Count;

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_schema.Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    /// <summary>
    /// Checks bucket bounds and returns the array to use (the default when none are given): strictly increasing, no
    /// NaN, no <c>+Inf</c> except one trailing one, which is dropped (the <c>+Inf</c> bucket is always there).
    /// </summary>
    internal static double[] ValidateBuckets(double[]? buckets, string metricName)
    {
        if (buckets is null || buckets.Length == 0)
        {
            return Buckets.Default;
        }
        var bounds = double.IsPositiveInfinity(buckets[^1]) ? buckets[..^1] : (double[])buckets.Clone();
        for (var i = 0; i < bounds.Length; i++)
        {
            if (double.IsNaN(bounds[i]))
            {
                throw new ArgumentException(
                    $"Histogram \"{metricName}\" has a NaN bucket bound at position {i} ({FormatBounds(buckets)}).", nameof(buckets));
            }
            if (double.IsPositiveInfinity(bounds[i]))
            {
                // Only the last bound may be +Inf; a second one would expose two le="+Inf" series.
                throw new ArgumentException(
                    $"Histogram \"{metricName}\" buckets {FormatBounds(buckets)} must be strictly increasing: +Inf may only be the last bound, once.", nameof(buckets));
            }
            if (i > 0 && !(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException(
                    $"Histogram \"{metricName}\" buckets {FormatBounds(buckets)} must be strictly increasing: {bounds[i - 1]} is followed by {bounds[i]}.", nameof(buckets));
            }
        }
        return bounds;
    }

    private static string FormatBounds(double[] bounds) =>
        "[" + string.Join(", ", bounds.Select(b => double.IsPositiveInfinity(b) ? "+Inf" : b.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    /// <summary>Rejects the label name <c>le</c>, which the bucket series use.</summary>
    internal static void CheckLabelNames(Desc desc)
    {
        if (desc.VariableLabels.Contains("le") || desc.ConstLabels.Any(p => p.Name == "le"))
        {
            throw new ArgumentException($"Histogram \"{desc.FqName}\" cannot have a label named \"le\": the bucket series use it.");
        }
    }
}
