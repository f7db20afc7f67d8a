namespace Instrumentation.AspNetCore;

/// <summary>
/// The three families every <c>UseHttpClientMetrics</c> handler records into: one set per registry, shared by all
/// clients (the <c>client</c> label tells them apart). Names and help follow prometheus-net's HttpClient metrics.
/// </summary>
internal sealed class HttpClientMetrics
{
    /// <summary>Label names of the in-progress gauge, known before the response: prometheus-net's order.</summary>
    internal static readonly string[] InProgressLabels = ["method", "host", "client"];

    /// <summary>Label names of the counter and histogram.</summary>
    internal static readonly string[] CompletedLabels = ["method", "host", "client", "code"];

    public HttpClientMetrics(IRegisterer registry, HttpClientMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        InProgress = Register(registry, new InFlightGaugeVec(new GaugeOptions
        {
            Name = "httpclient_requests_in_progress",
            Help = "HTTP requests sent by an HttpClient that have not yet received response headers, by method, host and client.",
            MaxSeries = options.MaxSeries,
        }, InProgressLabels));
        Sent = Register(registry, new CounterVec(new CounterOptions
        {
            Name = "httpclient_requests_sent_total",
            Help = "HTTP requests completed by an HttpClient, by method, host, client and status code (or the failure when no response came).",
            MaxSeries = options.MaxSeries,
        }, CompletedLabels));
        Duration = Register(registry, new HistogramVec(new HistogramOptions
        {
            Name = "httpclient_request_duration_seconds",
            Help = "Time until an HttpClient's requests received response headers (or failed), by method, host, client and status code.",
            Buckets = options.DurationBuckets,
            MaxSeries = options.MaxSeries,
        }, CompletedLabels));
    }

    public InFlightGaugeVec InProgress { get; }

    public CounterVec Sent { get; }

    public HistogramVec Duration { get; }

    /// <summary>Registers <paramref name="collector"/>, or takes the equal one already there (a second container on one registry).</summary>
    private static T Register<T>(IRegisterer registry, T collector)
        where T : class, ICollector
    {
        try
        {
            registry.Register(collector);
            return collector;
        }
        catch (AlreadyRegisteredException ex) when (ex.ExistingCollector is T existing)
        {
            return existing;
        }
    }
}
