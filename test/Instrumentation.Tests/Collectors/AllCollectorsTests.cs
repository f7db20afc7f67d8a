using System.Diagnostics.Metrics;
using Instrumentation.Collectors;
using static Instrumentation.Tests.Collectors.CollectorTestHelpers;

namespace Instrumentation.Tests.Collectors;

public class AllCollectorsTests
{
    [Fact]
    public void Registry_holding_every_collector_gathers_without_errors()
    {
        using var runtime = new RuntimeCollector();
        // Every framework meter, the runtime's own System.Runtime included: its names must not clash with the runtime
        // collector's. (Not "*": other tests' meters hold a deliberately failing callback.)
        var meterName = "Test.AllCollectors." + Guid.NewGuid().ToString("N");
        using var meters = new MeterCollector(new MeterCollectorOptions { Meters = { "System.*", "Microsoft.*", meterName } });
        var registry = new Registry();
        registry.MustRegister(new ProcessCollector(), runtime, new BuildInfoCollector(), meters);
        using var meter = new Meter(meterName);
        meter.CreateHistogram<double>("http.server.request.duration", "s").Record(0.2, new KeyValuePair<string, object?>("http.route", "/"));

        registry.Gather();
        var second = registry.Gather();

        foreach (var name in new[]
        {
            "process_cpu_seconds_total", "dotnet_gc_collection_count_total", "dotnet_build_info",
            "dotnet_gc_collections_total", "dotnet_thread_pool_thread_count", "http_server_request_duration_seconds",
        })
        {
            Assert.NotNull(second.FindFamily(name));
        }
        Assert.Equal(MetricType.Gauge, second.Family("dotnet_thread_pool_thread_count").Type);
        Assert.Equal(MetricType.Gauge, second.Family("dotnet_thread_pool_queue_length").Type);
    }

    [Fact]
    public void Registry_const_labels_apply_to_every_collectors_series()
    {
        using var runtime = new RuntimeCollector();
        var meterName = "Test.ConstLabels." + Guid.NewGuid().ToString("N");
        using var meters = new MeterCollector(new MeterCollectorOptions { Meters = { meterName } });
        var registry = new Registry(new RegistryOptions { ConstLabels = { ["service"] = "shop" } });
        registry.MustRegister(new ProcessCollector(), runtime, new BuildInfoCollector(), meters);
        using var meter = new Meter(meterName);
        meter.CreateCounter<int>("orders", "{order}").Add(2, new KeyValuePair<string, object?>("channel", "web"));

        var families = registry.Gather();

        Assert.All(families.SelectMany(f => f.Metrics), m => Assert.Equal("shop", m.Labels.GetValue("service")));
        Assert.Equal(2, families.Family("orders_total").Series("channel=web", "service=shop").Value);
    }

    [Fact]
    public void Registering_the_same_checked_collector_kind_twice_is_reported()
    {
        var registry = new Registry();
        registry.Register(new ProcessCollector());

        Assert.Throws<AlreadyRegisteredException>(() => registry.Register(new ProcessCollector()));
    }

    [Fact]
    public void Recording_a_known_tag_set_allocates_nothing()
    {
        using var meter = new Meter("Test.Allocations." + Guid.NewGuid().ToString("N"));
        var counter = meter.CreateCounter<long>("requests");
        var histogram = meter.CreateHistogram<double>("duration", "s");
        using var bridge = new MeterCollector(new MeterCollectorOptions { Meters = { meter.Name } });
        var method = new KeyValuePair<string, object?>("method", "GET");
        var route = new KeyValuePair<string, object?>("route", "/orders");
        counter.Add(1, method, route);
        histogram.Record(0.1, method, route);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, method, route);
            histogram.Record(0.1, method, route);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001, Gather(bridge).Family("requests_total").Series("method=GET", "route=/orders").Value);
    }
}
