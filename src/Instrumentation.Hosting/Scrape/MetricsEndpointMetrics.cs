namespace Instrumentation.Hosting;

/// <summary>
/// The metrics endpoint's own metrics, shared by every endpoint mapped in the application:
/// <c>metrics_handler_requests_total{code}</c>, <c>metrics_handler_requests_in_flight</c> and
/// <c>metrics_handler_errors_total{cause}</c>.
/// </summary>
internal sealed class MetricsEndpointMetrics
{
    public MetricsEndpointMetrics(IRegisterer registry)
    {
        Requests = new CounterVec(new CounterOptions
        {
            Name = "metrics_handler_requests_total",
            Help = "Scrapes served by the metrics endpoint, by HTTP status code.",
        }, ["code"]);
        InFlight = new Gauge(new GaugeOptions
        {
            Name = "metrics_handler_requests_in_flight",
            Help = "Scrapes the metrics endpoint is serving right now.",
        });
        Errors = new CounterVec(new CounterOptions
        {
            Name = "metrics_handler_errors_total",
            Help = "Problems met by the metrics endpoint, by cause (gathering, encoding).",
        }, ["cause"]);
        // Present from the start, so a rate over them works from the first scrape.
        Requests.WithLabels("200");
        Requests.WithLabels("500");
        Requests.WithLabels("503");
        Errors.WithLabels("gathering");
        Errors.WithLabels("encoding");
        registry.MustRegister(Requests, InFlight, Errors);
    }

    public CounterVec Requests { get; }

    public Gauge InFlight { get; }

    public CounterVec Errors { get; }
}
