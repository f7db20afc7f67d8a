using Instrumentation.Scraping;

namespace Instrumentation.Hosting;

/// <summary>
/// The standalone metrics server of <c>AddMetricsServer()</c>, bound from <c>Metrics:Server</c>. It serves the
/// registry with the same <see cref="ScrapeHandler"/> as <c>MapMetrics</c>.
/// </summary>
public sealed class MetricsServerOptions
{
    /// <summary>
    /// The host name or address to listen on, as an <c>HttpListener</c> prefix takes it: <c>+</c> (the default) for
    /// every interface, <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, a host name. Key: <c>Metrics:Server:Host</c>.
    /// </summary>
    public string Host { get; set; } = "+";

    /// <summary>The TCP port. Default: 9464 (OpenTelemetry's Prometheus exporter port). Key: <c>Metrics:Server:Port</c>.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>The path metrics are served on; other paths get <c>404</c>. Default: <c>/metrics</c>. Key: <c>Metrics:Server:Path</c>.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>The most scrapes served at once; more get <c>503</c>. 0 (the default) means no limit. Key: <c>Metrics:Server:MaxConcurrentScrapes</c>.</summary>
    public int MaxConcurrentScrapes { get; set; }

    /// <summary>A scrape still waiting for its gather after this long gets <c>503</c>. Null (the default) means no limit. Key: <c>Metrics:Server:ScrapeTimeout</c>.</summary>
    public TimeSpan? ScrapeTimeout { get; set; }

    /// <summary>Serve what gathered cleanly or answer <c>500</c> when gathering reports problems. Default: continue. Key: <c>Metrics:Server:ErrorHandling</c>.</summary>
    public ScrapeErrorHandling ErrorHandling { get; set; } = ScrapeErrorHandling.ContinueOnError;

    /// <summary>The <c>HttpListener</c> prefix the server registers: <c>http://{Host}:{Port}/</c>.</summary>
    internal string Prefix => $"http://{Host}:{Port}/";

    /// <summary>The address in human terms, for messages: <c>http://+:9464/metrics</c>.</summary>
    internal string Address => $"http://{Host}:{Port}{Path}";
}
