using Instrumentation.Scraping;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Options of one endpoint mapped by <c>MapMetrics</c>. The endpoint is served by the host-neutral
/// <see cref="ScrapeHandler"/>, which the standalone metrics server uses too; these options map onto its
/// <see cref="ScrapeHandlerOptions"/>.
/// </summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>What a scrape does when gathering reports problems. Default: <see cref="MetricsErrorHandling.ContinueOnError"/>.</summary>
    public MetricsErrorHandling ErrorHandling { get; set; } = MetricsErrorHandling.ContinueOnError;

    /// <summary>
    /// The most scrapes served at once; further ones get <c>503 Service Unavailable</c> at once instead of piling up
    /// behind slow collectors. A gather abandoned by a timed-out scrape keeps one slot until it returns. 0 (the
    /// default) means no limit.
    /// </summary>
    public int MaxConcurrentScrapes { get; set; }

    /// <summary>
    /// How long a scrape waits for gathering; a slower one gets <c>503 Service Unavailable</c> at its deadline, however
    /// many scrapes are waiting. The gather goes on in the background and later scrapes wait for it rather than start
    /// another, so a hung collector never has more than one gather running. Null (the default) means no limit.
    /// Keep it below Prometheus' <c>scrape_timeout</c>.
    /// </summary>
    public TimeSpan? ScrapeTimeout { get; set; }

    /// <summary>Gzip the response when the scraper's <c>Accept-Encoding</c> allows it. Default: true.</summary>
    public bool EnableCompression { get; set; } = true;

    /// <summary>Serve OpenMetrics text when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableOpenMetrics { get; set; } = true;

    /// <summary>Serve the protobuf format when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableProtobuf { get; set; } = true;

    /// <summary>
    /// Write OpenMetrics <c>_created</c> samples for counters, histograms and summaries. Default: false (opt-in, as in
    /// client_golang): a Prometheus without created-timestamp ingestion stores every <c>_created</c> line as a series
    /// of its own. The protobuf format carries created timestamps either way.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; }

    /// <summary>
    /// When set, responses carry a <c>Process-Start-Time-Unix</c> header with this time in whole Unix seconds
    /// (client_golang's <c>HandlerOpts.ProcessStartTime</c>). Default: null (no header).
    /// </summary>
    public DateTimeOffset? ProcessStartTime { get; set; }

    /// <summary>The handler options these map to, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timeout is out of range (the message names the property).</exception>
    internal ScrapeHandlerOptions ToHandlerOptions()
    {
        var options = new ScrapeHandlerOptions
        {
            ErrorHandling = ErrorHandling == MetricsErrorHandling.FailOnError ? ScrapeErrorHandling.FailOnError : ScrapeErrorHandling.ContinueOnError,
            MaxConcurrentScrapes = MaxConcurrentScrapes,
            ScrapeTimeout = ScrapeTimeout,
            EnableCompression = EnableCompression,
            EnableOpenMetrics = EnableOpenMetrics,
            EnableProtobuf = EnableProtobuf,
            OpenMetricsCreatedSamples = OpenMetricsCreatedSamples,
            ProcessStartTime = ProcessStartTime,
        };
        options.Validate(nameof(MetricsEndpointOptions));
        return options;
    }
}

/// <summary>What a scrape does when gathering reports problems (a collector threw, series clash).</summary>
public enum MetricsErrorHandling
{
    /// <summary>Serve every family that gathered cleanly with <c>200</c>, and log the problems as a warning.</summary>
    ContinueOnError,

    /// <summary>Answer <c>500 Internal Server Error</c> with the problems as plain text, and log them.</summary>
    FailOnError,
}
