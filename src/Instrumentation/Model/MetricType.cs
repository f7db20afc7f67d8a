namespace Instrumentation;

/// <summary>
/// The type of a metric family, as Prometheus and OpenMetrics know it.
/// </summary>
public enum MetricType
{
    /// <summary>A value that only goes up (resets to zero on restart).</summary>
    Counter,
    /// <summary>A value that can go up and down.</summary>
    Gauge,
    /// <summary>Observations counted into cumulative buckets, with their sum and count.</summary>
    Histogram,
    /// <summary>Observations summarised as quantiles over a sliding window, with their sum and count.</summary>
    Summary,
    /// <summary>A value whose type is unknown (text format "untyped", OpenMetrics "unknown").</summary>
    Untyped,
    /// <summary>Textual information about the target, exposed as a series with value 1 (OpenMetrics "info").</summary>
    Info,
    /// <summary>A set of boolean states, one series per state (OpenMetrics "stateset").</summary>
    StateSet,
    /// <summary>A histogram whose buckets can go down (OpenMetrics "gaugehistogram").</summary>
    GaugeHistogram,
}
