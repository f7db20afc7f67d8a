namespace Instrumentation.Exposition;

/// <summary>The exposition formats a scrape can be answered in.</summary>
public enum ExpositionFormatKind
{
    /// <summary>The Prometheus text format (<c>text/plain; version=0.0.4</c>, or 1.0.0 when asked for).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 text (<c>application/openmetrics-text</c>).</summary>
    OpenMetricsText,

    /// <summary>Length-delimited <c>io.prometheus.client.MetricFamily</c> protobuf messages.</summary>
    Protobuf,
}
