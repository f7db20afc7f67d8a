namespace Instrumentation.Collectors;

/// <summary>Options of a <see cref="MeterCollector"/>: which meters to bridge, the default histogram buckets and the series cap.</summary>
public sealed class MeterCollectorOptions
{
    /// <summary>The default of <see cref="MaxSeriesPerInstrument"/>: generous for tags with bounded values, a ceiling for unbounded ones.</summary>
    public const int DefaultMaxSeriesPerInstrument = 2000;

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

    /// <summary>
    /// The most series one bridged instrument keeps (instruments of the same name in several meters share one family,
    /// and so one cap). Measurements whose tags would make a further series go to one overflow series whose every
    /// label is <c>__overflow__</c> and are counted by <c>meter_bridge_overflow_measurements_total{family="..."}</c>,
    /// so a tag with unbounded values (a user id, a raw path) cannot grow memory and scrapes without limit.
    /// <c>0</c> means no limit; negative values are rejected. Default: <see cref="DefaultMaxSeriesPerInstrument"/>.
    /// </summary>
    /// <remarks>
    /// Zero, not null, means "no limit" so that configuration (where a number is easy to write and a null is not) can
    /// say it too. Series of observable instruments that a scrape's callbacks no longer report are forgotten, freeing
    /// their place under the cap.
    /// </remarks>
    public int MaxSeriesPerInstrument { get; set; } = DefaultMaxSeriesPerInstrument;
}
