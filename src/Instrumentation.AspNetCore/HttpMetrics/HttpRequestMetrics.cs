namespace Instrumentation.AspNetCore;

/// <summary>The three families <c>UseHttpMetrics</c> records into, registered once per registry.</summary>
internal sealed class HttpRequestMetrics
{
    private HttpRequestMetrics(CounterVec requests, HistogramVec duration, InFlightGaugeVec inProgress)
    {
        Requests = requests;
        Duration = duration;
        InProgress = inProgress;
    }

    public CounterVec Requests { get; }

    public HistogramVec Duration { get; }

    public InFlightGaugeVec InProgress { get; }

    /// <summary>
    /// Creates and registers the families, or — when <c>UseHttpMetrics</c> runs again on the same registry (a second
    /// pipeline, a test host) — takes the ones already registered.
    /// </summary>
    public static HttpRequestMetrics GetOrRegister(IRegisterer registry, HttpMetricsOptions options)
    {
        string[] labels = ["code", "method", "route", .. options.AdditionalLabels.Select(l => l.Name)];
        var requests = Register(registry, new CounterVec(new CounterOptions
        {
            Name = "http_requests_received_total",
            Help = "HTTP requests received, by status code, method and route template.",
        }, labels));
        var duration = Register(registry, new HistogramVec(new HistogramOptions
        {
            Name = "http_request_duration_seconds",
            Help = "Time taken to handle HTTP requests, by status code, method and route template.",
            Buckets = options.DurationBuckets,
            NativeHistogramBucketFactor = options.DurationNativeBucketFactor,
            NativeHistogramMaxBucketNumber = options.DurationNativeBucketFactor > 1 ? 160 : 0,
        }, labels));
        var inProgress = Register(registry, new InFlightGaugeVec(new GaugeOptions
        {
            Name = "http_requests_in_progress",
            Help = "HTTP requests being handled right now, by method and route template.",
        }, ["method", "route"]));
        return new HttpRequestMetrics(requests, duration, inProgress);
    }

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
