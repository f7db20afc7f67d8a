using System.Diagnostics.Metrics;
using Instrumentation.Collectors;
using static Instrumentation.Tests.Collectors.CollectorTestHelpers;

namespace Instrumentation.Tests.Collectors;

public class MeterCollectorTests
{
    // Every test uses its own meter name, so tests running in parallel never see each other's instruments.
    private readonly string _meterName = "Test.Meter." + Guid.NewGuid().ToString("N");

    private MeterCollector Bridge(double[]? defaultBuckets = null) =>
        new(new MeterCollectorOptions { Meters = { _meterName }, DefaultBuckets = defaultBuckets });

    [Fact]
    public void Counter_is_reproduced_with_exact_values_and_tags()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<long>("shop.orders.placed", "{order}", "Orders accepted by the checkout.");
        using var bridge = Bridge();

        counter.Add(2, new KeyValuePair<string, object?>("channel", "web"));
        counter.Add(3, new KeyValuePair<string, object?>("channel", "web"));
        counter.Add(7, new KeyValuePair<string, object?>("channel", "app"));

        var family = Gather(bridge).Family("shop_orders_placed_total");
        Assert.Equal(MetricType.Counter, family.Type);
        Assert.Equal("Orders accepted by the checkout.", family.Help);
        Assert.Equal(5, family.Series("channel=web").Value);
        Assert.Equal(7, family.Series("channel=app").Value);
        Assert.Equal(2, family.Metrics.Count);
    }

    [Fact]
    public void Counter_drops_negative_increments()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<double>("work.done");
        using var bridge = Bridge();

        counter.Add(1.5);
        counter.Add(-1);

        Assert.Equal(1.5, Gather(bridge).Value("work_done_total"));
    }

    [Fact]
    public void Up_down_counter_is_a_gauge_that_adds()
    {
        using var meter = new Meter(_meterName);
        var active = meter.CreateUpDownCounter<int>("http.server.active_requests", "{request}");
        using var bridge = Bridge();

        active.Add(1);
        active.Add(1);
        active.Add(-1);
        active.Add(1);

        var family = Gather(bridge).Family("http_server_active_requests");
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(2, Single(family).Value);
        Assert.Equal($"Instrument http.server.active_requests ({{request}}) of meter {_meterName}.", family.Help); // no description given
    }

    [Fact]
    public void Histogram_uses_the_instruments_advice_buckets()
    {
        using var meter = new Meter(_meterName);
        var duration = meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });
        using var bridge = Bridge();

        foreach (var value in new[] { 0.05, 0.1, 0.3, 0.7, 2.0 })
        {
            duration.Record(value, new KeyValuePair<string, object?>("http.request.method", "GET"));
        }

        var family = Gather(bridge).Family("http_server_request_duration_seconds");
        Assert.Equal(MetricType.Histogram, family.Type);
        Assert.Equal("seconds", family.Unit);
        var point = family.Series("http_request_method=GET");
        Assert.Equal(5UL, point.Count);
        Assert.Equal(3.15, point.Sum, 10);
        Assert.Equal(
            [new Bucket(0.1, 2), new Bucket(0.5, 3), new Bucket(1, 4), new Bucket(double.PositiveInfinity, 5)],
            point.Buckets);
    }

    [Fact]
    public void Histogram_without_advice_uses_the_default_buckets_of_the_options_else_OpenTelemetrys()
    {
        using var meter = new Meter(_meterName);
        var latency = meter.CreateHistogram<int>("queue.latency", "ms");
        using var configured = Bridge(defaultBuckets: [10, 100]);
        using var standard = Bridge();

        latency.Record(10);
        latency.Record(50);
        latency.Record(5000);

        var point = Single(Gather(configured).Family("queue_latency_milliseconds"));
        Assert.Equal([new Bucket(10, 1), new Bucket(100, 2), new Bucket(double.PositiveInfinity, 3)], point.Buckets);
        var otel = Single(Gather(standard).Family("queue_latency_milliseconds"));
        Assert.Equal([.. MeterCollector.OpenTelemetryDefaultBuckets, double.PositiveInfinity], otel.Buckets.Select(b => b.UpperBound));
        Assert.Equal(3UL, otel.Count);
    }

    [Fact]
    public void Invalid_default_buckets_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Bridge(defaultBuckets: [1, 1]));
        Assert.Contains("DefaultBuckets", ex.Message);
    }

    [Fact]
    public void Gauge_keeps_the_last_value()
    {
        using var meter = new Meter(_meterName);
        var temperature = meter.CreateGauge<double>("room.temperature", "Cel");
        using var bridge = Bridge();

        temperature.Record(21.5, new KeyValuePair<string, object?>("room", "kitchen"));
        temperature.Record(19.25, new KeyValuePair<string, object?>("room", "kitchen"));

        var family = Gather(bridge).Family("room_temperature_celsius");
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(19.25, family.Series("room=kitchen").Value);
    }

    [Fact]
    public void Observable_instruments_are_read_at_scrape_time()
    {
        using var meter = new Meter(_meterName);
        var calls = 0;
        long total = 100;
        meter.CreateObservableCounter("jobs.processed", () =>
        {
            calls++;
            return new Measurement<long>(total, new KeyValuePair<string, object?>("queue", "default"));
        }, "{job}");
        meter.CreateObservableGauge("jobs.waiting", () => new Measurement<int>(4));
        meter.CreateObservableUpDownCounter("cache.size", () => 1024L, "By");
        using var bridge = Bridge();
        Assert.Equal(0, calls);

        var first = Gather(bridge);
        total = 250;
        var second = Gather(bridge);

        Assert.Equal(2, calls);
        Assert.Equal(100, first.Family("jobs_processed_total").Series("queue=default").Value);
        Assert.Equal(250, second.Family("jobs_processed_total").Series("queue=default").Value);
        Assert.Equal(MetricType.Counter, second.Family("jobs_processed_total").Type);
        Assert.Equal(4, second.Value("jobs_waiting"));
        Assert.Equal(MetricType.Gauge, second.Family("jobs_waiting").Type);
        Assert.Equal(1024, second.Value("cache_size_bytes"));
    }

    [Fact]
    public void Observable_series_not_reported_by_the_callback_disappear()
    {
        using var meter = new Meter(_meterName);
        var queues = new List<string> { "a", "b" };
        meter.CreateObservableGauge("queue.depth", () => queues.Select(q => new Measurement<int>(1, new KeyValuePair<string, object?>("queue", q))));
        using var bridge = Bridge();

        Assert.Equal(2, Gather(bridge).Family("queue_depth").Metrics.Count);
        queues.Remove("a");

        Assert.Equal(["b"], Gather(bridge).Family("queue_depth").Metrics.Select(m => m.Labels.GetValue("queue")));
    }

    [Fact]
    public void Failing_observable_callback_is_reported_and_the_other_families_still_gathered()
    {
        using var meter = new Meter(_meterName);
        meter.CreateObservableGauge<int>("broken", (Func<int>)(() => throw new InvalidOperationException("sensor offline")));
        meter.CreateObservableGauge("working", () => 1);
        using var bridge = Bridge();

        var ex = Assert.Throws<GatherException>(() => Gather(bridge));

        Assert.Contains(ex.Errors, e => e.Contains("sensor offline"));
        Assert.Equal(1, ex.Families.Value("working"));
    }

    [Fact]
    public void Level_reporting_observable_counters_are_exposed_as_gauges()
    {
        using var meter = new Meter(_meterName);
        meter.CreateObservableCounter("dotnet.thread_pool.thread.count", () => 12L, "{thread}");
        meter.CreateObservableCounter("dotnet.thread_pool.work_item.count", () => 500L, "{work_item}");
        using var bridge = Bridge();

        var families = Gather(bridge);

        Assert.Equal(MetricType.Gauge, families.Family("dotnet_thread_pool_thread_count").Type);
        Assert.Equal(12, families.Value("dotnet_thread_pool_thread_count"));
        Assert.Equal(MetricType.Counter, families.Family("dotnet_thread_pool_work_item_count_total").Type);
    }

    [Fact]
    public void Tag_sets_that_differ_give_the_union_of_labels_with_missing_ones_empty()
    {
        using var meter = new Meter(_meterName);
        var errors = meter.CreateCounter<int>("app.errors");
        using var bridge = Bridge();

        errors.Add(1, new KeyValuePair<string, object?>("error.type", "timeout"));
        errors.Add(2, new KeyValuePair<string, object?>("error.type", "dns"), new KeyValuePair<string, object?>("server.address", "db"));
        errors.Add(4);

        var family = Gather(bridge).Family("app_errors_total");
        Assert.Equal(3, family.Metrics.Count);
        Assert.All(family.Metrics, m => Assert.Equal(["error_type", "server_address"], m.Labels.Select(l => l.Name)));
        Assert.Equal(1, family.Series("error_type=timeout", "server_address=").Value);
        Assert.Equal(2, family.Series("error_type=dns", "server_address=db").Value);
        Assert.Equal(4, family.Series("error_type=", "server_address=").Value);
    }

    [Fact]
    public void Tags_in_another_order_or_of_another_boxed_type_land_in_the_same_series()
    {
        using var meter = new Meter(_meterName);
        var requests = meter.CreateCounter<int>("requests");
        using var bridge = Bridge();

        requests.Add(1, new("route", "/a"), new("status", 200));
        requests.Add(1, new("status", 200), new("route", "/a"));
        requests.Add(1, new("route", "/a"), new("status", 200L));
        requests.Add(1, new("route", "/a"), new("status", "200"));

        var family = Gather(bridge).Family("requests_total");
        Assert.Equal(4, Single(family).Value);
        Assert.Equal("200", Single(family).Labels.GetValue("status"));
    }

    [Fact]
    public void Tag_values_are_formatted_invariantly()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<int>("formatted");
        using var bridge = Bridge();

        counter.Add(1, new("ratio", 0.5), new("ok", true), new("none", null));

        var point = Single(Gather(bridge).Family("formatted_total"));
        Assert.Equal("0.5", point.Labels.GetValue("ratio"));
        Assert.Equal("true", point.Labels.GetValue("ok"));
        Assert.Equal("", point.Labels.GetValue("none"));
    }

    [Fact]
    public void Same_instrument_in_two_meter_instances_adds_into_one_series()
    {
        using var first = new Meter(_meterName);
        using var second = new Meter(_meterName);
        var a = first.CreateCounter<int>("hits");
        var b = second.CreateCounter<int>("hits");
        using var bridge = Bridge();

        a.Add(1);
        b.Add(2);

        Assert.Equal(3, Gather(bridge).Value("hits_total"));
    }

    [Fact]
    public void Observable_up_down_counters_of_the_same_name_in_two_meters_add_up_and_gauges_keep_one()
    {
        using var first = new Meter(_meterName);
        using var second = new Meter(_meterName);
        first.CreateObservableUpDownCounter("connections.open", () => 3);
        second.CreateObservableUpDownCounter("connections.open", () => 4);
        first.CreateObservableGauge("cpu.count", () => 8);
        second.CreateObservableGauge("cpu.count", () => 8);
        using var bridge = Bridge();

        Gather(bridge);
        var families = Gather(bridge);

        Assert.Equal(7, families.Value("connections_open"));
        Assert.Equal(8, families.Value("cpu_count"));
    }

    [Fact]
    public void Instrument_whose_name_maps_to_a_family_of_another_kind_is_not_bridged()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<int>("clash");
        var histogram = meter.CreateHistogram<int>("clash.total");
        using var bridge = Bridge();

        counter.Add(1);
        histogram.Record(1);

        var families = Gather(bridge);
        Assert.Equal(1, families.Value("clash_total"));
        Assert.Equal(MetricType.Counter, families.Family("clash_total").Type);
    }

    [Fact]
    public void Instruments_created_after_the_bridge_are_bridged()
    {
        using var bridge = Bridge();
        using var meter = new Meter(_meterName);
        var late = meter.CreateCounter<int>("late");

        late.Add(5);

        Assert.Equal(5, Gather(bridge).Value("late_total"));
    }

    [Fact]
    public void Meters_not_named_are_not_bridged()
    {
        using var other = new Meter(_meterName + ".Other");
        using var bridge = Bridge();
        other.CreateCounter<int>("ignored").Add(1);

        Assert.Null(Gather(bridge).FindFamily("ignored_total"));
    }

    [Fact]
    public void Wildcard_names_bridge_every_matching_meter()
    {
        using var hosting = new Meter(_meterName + ".Hosting");
        using var kestrel = new Meter(_meterName + ".Server.Kestrel");
        using var exact = new Meter(_meterName);
        using var bridge = new MeterCollector(new MeterCollectorOptions { Meters = { _meterName.ToUpperInvariant() + ".*" } });
        hosting.CreateCounter<int>("hosting.requests").Add(1);
        kestrel.CreateUpDownCounter<int>("kestrel.active_connections", "{connection}").Add(3);
        exact.CreateCounter<int>("exact").Add(1);

        var families = Gather(bridge);

        Assert.Equal(3, families.Value("kestrel_active_connections"));
        Assert.NotNull(families.FindFamily("hosting_requests_total"));
        Assert.Null(families.FindFamily("exact_total")); // "X.*" needs the dot
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore.*", "Microsoft.AspNetCore.Hosting", true)]
    [InlineData("Microsoft.AspNetCore.*", "microsoft.aspnetcore.server.kestrel", true)]
    [InlineData("Microsoft.AspNetCore.*", "Microsoft.AspNetCore", false)]
    [InlineData("Microsoft.AspNetCore.*", "Microsoft.AspNetCoreX", false)]
    [InlineData("*", "anything", true)]
    [InlineData("System.*.Http", "System.Net.Http", true)]
    [InlineData("System.*.Http", "System.Net.Http.Client", false)]
    [InlineData("*.Kestrel", "Microsoft.AspNetCore.Server.Kestrel", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYc_", false)]
    public void Wildcards_match_any_run_of_characters_ignoring_case(string pattern, string meter, bool matches)
    {
        Assert.Equal(matches, new MeterNameMatcher([pattern]).Matches(meter));
    }

    [Fact]
    public void Empty_meter_name_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new MeterCollector(new MeterCollectorOptions { Meters = { " " } }));
    }

    [Fact]
    public void Disposing_the_bridge_stops_listening()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<int>("stopped");
        var observed = 0;
        meter.CreateObservableGauge("observed", () => ++observed);
        var bridge = Bridge();
        counter.Add(1);

        bridge.Dispose();
        counter.Add(1);

        Assert.Empty(bridge.Collect());
        Assert.Equal(0, observed);
        bridge.Dispose(); // idempotent
    }

    [Fact]
    public void Disposing_the_meter_removes_its_families()
    {
        var meter = new Meter(_meterName);
        using var bridge = Bridge();
        meter.CreateCounter<int>("short.lived").Add(1);
        Assert.NotNull(Gather(bridge).FindFamily("short_lived_total"));

        meter.Dispose();

        Assert.Null(Gather(bridge).FindFamily("short_lived_total"));
    }

    [Fact]
    public void Every_numeric_type_is_bridged()
    {
        using var meter = new Meter(_meterName);
        using var bridge = Bridge();

        meter.CreateCounter<byte>("b").Add(1);
        meter.CreateCounter<short>("s").Add(2);
        meter.CreateCounter<int>("i").Add(3);
        meter.CreateCounter<long>("l").Add(4);
        meter.CreateCounter<float>("f").Add(0.5f);
        meter.CreateCounter<double>("d").Add(0.25);
        meter.CreateCounter<decimal>("m").Add(1.75m);

        var families = Gather(bridge);
        Assert.Equal([1, 2, 3, 4, 0.5, 0.25, 1.75], new[] { "b", "s", "i", "l", "f", "d", "m" }.Select(n => families.Value(n + "_total")));
    }

    [Fact]
    public void Concurrent_measurements_are_all_counted()
    {
        using var meter = new Meter(_meterName);
        var counter = meter.CreateCounter<long>("parallel.adds");
        var histogram = meter.CreateHistogram<double>("parallel.observations", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        using var bridge = Bridge();

        Parallel.For(0, 8, worker =>
        {
            var tag = new KeyValuePair<string, object?>("worker", (worker % 2).ToString());
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1, tag);
                histogram.Record(0.5, tag);
            }
        });

        var families = Gather(bridge);
        Assert.Equal(80_000, families.Family("parallel_adds_total").Metrics.Sum(m => m.Value));
        var observations = families.Family("parallel_observations").Series("worker=0");
        Assert.Equal(40_000UL, observations.Count);
        Assert.Equal(20_000, observations.Sum);
        Assert.Equal(40_000UL, observations.Buckets[0].CumulativeCount);
    }

    [Fact]
    public void Describe_yields_nothing_because_the_bridge_is_unchecked()
    {
        using var bridge = Bridge();

        Assert.Empty(bridge.Describe());
    }
}
