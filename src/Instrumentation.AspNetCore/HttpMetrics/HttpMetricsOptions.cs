using Microsoft.AspNetCore.Http;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Options of the HTTP request metrics recorded by <c>UseHttpMetrics</c>:
/// <c>http_requests_received_total{code,method,route}</c>, <c>http_request_duration_seconds{code,method,route}</c>
/// and <c>http_requests_in_progress{method,route}</c> — or, with <see cref="LabelScheme"/> set to
/// <see cref="HttpMetricsLabelScheme.PrometheusNet"/>, the same families with prometheus-net's labels.
/// </summary>
public sealed class HttpMetricsOptions
{
    /// <summary>The <c>route</c> label value of requests that matched no endpoint with a route template: <c>&lt;unmatched&gt;</c>.</summary>
    public const string UnmatchedRoute = "<unmatched>";

    private static readonly double[] RouteSchemeBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // prometheus-net's: 1 ms doubling up to 32.768 s (16 bounds), so the `le` values its dashboards and alerts use exist.
    private static readonly double[] PrometheusNetSchemeBuckets = Buckets.Exponential(0.001, 2, 16);

    private readonly List<HttpMetricsLabel> _labels = [];
    private double[]? _durationBuckets;

    /// <summary>
    /// The label set of the three families. <see cref="HttpMetricsLabelScheme.Route"/> (the default) labels by
    /// <c>code</c>, <c>method</c> and <c>route</c> (the route template); <see cref="HttpMetricsLabelScheme.PrometheusNet"/>
    /// by prometheus-net 8's <c>code</c>, <c>method</c>, <c>controller</c>, <c>action</c> and <c>endpoint</c>, so that
    /// dashboards and alerts written for prometheus-net's <c>UseHttpMetrics</c> keep working after a migration.
    /// </summary>
    public HttpMetricsLabelScheme LabelScheme { get; set; } = HttpMetricsLabelScheme.Route;

    /// <summary>
    /// Upper bounds (seconds) of the duration histogram's buckets. Default: with <see cref="HttpMetricsLabelScheme.Route"/>,
    /// 5 ms to 10 s, denser below one second, where web latencies live; with <see cref="HttpMetricsLabelScheme.PrometheusNet"/>,
    /// prometheus-net's 1 ms to 32.768 s, doubling. A value set here wins over both.
    /// </summary>
    public double[] DurationBuckets
    {
        get => _durationBuckets ?? (LabelScheme == HttpMetricsLabelScheme.PrometheusNet ? PrometheusNetSchemeBuckets : RouteSchemeBuckets);
        set => _durationBuckets = value;
    }

    /// <summary>
    /// Above 1: the duration histogram also keeps native (sparse exponential) buckets growing by at most this factor,
    /// exposed to scrapers that negotiate protobuf (Prometheus with native histograms enabled); see
    /// <see cref="HistogramOptions.NativeHistogramBucketFactor"/>. Default 0: classic buckets only. 1.1 is a common
    /// choice; the series then keep at most 160 native buckets each.
    /// </summary>
    public double DurationNativeBucketFactor { get; set; }

    /// <summary>Leave the endpoints mapped by <c>MapMetrics</c> (the scrapes) out of the metrics. Default: true.</summary>
    public bool ExcludeMetricsEndpoints { get; set; } = true;

    /// <summary>Extra labels added to the request counter and the duration histogram, in the order they were added.</summary>
    public IReadOnlyList<HttpMetricsLabel> AdditionalLabels => _labels;

    /// <summary>
    /// Adds a label whose value is the request's route value <paramref name="routeValueName"/> (such as
    /// <c>controller</c> or <c>action</c>, which conventional MVC routes share one template for); empty when the
    /// route has no such value. Route values must have few distinct values: each one is a series.
    /// </summary>
    /// <param name="routeValueName">The route value to read.</param>
    /// <param name="labelName">The label name; default: <paramref name="routeValueName"/>.</param>
    public HttpMetricsOptions AddRouteValueLabel(string routeValueName, string? labelName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(routeValueName);
        return AddLabel(labelName ?? routeValueName, context => context.Request.RouteValues.TryGetValue(routeValueName, out var value) ? value?.ToString() : null);
    }

    /// <summary>
    /// Adds a label whose value <paramref name="value"/> computes from the finished request (null means empty). Keep the
    /// set of values small — a tenant tier, not a user id — and return cached strings, so that recording allocates nothing.
    /// </summary>
    public HttpMetricsOptions AddLabel(string labelName, Func<HttpContext, string?> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelName);
        ArgumentNullException.ThrowIfNull(value);
        if (labelName is "code" or "method" or "route" || _labels.Exists(l => l.Name == labelName))
        {
            throw new ArgumentException($"HTTP metrics already have a label named \"{labelName}\".", nameof(labelName));
        }
        _labels.Add(new HttpMetricsLabel(labelName, value));
        return this;
    }
}

/// <summary>An extra label of the HTTP metrics: its name and how its value is read from a request.</summary>
/// <param name="Name">The label name.</param>
/// <param name="Value">Computes the value from the finished request; null means empty.</param>
public sealed record HttpMetricsLabel(string Name, Func<HttpContext, string?> Value);

/// <summary>Which labels the HTTP request metrics of <c>UseHttpMetrics</c> carry.</summary>
public enum HttpMetricsLabelScheme
{
    /// <summary>
    /// <c>code</c>, <c>method</c> and <c>route</c> (the matched route template, <c>&lt;unmatched&gt;</c> when none);
    /// the in-progress gauge <c>method</c> and <c>route</c>.
    /// </summary>
    Route,

    /// <summary>
    /// prometheus-net 8's label set: <c>code</c>, <c>method</c>, <c>controller</c>, <c>action</c> and <c>endpoint</c>
    /// (the route values <c>controller</c> and <c>action</c>, empty for minimal APIs; <c>endpoint</c> the route
    /// template, empty when no endpoint matched); the in-progress gauge <c>method</c>, <c>controller</c>,
    /// <c>action</c> and <c>endpoint</c>. For migrating from prometheus-net without changing dashboards.
    /// </summary>
    PrometheusNet,
}
