using BenchmarkDotNet.Attributes;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The scrape path: gathering a registry of <see cref="Series"/> series (20 families, half counters and half gauges,
/// each with 2 variable labels and 1 const label). Time per scrape; allocation per scrape.
/// </summary>
public class ScrapeBenchmarks
{
    private Registry _registry = null!;

    /// <summary>Series in the registry.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup() => _registry = ScrapeWorkload.CreateRegistry(Series);

    [Benchmark(Description = "Gather")]
    public IReadOnlyList<MetricFamily> Gather() => _registry.Gather();
}

/// <summary>Builds the registries the scrape benchmarks read.</summary>
public static class ScrapeWorkload
{
    public const int Families = 20;

    public static Registry CreateRegistry(int series)
    {
        var registry = new Registry();
        var perFamily = series / Families;
        for (var f = 0; f < Families; f++)
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
        return registry;
    }
}
