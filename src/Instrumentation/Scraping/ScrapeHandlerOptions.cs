namespace Instrumentation.Scraping;

/// <summary>
/// How a <see cref="ScrapeHandler"/> serves scrapes: error mode, limits, timeout, compression and the formats it offers.
/// Host-neutral: <c>MapMetrics</c> and the standalone metrics server map their own options onto it.
/// </summary>
public class ScrapeHandlerOptions
{
    /// <summary>What a scrape does when gathering reports problems. Default: <see cref="ScrapeErrorHandling.ContinueOnError"/>.</summary>
    public ScrapeErrorHandling ErrorHandling { get; set; } = ScrapeErrorHandling.ContinueOnError;

    /// <summary>
    /// The most scrapes served at once; further ones get <c>503 Service Unavailable</c> at once. A gather abandoned by a
    /// timed-out scrape keeps one slot until it returns. 0 (the default) means no limit.
    /// </summary>
    public int MaxConcurrentScrapes { get; set; }

    /// <summary>
    /// How long a scrape waits for gathering; a slower one gets <c>503 Service Unavailable</c> at its deadline. The
    /// gather it waited for keeps running on its own thread, and later scrapes wait for that same gather instead of
    /// starting another, so a hung collector holds one thread, never more. Null (the default) means no limit.
    /// </summary>
    public TimeSpan? ScrapeTimeout { get; set; }

    /// <summary>Gzip the response when the scraper's <c>Accept-Encoding</c> allows it. Default: true.</summary>
    public bool EnableCompression { get; set; } = true;

    /// <summary>Serve OpenMetrics text when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableOpenMetrics { get; set; } = true;

    /// <summary>Serve the protobuf format when the scraper's <c>Accept</c> header prefers it. Default: true.</summary>
    public bool EnableProtobuf { get; set; } = true;

    /// <summary>
    /// Write OpenMetrics <c>_created</c> samples for counters, histograms and summaries. Default: false, as in
    /// client_golang: a Prometheus without created-timestamp ingestion stores each <c>_created</c> line as a series of
    /// its own. The protobuf format carries created timestamps either way.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; }

    /// <summary>
    /// When set, every response carries a <c>Process-Start-Time-Unix</c> header with this time in whole Unix seconds
    /// (client_golang's <c>HandlerOpts.ProcessStartTime</c>), which lets a scraper estimate counters' start without
    /// <c>_created</c> samples. Default: null (no header).
    /// </summary>
    public DateTimeOffset? ProcessStartTime { get; set; }

    /// <summary>Checks the options, naming the offending property.</summary>
    /// <param name="owner">The options type to name in messages (e.g. <c>MetricsEndpointOptions</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timeout is out of range.</exception>
    internal void Validate(string owner)
    {
        if (MaxConcurrentScrapes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentScrapes), MaxConcurrentScrapes, $"{owner}.MaxConcurrentScrapes must be 0 (no limit) or more.");
        }
        if (ScrapeTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(ScrapeTimeout), timeout, $"{owner}.ScrapeTimeout must be positive and under 24 days (or null for no limit).");
        }
    }

    internal ScrapeHandlerOptions Clone() => new()
    {
        ErrorHandling = ErrorHandling,
        MaxConcurrentScrapes = MaxConcurrentScrapes,
        ScrapeTimeout = ScrapeTimeout,
        EnableCompression = EnableCompression,
        EnableOpenMetrics = EnableOpenMetrics,
        EnableProtobuf = EnableProtobuf,
        OpenMetricsCreatedSamples = OpenMetricsCreatedSamples,
        ProcessStartTime = ProcessStartTime,
    };
}
