namespace Instrumentation;

/// <summary>The validated native-histogram options of a histogram family, shared by all its series.</summary>
internal sealed class NativeHistogramSettings
{
    private NativeHistogramSettings(int schema, double zeroThreshold, int maxBuckets)
    {
        Schema = schema;
        ZeroThreshold = zeroThreshold;
        MaxBuckets = maxBuckets;
    }

    /// <summary>The schema a new series starts at.</summary>
    public int Schema { get; }

    /// <summary>Magnitudes at most this go to the zero bucket.</summary>
    public double ZeroThreshold { get; }

    /// <summary>The most populated buckets before the resolution is halved; 0 for unlimited.</summary>
    public int MaxBuckets { get; }

    /// <summary>The settings <paramref name="options"/> ask for, or null when native buckets are off.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names the metric and the option.</exception>
    public static NativeHistogramSettings? From(HistogramOptions options, string metricName)
    {
        var factor = options.NativeHistogramBucketFactor;
        if (double.IsNaN(factor))
        {
            throw new ArgumentException(
                $"Histogram \"{metricName}\": {nameof(HistogramOptions.NativeHistogramBucketFactor)} is NaN; use a factor above 1 to enable native buckets, or 0 to disable them.",
                nameof(options));
        }
        var threshold = options.NativeHistogramZeroThreshold;
        if (!double.IsFinite(threshold) || threshold < 0)
        {
            throw new ArgumentException(
                $"Histogram \"{metricName}\": {nameof(HistogramOptions.NativeHistogramZeroThreshold)} must be a finite number at or above 0, not {threshold}.",
                nameof(options));
        }
        if (options.NativeHistogramMaxBucketNumber < 0)
        {
            throw new ArgumentException(
                $"Histogram \"{metricName}\": {nameof(HistogramOptions.NativeHistogramMaxBucketNumber)} must be 0 (unlimited) or positive, not {options.NativeHistogramMaxBucketNumber}.",
                nameof(options));
        }
        if (!(factor > 1))
        {
            return null;
        }
        return new NativeHistogramSettings(NativeBucketIndex.SchemaFor(factor), threshold, options.NativeHistogramMaxBucketNumber);
    }
}
