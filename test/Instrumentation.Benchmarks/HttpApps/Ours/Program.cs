// Minimal app for http.sh: this library's /metrics with SERIES series (the benchmark suite's 20 families of counters
// and gauges, 2 variable labels + 1 const label each), GET /hello, and request metrics when HTTP_METRICS=on.
using Instrumentation;
using Instrumentation.AspNetCore;

var series = int.Parse(Environment.GetEnvironmentVariable("SERIES") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
var httpMetrics = Environment.GetEnvironmentVariable("HTTP_METRICS") == "on";

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddMetricsRegistry(o =>
{
    // Like the other two apps: only the workload's series (and the request metrics when on).
    o.Collectors.Process = false;
    o.Collectors.Runtime = false;
});
var app = builder.Build();

var registry = app.Services.GetRequiredService<Registry>();
var perFamily = series / 20;
for (var f = 0; f < 20; f++)
{
    var constLabels = new Dictionary<string, string> { ["service"] = "checkout" };
    if (f % 2 == 0)
    {
        var vec = new CounterVec(new CounterOptions { Name = $"app_requests_{f}_total", Help = "Requests handled, by route and status.", ConstLabels = constLabels }, ["route", "code"]);
        registry.Register(vec);
        for (var s = 0; s < perFamily; s++)
        {
            vec.WithLabels("/api/v1/resource/" + s, (200 + s % 5).ToString()).Add(s * 3 + 1);
        }
    }
    else
    {
        var vec = new GaugeVec(new GaugeOptions { Name = $"app_queue_depth_{f}", Help = "Items waiting, by queue and shard.", ConstLabels = constLabels }, ["queue", "shard"]);
        registry.Register(vec);
        for (var s = 0; s < perFamily; s++)
        {
            vec.WithLabels("queue-" + s, (s % 16).ToString()).Set(s * 0.25 + 1e-3);
        }
    }
}

if (httpMetrics)
{
    app.UseHttpMetrics();
}
app.MapMetrics();
app.MapGet("/hello", () => "hello");
app.Run();
