using Instrumentation.Exposition;
using Instrumentation.Push;

namespace Instrumentation.Hosting;

/// <summary>
/// Options of the hosted pusher added by <c>AddMetricsPusher()</c>, bound from <c>Metrics:Push</c> and validated when
/// the host starts (only when the pusher was added).
/// </summary>
/// <example>
/// <code>
/// "Metrics": {
///   "Push": {
///     "Url": "http://pushgateway:9091",
///     "Job": "billing-worker",
///     "GroupingLabels": { "instance": "worker-1" },
///     "IntervalSeconds": 15,
///     "DeleteOnStop": true
///   }
/// }
/// </code>
/// </example>
public sealed class MetricsPushOptions
{
    /// <summary>
    /// The Pushgateway's base URL, such as <c>http://pushgateway:9091</c> (a path prefix such as
    /// <c>http://proxy/gateway</c> is kept); the group path <c>/metrics/job/…</c> is added to it. A URL that already
    /// ends in <c>/metrics</c> fails start-up. Empty (the default) turns pushing off, so the pusher can be added
    /// unconditionally and switched on per deployment. Key: <c>Metrics:Push:Url</c>.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// The job name of the group. Default: the host's application name (<c>IHostEnvironment.ApplicationName</c>).
    /// Key: <c>Metrics:Push:Job</c>.
    /// </summary>
    public string? Job { get; set; }

    /// <summary>
    /// Grouping labels besides the job, such as <c>instance</c>; names must be valid label names and not <c>job</c>.
    /// Key: <c>Metrics:Push:GroupingLabels:&lt;name&gt;</c>.
    /// </summary>
    public IDictionary<string, string> GroupingLabels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Seconds between pushes; must be positive. Default: 15. Key: <c>Metrics:Push:IntervalSeconds</c>.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>
    /// <see cref="PushMethod.Push"/> (the default: each push replaces the group) or <see cref="PushMethod.Add"/>
    /// (replaces only the metric names pushed). Key: <c>Metrics:Push:Method</c>.
    /// </summary>
    public PushMethod Method { get; set; } = PushMethod.Push;

    /// <summary>
    /// The body format: <see cref="ExpositionFormatKind.Protobuf"/> (the default, as client_golang pushes: native
    /// histogram buckets, exemplars and creation times reach the gateway) or <see cref="ExpositionFormatKind.PrometheusText"/>
    /// (text 0.0.4, for gateways or proxies that only read text). Key: <c>Metrics:Push:Format</c>.
    /// </summary>
    public ExpositionFormatKind Format { get; set; } = ExpositionFormatKind.Protobuf;

    /// <summary>
    /// Whether the group is deleted from the gateway when the host stops (instead of a final push), so a stopped
    /// instance leaves no stale series behind. Default: false. Key: <c>Metrics:Push:DeleteOnStop</c>.
    /// </summary>
    public bool DeleteOnStop { get; set; }
}
