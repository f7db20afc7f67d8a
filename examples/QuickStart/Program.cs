using Instrumentation;
using QuickStart.Metrics;

var builder = WebApplication.CreateBuilder(args);

// The registry, IMetricFactory and the typed metrics; options come from the "Metrics" section of appsettings.json.
builder.Services.AddMetricsRegistry()
    .AddCollector<InventoryCollector>();
builder.Services.AddControllers();

var app = builder.Build();

app.UseHttpMetrics();
app.MapControllers();

// A minimal-API handler with an injected typed metric, and one using the factory at run time.
app.MapGet("/orders/{id}", (int id, ICounter<OrderLookups> lookups) =>
{
    lookups.Inc();
    return Results.Ok(new { id });
});
app.MapPost("/jobs/{queue}", (string queue, IMetricFactory factory) =>
{
    factory.CreateCounterVec(new CounterOptions { Name = "jobs_enqueued_total", Help = "Jobs enqueued, by queue." }, ["queue"])
        .WithLabels(queue is "mail" or "billing" ? queue : "other")
        .Inc();
    return Results.Accepted();
});

app.MapMetrics("/metrics", options => options.MaxConcurrentScrapes = 4);

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        app.Logger.LogInformation("QuickStart is running: open {Url}/metrics to see its metrics, GET {Url}/orders/1 or POST {Url}/checkout?channel=web to move them.", url, url, url);
    }
});

app.Run();

/// <summary>A custom collector, registered in DI and with the registry at start-up.</summary>
public sealed class InventoryCollector : ICollector
{
    private static readonly Desc StockDesc = new("quickstart_items_in_stock", "Items in stock, by warehouse.", ["warehouse"], null);

    public IEnumerable<Desc> Describe() => [StockDesc];

    public IEnumerable<IMetric> Collect() =>
    [
        ConstMetric.Gauge(StockDesc, 120, "north"),
        ConstMetric.Gauge(StockDesc, 45, "south"),
    ];
}

/// <summary>Lets integration tests start the app with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
