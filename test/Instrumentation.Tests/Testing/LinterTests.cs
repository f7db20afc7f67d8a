using Instrumentation.Collectors;
using Instrumentation.Testing;

namespace Instrumentation.Tests.Testing;

public class LinterTests
{
    /// <summary>A family of one series with the given label names (values "v").</summary>
    private static MetricFamily Family(string name, MetricType type, string help = "Some help.", params string[] labelNames) =>
        new(name, help, type, [new MetricPoint { Labels = new LabelSet(labelNames.Select(n => new LabelPair(n, "v"))) }]);

    private static string[] Lint(params MetricFamily[] families) =>
        Linter.Lint(families).Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("http_requests_total", MetricType.Counter)]
    [InlineData("process_cpu_seconds_total", MetricType.Counter)]
    [InlineData("request_duration_seconds", MetricType.Histogram)]
    [InlineData("response_size_bytes", MetricType.Summary)]
    [InlineData("queue_length", MetricType.Gauge)]
    [InlineData("room_temperature_celsius", MetricType.Gauge)]
    [InlineData("disk_usage_ratio", MetricType.Gauge)]
    [InlineData("build_info", MetricType.Info)]
    [InlineData("feature_state", MetricType.StateSet)]
    [InlineData("queue_wait_seconds", MetricType.GaugeHistogram)]
    [InlineData("legacy_thing_total", MetricType.Untyped)]
    [InlineData("legacy_thing_count", MetricType.Untyped)]
    [InlineData("thermometers_in_use", MetricType.Gauge)]
    [InlineData("sessions_seconds_total", MetricType.Counter)]
    public void Conventional_names_have_no_problems(string name, MetricType type)
    {
        Assert.Empty(Lint(Family(name, type, "Some help.", "method", "status_code")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \t")]
    public void Missing_help_is_reported(string help)
    {
        Assert.Equal(["queue_length no help text"], Lint(Family("queue_length", MetricType.Gauge, help)));
    }

    [Fact]
    public void Counter_without_total_suffix_is_reported()
    {
        Assert.Equal(["http_requests counter metrics should have \"_total\" suffix"], Lint(Family("http_requests", MetricType.Counter)));
    }

    [Theory]
    [InlineData(MetricType.Gauge)]
    [InlineData(MetricType.Histogram)]
    [InlineData(MetricType.Summary)]
    [InlineData(MetricType.Info)]
    [InlineData(MetricType.StateSet)]
    [InlineData(MetricType.GaugeHistogram)]
    public void Non_counter_with_total_suffix_is_reported(MetricType type)
    {
        Assert.Equal(["jobs_total non-counter metrics should not have \"_total\" suffix"], Lint(Family("jobs_total", type)));
    }

    [Fact]
    public void Untyped_families_may_use_counter_histogram_and_summary_names()
    {
        Assert.Empty(Lint(
            Family("a_total", MetricType.Untyped),
            Family("b_bucket", MetricType.Untyped, "Help.", "le"),
            Family("c_count", MetricType.Untyped, "Help.", "quantile"),
            Family("d_sum", MetricType.Untyped)));
    }

    [Fact]
    public void Histogram_and_summary_suffixes_on_other_types_are_reported()
    {
        Assert.Equal(
        [
            "queue_bucket non-histogram metrics should not have \"_bucket\" suffix",
            "queue_count non-histogram and non-summary metrics should not have \"_count\" suffix",
            "queue_sum non-histogram and non-summary metrics should not have \"_sum\" suffix",
        ], Lint(Family("queue_bucket", MetricType.Gauge), Family("queue_count", MetricType.Gauge), Family("queue_sum", MetricType.Gauge)));
    }

    [Fact]
    public void Summaries_may_end_in_count_and_sum_but_not_bucket()
    {
        Assert.Empty(Lint(Family("rpc_count", MetricType.Summary), Family("rpc_sum", MetricType.Summary)));
        Assert.Equal(["rpc_bucket non-histogram metrics should not have \"_bucket\" suffix"], Lint(Family("rpc_bucket", MetricType.Summary)));
    }

    [Fact]
    public void Le_label_outside_histograms_and_quantile_label_outside_summaries_are_reported()
    {
        Assert.Equal(
        [
            "cache_size non-histogram metrics should not have \"le\" label",
            "cache_size non-summary metrics should not have \"quantile\" label",
        ], Lint(Family("cache_size", MetricType.Gauge, "Help.", "le", "quantile")));
        Assert.Equal(["rpc_seconds non-summary metrics should not have \"quantile\" label"], Lint(Family("rpc_seconds", MetricType.Histogram, "Help.", "le", "quantile")));
        Assert.Equal(["rpc_seconds non-histogram metrics should not have \"le\" label"], Lint(Family("rpc_seconds", MetricType.Summary, "Help.", "le", "quantile")));
    }

    [Theory]
    [InlineData("uptime_hours", "seconds", "hours")]
    [InlineData("uptime_minutes", "seconds", "minutes")]
    [InlineData("uptime_days", "seconds", "days")]
    [InlineData("request_duration_milliseconds", "seconds", "milliseconds")]
    [InlineData("request_duration_microseconds", "seconds", "microseconds")]
    [InlineData("payload_kilobytes", "bytes", "kilobytes")]
    [InlineData("memory_gibibytes", "bytes", "gibibytes")]
    [InlineData("link_bits", "bytes", "bits")]
    [InlineData("cable_inches", "meters", "inches")]
    [InlineData("room_fahrenheit", "celsius", "fahrenheit")]
    [InlineData("lamp_kelvins", "kelvin", "kelvins")]
    [InlineData("food_calories", "joules", "calories")]
    [InlineData("parcel_pounds", "grams", "pounds")]
    public void Non_base_units_are_reported_with_the_base_unit(string name, string baseUnit, string unit)
    {
        Assert.Equal([$"{name} use base unit \"{baseUnit}\" instead of \"{unit}\""], Lint(Family(name, MetricType.Gauge)));
    }

    [Fact]
    public void The_first_unit_word_of_the_name_is_the_one_judged()
    {
        Assert.Equal(["trip_kilometers_hours use base unit \"meters\" instead of \"kilometers\""], Lint(Family("trip_kilometers_hours", MetricType.Gauge)));
        Assert.Empty(Lint(Family("trip_seconds_hours", MetricType.Gauge)));
    }

    [Theory]
    [InlineData("latency_ms")]
    [InlineData("latency_us")]
    [InlineData("latency_ns")]
    [InlineData("wait_sec")]
    [InlineData("wait_s")]
    [InlineData("payload_kb")]
    [InlineData("payload_MB")]
    [InlineData("uptime_h_gauge_value")]
    [InlineData("cache_b_used")]
    public void Abbreviated_units_are_reported(string name)
    {
        Assert.Contains($"{name} metric names should not contain abbreviated units", Lint(Family(name, MetricType.Gauge)));
    }

    [Theory]
    [InlineData("sms_sent")]       // "ms" inside a word is no unit
    [InlineData("status_codes")]
    [InlineData("bus_usage")]
    public void Abbreviations_inside_words_are_not_reported(string name)
    {
        Assert.Empty(Lint(Family(name, MetricType.Gauge)));
    }

    [Fact]
    public void Type_names_in_the_metric_name_are_reported()
    {
        Assert.Equal(
        [
            "backlog_gauge metric name should not include type 'gauge'",
            "jobs_counter_total metric name should not include type 'counter'",
            "rpc_Summary_seconds metric name should not include type 'summary'",
            "wait_gauge_histogram metric name should not include type 'gauge'",
            "wait_gauge_histogram metric name should not include type 'gauge_histogram'",
            "wait_gauge_histogram metric name should not include type 'histogram'",
        ], Lint(
            Family("backlog_gauge", MetricType.Gauge),
            Family("jobs_counter_total", MetricType.Counter),
            Family("rpc_Summary_seconds", MetricType.Summary),
            Family("wait_gauge_histogram", MetricType.GaugeHistogram)));
    }

    [Fact]
    public void Colons_are_reported()
    {
        Assert.Equal(["job:errors:rate5m metric names should not contain ':'"], Lint(Family("job:errors:rate5m", MetricType.Gauge)));
    }

    [Fact]
    public void Camel_case_metric_and_label_names_are_reported_once_per_family()
    {
        var family = new MetricFamily("cacheHits_total", "Help.", MetricType.Counter,
        [
            new MetricPoint { Labels = new LabelSet([new LabelPair("statusCode", "200"), new LabelPair("httpMethod", "GET")]) },
            new MetricPoint { Labels = new LabelSet([new LabelPair("statusCode", "500"), new LabelPair("httpMethod", "GET")]) },
        ]);
        Assert.Equal(
        [
            "cacheHits_total label names should be written in 'snake_case' not 'camelCase'",
            "cacheHits_total metric names should be written in 'snake_case' not 'camelCase'",
        ], Lint(family));
        Assert.Empty(Lint(Family("HTTP_requests_total", MetricType.Counter, "Help.", "URL")));
    }

    [Fact]
    public void A_stateset_is_judged_with_its_state_label_named_after_the_family()
    {
        var family = new MetricFamily("featureFlag", "Help.", MetricType.StateSet,
            [new MetricPoint { States = [new StateValue("on", true)] }]);
        Assert.Equal(
        [
            "featureFlag label names should be written in 'snake_case' not 'camelCase'",
            "featureFlag metric names should be written in 'snake_case' not 'camelCase'",
        ], Lint(family));
    }

    [Fact]
    public void Problems_are_sorted_by_metric_name_then_text()
    {
        var problems = Linter.Lint(
        [
            Family("zeta_ms", MetricType.Counter, ""),
            Family("alpha_hours", MetricType.Gauge),
            Family("Mid:Name", MetricType.Gauge, "", "le"),
        ]);
        Assert.Equal(
        [
            new LintProblem("Mid:Name", "metric names should not contain ':'"),
            new LintProblem("Mid:Name", "no help text"),
            new LintProblem("Mid:Name", "non-histogram metrics should not have \"le\" label"),
            new LintProblem("alpha_hours", "use base unit \"seconds\" instead of \"hours\""),
            new LintProblem("zeta_ms", "counter metrics should have \"_total\" suffix"),
            new LintProblem("zeta_ms", "metric names should not contain abbreviated units"),
            new LintProblem("zeta_ms", "no help text"),
        ], problems);
    }

    [Fact]
    public void Lint_of_a_collector_registers_gathers_and_lints_it()
    {
        var requests = new CounterVec(new CounterOptions { Name = "http_requests", Help = "Requests." }, ["statusCode"]);
        requests.WithLabels("200").Inc();
        Assert.Equal(
        [
            new LintProblem("http_requests", "counter metrics should have \"_total\" suffix"),
            new LintProblem("http_requests", "label names should be written in 'snake_case' not 'camelCase'"),
        ], Linter.Lint(requests));
        Assert.Empty(Linter.Lint(new Histogram(new HistogramOptions { Name = "request_duration_seconds", Help = "Latency." })));
    }

    [Fact]
    public void Lint_of_a_collector_that_cannot_register_throws()
    {
        var bad = new Counter(new CounterOptions { Name = "bad name_total", Help = "Help." });
        Assert.Throws<InvalidMetricDescriptorException>(() => Linter.Lint(bad));
    }

    [Fact]
    public void Lint_of_a_gatherer_lints_every_registered_family()
    {
        var registry = new Registry();
        registry.MustRegister(
            new Counter(new CounterOptions { Name = "http_requests_total", Help = "Requests." }),
            new Gauge(new GaugeOptions { Name = "uptime_hours", Help = "Uptime." }),
            new Summary(new SummaryOptions { Name = "queue_latency_ms", Help = "Time queued." }));
        Assert.Equal(
        [
            "queue_latency_ms metric names should not contain abbreviated units",
            "uptime_hours use base unit \"seconds\" instead of \"hours\"",
        ], Linter.Lint(registry).Select(p => p.ToString()));
    }

    [Fact]
    public void Lint_of_a_clean_registry_is_empty()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = { ["instance_name"] = "a" } });
        var requests = new CounterVec(new CounterOptions { Namespace = "shop", Name = "orders_placed_total", Help = "Orders." }, ["channel"]);
        requests.WithLabels("web").Inc();
        registry.MustRegister(requests, new Histogram(new HistogramOptions { Name = "request_duration_seconds", Help = "Latency." }));
        Assert.Empty(Linter.Lint(registry));
    }

    [Fact]
    public void Problem_prints_as_promtool_prints_it()
    {
        Assert.Equal("jobs counter metrics should have \"_total\" suffix", new LintProblem("jobs", "counter metrics should have \"_total\" suffix").ToString());
    }

    [Fact]
    public void Built_in_process_runtime_and_build_info_collectors_follow_the_conventions()
    {
        var registry = new Registry();
        using var runtime = new RuntimeCollector();
        registry.MustRegister(new ProcessCollector(), runtime, new BuildInfoCollector());
        Assert.Empty(Linter.Lint(registry));
    }
}
