namespace Instrumentation.Hosting;

/// <summary>
/// Options of the DI-registered <see cref="Registry"/>, bound from the <c>Metrics</c> configuration section
/// (<see cref="SectionName"/>) and validated when the application starts.
/// </summary>
/// <example>
/// <code>
/// "Metrics": {
///   "Namespace": "shop",
///   "NameValidation": "Legacy",
///   "ConstLabels": { "env": "prod", "region": "eu1" },
///   "Collectors": { "Process": true, "Runtime": true, "Meters": [ "Microsoft.AspNetCore.*" ], "MeterMaxSeries": 2000 }
/// }
/// </code>
/// </example>
public sealed class MetricsOptions
{
    /// <summary>The configuration section the options are bound from: <c>Metrics</c>.</summary>
    public const string SectionName = "Metrics";

    /// <summary>
    /// Labels added to every series the registry exposes (the endpoint's own and the HTTP metrics included), such as
    /// an environment or region. Names must be valid label names. Key: <c>Metrics:ConstLabels:&lt;name&gt;</c>.
    /// </summary>
    public IDictionary<string, string> ConstLabels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Prepended (with <c>_</c>) to the name of every metric created by the <see cref="IMetricFactory"/> and every
    /// typed definition. Not applied to the built-in metrics (HTTP, process, runtime), whose names dashboards expect.
    /// Key: <c>Metrics:Namespace</c>.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Which metric and label names the registry accepts: <see cref="NameValidationScheme.Legacy"/> (the default:
    /// <c>^[a-zA-Z_:][a-zA-Z0-9_:]*$</c>, understood by every scraper) or <see cref="NameValidationScheme.Utf8"/>
    /// (Prometheus 3: any UTF-8 text, such as <c>http.server.duration</c>; quoted for scrapers that ask for
    /// <c>escaping=allow-utf-8</c>, escaped for the others). Also decides how <see cref="ConstLabels"/> and
    /// <see cref="Namespace"/> are checked. Key: <c>Metrics:NameValidation</c> (<c>Legacy</c> or <c>Utf8</c>).
    /// </summary>
    public NameValidationScheme NameValidation { get; set; } = NameValidationScheme.Legacy;

    /// <summary>Which built-in collectors run. Key: <c>Metrics:Collectors</c>.</summary>
    public MetricsCollectorsOptions Collectors { get; set; } = new();

    /// <summary>
    /// Whether OpenMetrics output carries <c>_created</c> samples for counters, histograms and summaries: the default
    /// of every <c>MapMetrics</c> endpoint and of the standalone server. Default: false (opt-in, as in client_golang):
    /// a Prometheus without created-timestamp ingestion stores each <c>_created</c> line as a series of its own.
    /// Key: <c>Metrics:OpenMetricsCreatedSamples</c>.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; }

    /// <summary>The standalone metrics server of <c>AddMetricsServer()</c>. Key: <c>Metrics:Server</c>.</summary>
    public MetricsServerOptions Server { get; set; } = new();

    /// <summary>
    /// Where and how <c>AddMetricsPusher()</c> pushes to a Pushgateway; read only when the pusher was added.
    /// Key: <c>Metrics:Push</c>.
    /// </summary>
    public MetricsPushOptions Push { get; set; } = new();

    /// <summary>
    /// Whether counters and histograms attach the current trace as an exemplar by themselves:
    /// <see cref="ExemplarMode.SampledTraces"/> (the default: <c>{trace_id, span_id}</c> of a recorded
    /// <c>Activity.Current</c>, at most once a second per series or bucket) or <see cref="ExemplarMode.Off"/>.
    /// A metric's own <c>Exemplars</c> option wins. Key: <c>Metrics:Exemplars</c>.
    /// </summary>
    public ExemplarMode Exemplars { get; set; } = ExemplarMode.SampledTraces;
}

/// <summary>Which exemplars the DI-registered registry's counters and histograms attach by themselves.</summary>
public enum ExemplarMode
{
    /// <summary>The trace and span of a recorded (sampled) <c>Activity.Current</c> (<see cref="ExemplarProvider.SampledTraces"/>).</summary>
    SampledTraces,

    /// <summary>No automatic exemplars (<see cref="ExemplarProvider.None"/>); explicit ones are still kept.</summary>
    Off,
}

/// <summary>Which built-in collectors the DI-registered registry runs.</summary>
public sealed class MetricsCollectorsOptions
{
    /// <summary>Process metrics (<c>process_cpu_seconds_total</c>, memory, file descriptors, start time). Default: true. Key: <c>Metrics:Collectors:Process</c>.</summary>
    public bool Process { get; set; } = true;

    /// <summary>.NET runtime metrics (GC, heap, thread pool, exceptions, JIT) and <c>dotnet_build_info</c>. Default: true. Key: <c>Metrics:Collectors:Runtime</c>.</summary>
    public bool Runtime { get; set; } = true;

    /// <summary>
    /// Names of <c>System.Diagnostics.Metrics</c> meters to expose; <c>*</c> is a wildcard
    /// (<c>Microsoft.AspNetCore.*</c>). Default: none. Key: <c>Metrics:Collectors:Meters</c>.
    /// </summary>
    public IList<string> Meters { get; set; } = new List<string>();

    /// <summary>
    /// The most series each bridged meter instrument keeps
    /// (<see cref="Instrumentation.Collectors.MeterCollectorOptions.MaxSeriesPerInstrument"/>); measurements with tags
    /// past it go to one <c>__overflow__</c> series and are counted by <c>meter_bridge_overflow_measurements_total</c>.
    /// <c>0</c> means no limit; negative values fail start-up. Default: 2000. Key: <c>Metrics:Collectors:MeterMaxSeries</c>.
    /// </summary>
    public int MeterMaxSeries { get; set; } = Instrumentation.Collectors.MeterCollectorOptions.DefaultMaxSeriesPerInstrument;
}
