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
        var routeLabels = RouteLabelNames(options.LabelScheme);
        foreach (var extra in options.AdditionalLabels)
        {
            if (routeLabels.Contains(extra.Name))
            {
                throw new ArgumentException(
                    $"The additional HTTP metrics label \"{extra.Name}\" is one of the labels of the {options.LabelScheme} label scheme.", nameof(options));
            }
        }
        string[] labels = ["code", "method", .. routeLabels, .. options.AdditionalLabels.Select(l => l.Name)];
        var requests = Register(registry, new CounterVec(new CounterOptions
        {
            Name = "http_requests_received_total",
            Help = "HTTP requests received, by status code, method and route template.",
        }, labels));
        var duration = Register(registry, new HistogramVec(new HistogramOptions
        {
            Name = "http_request_duration_seconds",
            Unit = "seconds",
            Help = "Time taken to handle HTTP requests, by status code, method and route template.",
            Buckets = options.DurationBuckets,
            NativeHistogramBucketFactor = options.DurationNativeBucketFactor,
            NativeHistogramMaxBucketNumber = options.DurationNativeBucketFactor > 1 ? 160 : 0,
        }, labels));
        var inProgress = Register(registry, new InFlightGaugeVec(new GaugeOptions
        {
            Name = "http_requests_in_progress",
            Help = "HTTP requests being handled right now, by method and route template.",
        }, ["method", .. routeLabels]));
        return new HttpRequestMetrics(requests, duration, inProgress);
    }

    /// <summary>The labels that say which endpoint handled a request, after <c>code</c> and <c>method</c>.</summary>
    public static string[] RouteLabelNames(HttpMetricsLabelScheme scheme) => scheme switch
    {
        HttpMetricsLabelScheme.Route => ["route"],
        HttpMetricsLabelScheme.PrometheusNet => ["controller", "action", "endpoint"],
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown HTTP metrics label scheme."),
    };

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
