using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// A histogram: observations (request durations, response sizes) counted into cumulative buckets, with their sum and
/// count, from which Prometheus computes quantiles across instances.
/// </summary>
/// <remarks>
/// Each observation increments exactly one per-bucket counter (non-cumulative) and adds to the sum; no total count is
/// kept. A scrape reads the per-bucket counters once and derives the cumulative buckets and the count from the same
/// numbers, so <c>_count</c> always equals the <c>+Inf</c> bucket and the buckets are always cumulative, however many
/// threads observe during the scrape. The sum may include an observation whose bucket increment the scrape did not see
/// (or the other way round); no scrape can tell the difference from a slightly later one.
/// </remarks>
public sealed class Histogram : IObserver, ICollector, IMetric
{
    // Above this many bounds a binary search beats the linear scan.
    private const int LinearSearchLimit = 16;

    private readonly Desc _desc;
    private readonly LabelSet _labels;
    private readonly double[] _upperBounds;
    private readonly long[] _counts;
    private readonly Exemplar?[] _exemplars;
    private readonly double _createdSeconds;
    private long _sumBits;

    /// <summary>Creates a histogram without variable labels.</summary>
    /// <exception cref="ArgumentException">The buckets are not strictly increasing or contain NaN.</exception>
    public Histogram(HistogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _desc = options.CreateDesc(null);
        CheckLabelNames(_desc);
        _labels = LabelSet.Create(_desc.ConstLabels, [], []);
        _upperBounds = ValidateBuckets(options.Buckets, _desc.FqName);
        _counts = new long[_upperBounds.Length + 1];
        _exemplars = new Exemplar?[_upperBounds.Length + 1];
        _createdSeconds = Clock.UnixSeconds();
    }

    internal Histogram(Desc desc, LabelSet labels, double[] upperBounds)
    {
        _desc = desc;
        _labels = labels;
        _upperBounds = upperBounds;
        _counts = new long[upperBounds.Length + 1];
        _exemplars = new Exemplar?[upperBounds.Length + 1];
        _createdSeconds = Clock.UnixSeconds();
    }

    /// <inheritdoc />
    public Desc Desc => _desc;

    /// <inheritdoc />
    public MetricType Type => MetricType.Histogram;

    /// <summary>This series' labels.</summary>
    public LabelSet Labels => _labels;

    /// <summary>The bucket upper bounds, without the implied <c>+Inf</c>.</summary>
    public IReadOnlyList<double> UpperBounds => _upperBounds;

    /// <summary>Records one observation. NaN is counted in the <c>+Inf</c> bucket and makes the sum NaN, as in the reference client.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value)
    {
        Interlocked.Increment(ref _counts[BucketIndex(value)]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    /// <summary>Records one observation and keeps it as the exemplar of the bucket it falls into.</summary>
    /// <exception cref="ArgumentException">The exemplar labels are invalid or longer than 128 runes; nothing is recorded.</exception>
    public void ObserveWithExemplar(double value, IReadOnlyList<LabelPair> exemplarLabels)
    {
        var exemplar = new Exemplar(exemplarLabels, value, Clock.UnixSeconds());
        var index = BucketIndex(value);
        Interlocked.Increment(ref _counts[index]);
        AtomicDouble.Add(ref _sumBits, value);
        Volatile.Write(ref _exemplars[index], exemplar);
    }

    /// <summary>Starts a timer that observes the elapsed seconds when disposed.</summary>
    public MetricTimer StartTimer() => new(this);

    /// <summary>The number of observations so far.</summary>
    public ulong Count
    {
        get
        {
            ulong total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += (ulong)Volatile.Read(ref _counts[i]);
            }
            return total;
        }
    }

    /// <summary>The sum of observations so far.</summary>
    public double Sum => AtomicDouble.Read(ref _sumBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketIndex(double value)
    {
        var bounds = _upperBounds;
        if (bounds.Length <= LinearSearchLimit)
        {
            var i = 0;
            while (i < bounds.Length && !(value <= bounds[i]))
            {
                i++;
            }
            return i;
        }
        return BinarySearch(bounds, value);
    }

    private static int BinarySearch(double[] bounds, double value)
    {
        if (double.IsNaN(value))
        {
            return bounds.Length;
        }
        // First index whose bound is >= value (le is inclusive).
        int lo = 0, hi = bounds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (bounds[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <inheritdoc />
    public void Write(MetricPoint point)
    {
        var buckets = point.RentBuckets(_counts.Length);
        ulong cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += (ulong)Volatile.Read(ref _counts[i]);
            var bound = i < _upperBounds.Length ? _upperBounds[i] : double.PositiveInfinity;
            buckets[i] = new Bucket(bound, cumulative, Volatile.Read(ref _exemplars[i]));
        }
        point.Labels = _labels;
        point.Count = cumulative;
        point.Sum = Sum;
        point.CreatedSeconds = _createdSeconds;
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [this];

    /// <summary>Checks bucket bounds and returns the array to use (the default when none are given).</summary>
    internal static double[] ValidateBuckets(double[]? buckets, string metricName)
    {
        if (buckets is null || buckets.Length == 0)
        {
            return Buckets.Default;
        }
        var bounds = buckets;
        if (double.IsPositiveInfinity(bounds[^1]))
        {
            bounds = bounds[..^1];
        }
        else
        {
            bounds = (double[])bounds.Clone();
        }
        for (var i = 0; i < bounds.Length; i++)
        {
            if (double.IsNaN(bounds[i]))
            {
                throw new ArgumentException($"Histogram \"{metricName}\" has a NaN bucket bound at position {i}.", nameof(buckets));
            }
            if (i > 0 && !(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException(
                    $"Histogram \"{metricName}\" buckets must be strictly increasing: {bounds[i - 1]} is followed by {bounds[i]}.", nameof(buckets));
            }
        }
        return bounds;
    }

    /// <summary>Rejects the label name <c>le</c>, which the bucket series use.</summary>
    internal static void CheckLabelNames(Desc desc)
    {
        if (desc.VariableLabels.Contains("le") || desc.ConstLabels.Any(p => p.Name == "le"))
        {
            throw new ArgumentException($"Histogram \"{desc.FqName}\" cannot have a label named \"le\": the bucket series use it.");
        }
    }
}
