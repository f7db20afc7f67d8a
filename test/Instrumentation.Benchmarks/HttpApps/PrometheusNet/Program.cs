// Minimal app for http.sh: prometheus-net 8.2.1's /metrics with SERIES series (the same 20 families as the other two
// apps), GET /hello, and prometheus-net's UseHttpMetrics when HTTP_METRICS=on.
using Prometheus;

var series = int.Parse(Environment.GetEnvironmentVariable("SERIES") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
var httpMetrics = Environment.GetEnvironmentVariable("HTTP_METRICS") == "on";

// Like the other two apps: only the workload's series (and the request metrics when on).
Metrics.SuppressDefaultMetrics();

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

var factory = Metrics.WithLabels(new Dictionary<string, string> { ["service"] = "checkout" });
var perFamily = series / 20;
for (var f = 0; f < 20; f++)
{
    if (f % 2 == 0)
    {
        var counter = factory.CreateCounter($"app_requests_{f}_total", "Requests handled, by route and status.", ["route", "code"]);
        for (var s = 0; s < perFamily; s++)
        {
            counter.WithLabels("/api/v1/resource/" + s, (200 + s % 5).ToString()).Inc(s * 3 + 1);
        }
    }
    else
    {
        var gauge = factory.CreateGauge($"app_queue_depth_{f}", "Items waiting, by queue and shard.", ["queue", "shard"]);
        for (var s = 0; s < perFamily; s++)
        {
            gauge.WithLabels("queue-" + s, (s % 16).ToString()).Set(s * 0.25 + 1e-3);
        }
    }
}

app.UseRouting();
if (httpMetrics)
{
    app.UseHttpMetrics();
}
app.MapMetrics();
app.MapGet("/hello", () => "hello");
app.Run();
