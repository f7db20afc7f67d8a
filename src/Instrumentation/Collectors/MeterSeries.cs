namespace Instrumentation.Collectors;

/// <summary>
/// The state of one bridged series (one instrument name, one set of label values). Measurements update it without a
/// lock: sums by compare-and-swap, histogram buckets by interlocked increments.
/// </summary>
internal sealed class MeterSeries
{
    private readonly long[]? _bucketCounts;
    private long _valueBits;
    private long _sumBits;
    private CachedLabels? _labels;

    public MeterSeries(string[] labelNames, string[] labelValues, int bucketCount, bool isOverflow = false)
    {
        LabelNames = labelNames;
        LabelValues = labelValues;
        IsOverflow = isOverflow;
        _bucketCounts = bucketCount > 0 ? new long[bucketCount] : null;
        CreatedSeconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
    }

    /// <summary>This series' own label names, sorted (a subset of the family's).</summary>
    public string[] LabelNames { get; }

    /// <summary>The values of <see cref="LabelNames"/>.</summary>
    public string[] LabelValues { get; }

    public double CreatedSeconds { get; }

    /// <summary>
    /// Whether this is the family's overflow series: the one that takes the measurements of tag sets past the series
    /// cap, every label of the family set to <c>__overflow__</c>.
    /// </summary>
    public bool IsOverflow { get; }

    /// <summary>The scrape at which an observable instrument last reported this series.</summary>
    public long ObservedAt;

    public double Value => AtomicDouble.Read(ref _valueBits);

    public void Add(double value) => AtomicDouble.Add(ref _valueBits, value);

    public void Set(double value) => Volatile.Write(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Records an observation at scrape <paramref name="scrape"/>: the first of the scrape replaces the value, later ones combine with it.</summary>
    public void Observe(double value, long scrape, bool additive)
    {
        if (ObservedAt != scrape)
        {
            ObservedAt = scrape;
            Set(value);
        }
        else if (additive)
        {
            Add(value);
        }
        else
        {
            Set(value);
        }
    }

    /// <summary>Counts <paramref name="value"/> into the bucket whose upper bound is the first not below it.</summary>
    public void ObserveHistogram(double[] bounds, double value)
    {
        int index;
        if (double.IsNaN(value))
        {
            index = bounds.Length; // NaN belongs to no finite bucket, only to +Inf.
        }
        else
        {
            index = Array.BinarySearch(bounds, value);
            if (index < 0)
            {
                index = ~index;
            }
        }
        Interlocked.Increment(ref _bucketCounts![index]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    /// <summary>
    /// Writes the histogram: cumulative buckets and a count taken from the very bucket counts written, so a scrape
    /// never sees a count that differs from the <c>+Inf</c> bucket.
    /// </summary>
    public void WriteHistogram(double[] bounds, MetricPoint point)
    {
        var counts = _bucketCounts!;
        var buckets = point.RentBuckets(counts.Length); // every element is written below
        ulong cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += (ulong)Volatile.Read(ref counts[i]);
            buckets[i] = new Bucket(i < bounds.Length ? bounds[i] : double.PositiveInfinity, cumulative);
        }
        point.Count = cumulative;
        point.Sum = AtomicDouble.Read(ref _sumBits);
    }

    /// <summary>This series' labels over the family's label names (missing ones empty), cached per version of those names.</summary>
    public LabelSet LabelsFor(string[] familyLabelNames, int version)
    {
        if (Volatile.Read(ref _labels) is { } cached && cached.Version == version)
        {
            return cached.Labels;
        }
        var pairs = new LabelPair[familyLabelNames.Length];
        for (var i = 0; i < familyLabelNames.Length; i++)
        {
            var index = Array.IndexOf(LabelNames, familyLabelNames[i]);
            pairs[i] = new LabelPair(familyLabelNames[i], IsOverflow ? MeterFamily.OverflowLabelValue : index < 0 ? "" : LabelValues[index]);
        }
        var labels = new LabelSet(pairs);
        Volatile.Write(ref _labels, new CachedLabels(version, labels));
        return labels;
    }

    // A class, so that concurrent scrapes swap the version and its labels together.
    private sealed record CachedLabels(int Version, LabelSet Labels);
}
