namespace Instrumentation.Scraping;

/// <summary>
/// The scrape handler's own metrics: <c>metrics_handler_requests_total{code}</c>,
/// <c>metrics_handler_requests_in_flight</c> and <c>metrics_handler_errors_total{cause}</c>. Every handler registered
/// with one registry shares them (an equal family already there is reused, as client_golang's promhttp does), so the
/// endpoint and the standalone server count into the same series.
/// </summary>
internal sealed class ScrapeHandlerMetrics
{
    private static readonly string[] CodeLabels = Enumerable.Range(0, 600).Select(static c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private ScrapeHandlerMetrics(CounterVec requests, Gauge inFlight, CounterVec errors)
    {
        Requests = requests;
        InFlight = inFlight;
        Errors = errors;
    }

    public CounterVec Requests { get; }

    public Gauge InFlight { get; }

    public CounterVec Errors { get; }

    /// <summary>Metrics that count but are registered nowhere, for a handler without a registerer.</summary>
    public static ScrapeHandlerMetrics Unregistered() => Create(null);

    /// <summary>Registers the metrics with <paramref name="registerer"/>, or takes the ones registered there before.</summary>
    public static ScrapeHandlerMetrics Register(IRegisterer registerer) => Create(registerer);

    public void Count(int statusCode) =>
        Requests.WithLabels((uint)statusCode < (uint)CodeLabels.Length ? CodeLabels[statusCode] : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();

    private static ScrapeHandlerMetrics Create(IRegisterer? registerer)
    {
        var requests = new CounterVec(new CounterOptions
        {
            Name = "metrics_handler_requests_total",
            Help = "Scrapes served by the metrics endpoint, by HTTP status code.",
        }, ["code"]);
        var inFlight = new Gauge(new GaugeOptions
        {
            Name = "metrics_handler_requests_in_flight",
            Help = "Scrapes the metrics endpoint is serving right now.",
        });
        var errors = new CounterVec(new CounterOptions
        {
            Name = "metrics_handler_errors_total",
            Help = "Problems met by the metrics endpoint, by cause (gathering, encoding).",
        }, ["cause"]);
        // Present from the start, so a rate over them works from the first scrape.
        requests.WithLabels("200");
        requests.WithLabels("500");
        requests.WithLabels("503");
        errors.WithLabels("gathering");
        errors.WithLabels("encoding");
        if (registerer is not null)
        {
            requests = GetOrRegister(registerer, requests);
            inFlight = GetOrRegister(registerer, inFlight);
            errors = GetOrRegister(registerer, errors);
        }
        return new ScrapeHandlerMetrics(requests, inFlight, errors);
    }

    private static T GetOrRegister<T>(IRegisterer registerer, T collector) where T : class, ICollector
    {
        try
        {
            registerer.Register(collector);
            return collector;
        }
        catch (AlreadyRegisteredException ex) when (ex.ExistingCollector is T existing)
        {
            return existing;
        }
    }
}
