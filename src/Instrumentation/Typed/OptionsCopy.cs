namespace Instrumentation;

/// <summary>Copies metric options, so a factory can change the namespace without touching the caller's object.</summary>
internal static class OptionsCopy
{
    public static MetricOptions Of(MetricOptions options) => options switch
    {
        CounterOptions c => Base(options, new CounterOptions { Exemplars = c.Exemplars }),
        GaugeOptions => Base(options, new GaugeOptions()),
        HistogramOptions h => Base(options, new HistogramOptions
        {
            Buckets = h.Buckets,
            Exemplars = h.Exemplars,
            NativeHistogramBucketFactor = h.NativeHistogramBucketFactor,
            NativeHistogramZeroThreshold = h.NativeHistogramZeroThreshold,
            NativeHistogramMaxBucketNumber = h.NativeHistogramMaxBucketNumber,
        }),
        SummaryOptions s => Base(options, new SummaryOptions
        {
            Objectives = s.Objectives,
            MaxAge = s.MaxAge,
            AgeBuckets = s.AgeBuckets,
            BufferCapacity = s.BufferCapacity,
        }),
        _ => throw new NotSupportedException($"Cannot copy metric options of type {options.GetType().Name}."),
    };

    private static T Base<T>(MetricOptions from, T to)
        where T : MetricOptions
    {
        to.Namespace = from.Namespace;
        to.Subsystem = from.Subsystem;
        to.Name = from.Name;
        to.Help = from.Help;
        to.ConstLabels = from.ConstLabels is null ? null : new Dictionary<string, string>(from.ConstLabels);
        to.Unit = from.Unit;
        to.MaxSeries = from.MaxSeries;
        to.ExpireAfter = from.ExpireAfter;
        to.Time = from.Time;
        return to;
    }
}
