// Minimal app for http.sh: the OpenTelemetry SDK with its Prometheus exporter at /metrics, SERIES series (the same 20
// families as the other two apps, recorded through System.Diagnostics.Metrics), GET /hello, and the ASP.NET Core
// instrumentation's request metrics when HTTP_METRICS=on. The exporter's scrape response cache (300 ms by default)
// is off unless OTEL_SCRAPE_CACHE_MS says otherwise, so every scrape collects and serialises.
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

var series = int.Parse(Environment.GetEnvironmentVariable("SERIES") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
var httpMetrics = Environment.GetEnvironmentVariable("HTTP_METRICS") == "on";
var cacheMs = int.Parse(Environment.GetEnvironmentVariable("OTEL_SCRAPE_CACHE_MS") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
{
    metrics.AddMeter("HttpApp");
    metrics.AddView(instrument => instrument.Meter.Name == "HttpApp" ? new MetricStreamConfiguration { CardinalityLimit = series / 20 + 10 } : null);
    if (httpMetrics)
    {
        metrics.AddAspNetCoreInstrumentation();
    }
    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = cacheMs);
});
var app = builder.Build();

// The SDK listens from when its MeterProvider exists (normally when the host starts); measurements made before are
// dropped, so create it before recording the workload.
app.Services.GetRequiredService<MeterProvider>();
var meter = new Meter("HttpApp");
var perFamily = series / 20;
for (var f = 0; f < 20; f++)
{
    if (f % 2 == 0)
    {
        var counter = meter.CreateCounter<long>($"app_requests_{f}", description: "Requests handled, by route and status.");
        for (var s = 0; s < perFamily; s++)
        {
            counter.Add(s * 3 + 1, new("route", "/api/v1/resource/" + s), new("code", (200 + s % 5).ToString()), new("service", "checkout"));
        }
    }
    else
    {
        var gauge = meter.CreateGauge<double>($"app_queue_depth_{f}", description: "Items waiting, by queue and shard.");
        for (var s = 0; s < perFamily; s++)
        {
            gauge.Record(s * 0.25 + 1e-3, new("queue", "queue-" + s), new("shard", (s % 16).ToString()), new("service", "checkout"));
        }
    }
}

app.UseOpenTelemetryPrometheusScrapingEndpoint();
app.MapGet("/hello", () => "hello");
app.Run();
