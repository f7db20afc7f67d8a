namespace Instrumentation.AspNetCore;

/// <summary>Options of one endpoint mapped by <c>MapMetrics</c>.</summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>What a scrape does when gathering reports problems. Default: <see cref="MetricsErrorHandling.ContinueOnError"/>.</summary>
    public MetricsErrorHandling ErrorHandling { get; set; } = MetricsErrorHandling.ContinueOnError;

    /// <summary>
    /// The most scrapes served at once; further ones get <c>503 Service Unavailable</c> at once instead of piling up
    /// behind slow collectors. 0 (the default) means no limit.
    /// </summary>
    public int MaxConcurrentScrapes { get; set; }

    /// <summary>
    /// How long a scrape may take to gather; a slower one gets <c>503 Service Unavailable</c> and is abandoned (it still
    /// counts against <see cref="MaxConcurrentScrapes"/> until its collectors return). Null (the default) means no limit.
    /// Keep it below Prometheus' <c>scrape_timeout</c>.
    /// </summary>
    public TimeSpan? ScrapeTimeout { get; set; }

    /// <summary>Gzip the response when the scraper's <c>Accept-Encoding</c> allows it. Default: true.</summary>
    public bool EnableCompression { get; set; } = true;

    /// <summary>Serve OpenMetrics text when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableOpenMetrics { get; set; } = true;

    /// <summary>Serve the protobuf format when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableProtobuf { get; set; } = true;

    /// <summary>Write OpenMetrics <c>_created</c> samples for counters, histograms and summaries. Default: true.</summary>
    public bool OpenMetricsCreatedSamples { get; set; } = true;
}

/// <summary>What a scrape does when gathering reports problems (a collector threw, series clash).</summary>
public enum MetricsErrorHandling
{
    /// <summary>Serve every family that gathered cleanly with <c>200</c>, and log the problems as a warning.</summary>
    ContinueOnError,

    /// <summary>Answer <c>500 Internal Server Error</c> with the problems as plain text, and log them.</summary>
    FailOnError,
}
