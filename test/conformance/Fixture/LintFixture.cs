using Instrumentation;

namespace Fixture;

/// <summary>
/// Metrics that break Prometheus' naming conventions on purpose — every rule of promlint at least once, each type of
/// the data model at least once — plus a few that keep them, for checks/lint_agrees.py to compare what
/// <c>promtool check metrics</c> says about their text exposition with what <c>Instrumentation.Testing.Linter</c>
/// says about the gathered families.
/// </summary>
/// <remarks>
/// No name holds two unit words: promtool 2.42 picks one of them at random (it walks a Go map), the Linter the first.
/// </remarks>
internal static class LintFixture
{
    public static Registry Create()
    {
        var registry = new Registry();

        // Kept conventions: nothing to report.
        Add(registry, new Counter(new CounterOptions { Name = "lint_http_requests_total", Help = "Requests handled." }));
        Add(registry, new Histogram(new HistogramOptions { Name = "lint_request_duration_seconds", Help = "Request latency." }));
        Add(registry, new Summary(new SummaryOptions { Name = "lint_rpc_count", Help = "A summary may end in _count." }));

        // Help, _total.
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_queue_length", Help = "" }));
        Add(registry, new Counter(new CounterOptions { Name = "lint_requests", Help = "A counter without _total." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_processed_total", Help = "A gauge with _total." }));

        // Names and labels histograms and summaries write.
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_queue_bucket", Help = "A gauge ending in _bucket." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_queue_count", Help = "A gauge ending in _count." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_queue_sum", Help = "A gauge ending in _sum." }));
        var entries = new GaugeVec(new GaugeOptions { Name = "lint_cache_entries", Help = "A gauge with an le label." }, ["le"]);
        entries.WithLabels("1").Set(1);
        entries.WithLabels("2").Set(2);
        registry.Register(entries);
        var events = new CounterVec(new CounterOptions { Name = "lint_events_total", Help = "A counter with a quantile label." }, ["quantile"]);
        events.WithLabels("0.5").Inc();
        registry.Register(events);

        // Types, colons and camelCase in names.
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_backlog_gauge", Help = "A type in the name." }));
        Add(registry, new Histogram(new HistogramOptions { Name = "lint_wait_histogram_seconds", Help = "A type in the name." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint:error_ratio:rate5m", Help = "A recording rule's name." }));
        Add(registry, new Counter(new CounterOptions { Name = "lint_cacheHits_total", Help = "A camelCase name." }));
        var pools = new GaugeVec(new GaugeOptions { Name = "lint_pool_size", Help = "A camelCase label." }, ["poolName"]);
        pools.WithLabels("main").Set(4);
        pools.WithLabels("spare").Set(1);
        registry.Register(pools);

        // Units.
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_uptime_hours", Help = "Hours, not seconds." }));
        Add(registry, new Histogram(new HistogramOptions { Name = "lint_request_milliseconds", Help = "Milliseconds, not seconds." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_payload_kilobytes", Help = "Kilobytes, not bytes." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_room_fahrenheit", Help = "Fahrenheit, not Celsius." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_latency_ms", Help = "An abbreviated unit." }));
        Add(registry, new Gauge(new GaugeOptions { Name = "lint_wait_sec", Help = "An abbreviated unit." }));

        // The OpenMetrics-only types, as the text format shows them: info and stateset as gauges, gauge histogram as
        // histogram; untyped is exempt from the type rules.
        registry.Register(new ConstCollector());
        return registry;
    }

    private static void Add(Registry registry, ICollector collector) => registry.Register(collector);

    private sealed class ConstCollector : ICollector
    {
        private static readonly Desc Info = new("lint_build_info", "An info with a camelCase label.", ["gitCommit"], null);
        private static readonly Desc State = new("lint_featureFlag", "A stateset: its state label is named after it.", null, null);
        private static readonly Desc Untyped = new("lint_legacy_total", "Untyped may end in _total.", null, null);
        private static readonly Desc UntypedCount = new("lint_legacy_count", "Untyped may end in _count.", ["le"], null);
        private static readonly Desc GaugeHistogramDesc = new("lint_queue_wait_total", "A gauge histogram with _total.", null, null);
        private static readonly Dictionary<string, bool> States = new() { ["on"] = true, ["off"] = false };

        public IEnumerable<Desc> Describe() => [Info, State, Untyped, UntypedCount, GaugeHistogramDesc];

        public IEnumerable<IMetric> Collect() =>
        [
            ConstMetric.Info(Info, "abc123"),
            ConstMetric.StateSet(State, States),
            ConstMetric.Untyped(Untyped, 3),
            ConstMetric.Untyped(UntypedCount, 4, "1"),
            new GaugeHistogram(GaugeHistogramDesc),
        ];
    }

    /// <summary>A fixed gauge histogram (the library has no const gauge histogram).</summary>
    private sealed class GaugeHistogram(Desc desc) : IMetric
    {
        public Desc Desc => desc;

        public MetricType Type => MetricType.GaugeHistogram;

        public void Write(MetricPoint point)
        {
            point.Buckets = [new Bucket(1, 2), new Bucket(double.PositiveInfinity, 5)];
            point.Count = 5;
            point.Sum = 7.5;
        }
    }
}
