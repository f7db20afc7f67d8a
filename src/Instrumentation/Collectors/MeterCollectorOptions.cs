namespace Instrumentation.Collectors;

/// <summary>Options of a <see cref="MeterCollector"/>: which meters to bridge and the default histogram buckets.</summary>
public sealed class MeterCollectorOptions
{
    /// <summary>
    /// Names of the <see cref="System.Diagnostics.Metrics.Meter"/>s to bridge, compared without regard to case. A name
    /// may hold <c>*</c> wildcards, each matching any run of characters: <c>"Microsoft.AspNetCore.*"</c> matches
    /// <c>Microsoft.AspNetCore.Hosting</c> (but not <c>Microsoft.AspNetCore</c> itself), and <c>"*"</c> matches every
    /// meter. Empty: nothing is bridged.
    /// </summary>
    public IList<string> Meters { get; set; } = new List<string>();

    /// <summary>
    /// Upper bounds of the buckets of a histogram whose instrument gives no bucket advice
    /// (<see cref="System.Diagnostics.Metrics.InstrumentAdvice{T}.HistogramBucketBoundaries"/>); null for
    /// <see cref="MeterCollector.OpenTelemetryDefaultBuckets"/>. Must be increasing and finite.
    /// </summary>
    public double[]? DefaultBuckets { get; set; }
}
