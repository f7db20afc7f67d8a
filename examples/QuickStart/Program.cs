using Instrumentation;
using QuickStart.Metrics;

var builder = WebApplication.CreateBuilder(args);

// The registry, IMetricFactory and the typed metrics; options come from the "Metrics" section of appsettings.json.
builder.Services.AddMetricsRegistry()
    .AddCollector<InventoryCollector>()
    .AddCollector<QueueCollector>();
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

// A label per user is a cardinality risk: UserVisits caps its family (MaxSeries), so a flood of user ids folds into
// one __overflow__ series, counted by metrics_series_dropped_total{metric="shop_user_visits_total"}.
app.MapGet("/users/{user}/visits", (string user, ICounter<UserVisits> visits) =>
{
    visits.WithLabels(user).Inc();
    return Results.Ok();
});

// For test/conformance/soak.sh only: forces a full compacting GC and answers the managed heap that survived it.
if (Environment.GetEnvironmentVariable("QUICKSTART_SOAK_ENDPOINTS") == "1")
{
    app.MapGet("/soak/memory", () =>
    {
        // Several rounds, finalizers run in between: what waits for finalization (a weak table's retired storage, say)
        // survives a collection or two.
        for (var round = 0; round < 4; round++)
        {
            // The large object heap is only compacted when asked; otherwise its free space counts as heap.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var generations = GC.GetGCMemoryInfo().GenerationInfo.ToArray().Select(g => g.SizeAfterBytes);
        return Results.Ok(new { heapBytes = GC.GetTotalMemory(forceFullCollection: false), generationBytes = generations });
    });
}

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

/// <summary>
/// A custom collector whose metrics are only known when it collects (the queues a broker reports at that moment), so
/// it builds its descriptors in <see cref="Collect"/>, one per queue with the queue as a const label, and describes
/// nothing (an unchecked collector). With the registry's const labels (appsettings.json) its metrics are wrapped on
/// every scrape; test/conformance/soak.sh checks that this keeps no memory per scrape.
/// </summary>
public sealed class QueueCollector : ICollector
{
    private static readonly string[] Queues = ["billing", "mail", "reports", "search"];

    public IEnumerable<Desc> Describe() => [];

    public IEnumerable<IMetric> Collect()
    {
        var metrics = new List<IMetric>(Queues.Length * 2);
        foreach (var queue in Queues)
        {
            var labels = new Dictionary<string, string> { ["queue"] = queue };
            var depth = new Desc("quickstart_queue_depth", "Messages waiting, by queue.", null, labels);
            var age = new Desc("quickstart_queue_oldest_message_age_seconds", "Age of the oldest waiting message, by queue.", null, labels);
            metrics.Add(ConstMetric.Gauge(depth, queue.Length));
            metrics.Add(ConstMetric.Gauge(age, queue.Length / 10.0));
        }
        return metrics;
    }
}

/// <summary>Lets integration tests start the app with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
