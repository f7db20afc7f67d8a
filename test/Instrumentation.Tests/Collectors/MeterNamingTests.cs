using Instrumentation.Collectors;

namespace Instrumentation.Tests.Collectors;

public class MeterNamingTests
{
    [Theory]
    // The names the dashboards for OpenTelemetry's Prometheus exporter query.
    [InlineData("http.server.request.duration", "s", MetricType.Histogram, "http_server_request_duration_seconds")]
    [InlineData("kestrel.active_connections", "{connection}", MetricType.Gauge, "kestrel_active_connections")]
    [InlineData("dotnet.gc.collections", "{collection}", MetricType.Counter, "dotnet_gc_collections_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", MetricType.Counter, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("dotnet.gc.pause.time", "s", MetricType.Counter, "dotnet_gc_pause_time_seconds_total")]
    [InlineData("dotnet.process.memory.working_set", "By", MetricType.Gauge, "dotnet_process_memory_working_set_bytes")]
    // Units.
    [InlineData("queue.latency", "ms", MetricType.Histogram, "queue_latency_milliseconds")]
    [InlineData("cpu.utilization", "1", MetricType.Gauge, "cpu_utilization_ratio")]
    [InlineData("items.seen", "1", MetricType.Counter, "items_seen_total")]
    [InlineData("network.io", "By/s", MetricType.Gauge, "network_io_bytes_per_second")]
    [InlineData("packets.rate", "{packet}/s", MetricType.Gauge, "packets_rate_per_second")]
    [InlineData("disk.usage", "MiBy", MetricType.Gauge, "disk_usage_mebibytes")]
    [InlineData("speed", "m/h", MetricType.Gauge, "speed_meters_per_hour")]
    [InlineData("load", "%", MetricType.Gauge, "load_percent")]
    [InlineData("odd", "widgets", MetricType.Gauge, "odd_widgets")]
    [InlineData("no.unit", null, MetricType.Gauge, "no_unit")]
    [InlineData("no.unit", "", MetricType.Counter, "no_unit_total")]
    // The unit or _total is not written twice.
    [InlineData("request.duration.seconds", "s", MetricType.Histogram, "request_duration_seconds")]
    [InlineData("jobs.total", "{job}", MetricType.Counter, "jobs_total")]
    [InlineData("bytes.sent.bytes.total", "By", MetricType.Counter, "bytes_sent_bytes_total")]
    // Sanitising.
    [InlineData("my-app/requests..count", null, MetricType.Gauge, "my_app_requests_count")]
    [InlineData("2xx.responses", null, MetricType.Counter, "_2xx_responses_total")]
    [InlineData(".leading.dot.", null, MetricType.Gauge, "leading_dot")]
    public void Instrument_names_and_units_map_as_OpenTelemetrys_exporter_maps_them(string name, string? unit, MetricType type, string expected)
    {
        Assert.Equal(expected, MeterNaming.FamilyName(name, unit, type, out _));
    }

    [Theory]
    [InlineData("s", false, "seconds")]
    [InlineData("ms", false, "milliseconds")]
    [InlineData("us", false, "microseconds")]
    [InlineData("By", false, "bytes")]
    [InlineData("KiBy", false, "kibibytes")]
    [InlineData("{request}", false, "")]
    [InlineData("1", true, "ratio")]
    [InlineData("1", false, "")]
    [InlineData("{request}/s", false, "per_second")]
    [InlineData("By/s", false, "bytes_per_second")]
    [InlineData("1/s", false, "per_second")]
    [InlineData("Cel", true, "celsius")]
    [InlineData("foo.bar", false, "foo_bar")]
    public void Unit_suffixes(string unit, bool isGauge, string expected)
    {
        Assert.Equal(expected, MeterNaming.UnitSuffix(unit, isGauge));
    }

    [Fact]
    public void Unit_metadata_is_the_suffix_the_name_ends_with()
    {
        MeterNaming.FamilyName("http.server.request.duration", "s", MetricType.Histogram, out var unit);
        MeterNaming.FamilyName("kestrel.active_connections", "{connection}", MetricType.Gauge, out var none);

        Assert.Equal("seconds", unit);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("server.port", "server_port")]
    [InlineData("already_fine", "already_fine")]
    [InlineData("9lives", "key_9lives")]
    [InlineData("__reserved", "key__reserved")]
    [InlineData("a-b c", "a_b_c")]
    public void Tag_keys_become_valid_label_names(string key, string expected)
    {
        Assert.Equal(expected, MeterNaming.SanitizeLabelName(key));
    }
}
