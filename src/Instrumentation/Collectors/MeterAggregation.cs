namespace Instrumentation.Collectors;

/// <summary>How the measurements of a bridged instrument become a Prometheus value.</summary>
internal enum MeterAggregation
{
    /// <summary><c>Counter&lt;T&gt;</c>: measurements are added; negative ones are dropped. Exposed as a counter.</summary>
    Sum,

    /// <summary><c>UpDownCounter&lt;T&gt;</c>: measurements are added. Exposed as a gauge.</summary>
    UpDownSum,

    /// <summary><c>Gauge&lt;T&gt;</c>: the last measurement wins. Exposed as a gauge.</summary>
    LastValue,

    /// <summary><c>Histogram&lt;T&gt;</c>: measurements are counted into buckets. Exposed as a histogram.</summary>
    Histogram,

    /// <summary><c>ObservableCounter&lt;T&gt;</c>: the totals observed at this scrape. Exposed as a counter.</summary>
    ObservedCounter,

    /// <summary>
    /// <c>ObservableUpDownCounter&lt;T&gt;</c>, and observable counters known to report levels: the values observed at
    /// this scrape (added up when several instruments report the same series). Exposed as a gauge.
    /// </summary>
    ObservedUpDownSum,

    /// <summary><c>ObservableGauge&lt;T&gt;</c>: the last value observed at this scrape. Exposed as a gauge.</summary>
    ObservedGauge,
}
