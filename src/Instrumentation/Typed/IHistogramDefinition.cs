namespace Instrumentation;

/// <summary>Declares a histogram to be injected as <see cref="IHistogram{TDefinition}"/>.</summary>
public interface IHistogramDefinition : IMetricDefinition
{
    /// <summary>Bucket upper bounds, strictly increasing; null (the default) means <see cref="Instrumentation.Buckets.Default"/>.</summary>
    static virtual IReadOnlyList<double>? Buckets => null;

    /// <summary>
    /// Above 1: also keep native (sparse exponential) buckets, growing by at most this factor (see
    /// <see cref="HistogramOptions.NativeHistogramBucketFactor"/>). Default 0: classic buckets only.
    /// </summary>
    static virtual double NativeHistogramBucketFactor => 0;

    /// <summary>The most native buckets a series keeps before halving its resolution; 0 (the default) for no limit.</summary>
    static virtual int NativeHistogramMaxBucketNumber => 0;
}
