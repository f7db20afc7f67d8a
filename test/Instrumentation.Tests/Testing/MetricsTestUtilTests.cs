using Instrumentation.Testing;

namespace Instrumentation.Tests.Testing;

public class MetricsTestUtilTests
{
    // ---- ToDouble ----

    [Fact]
    public void ToDouble_reads_a_counter()
    {
        var counter = new Counter(new CounterOptions { Name = "jobs_total", Help = "Jobs." });
        counter.Add(2.5);
        counter.Inc();

        Assert.Equal(3.5, MetricsTestUtil.ToDouble(counter));
    }

    [Fact]
    public void ToDouble_reads_a_gauge()
    {
        var gauge = new Gauge(new GaugeOptions { Name = "queue_length", Help = "Items waiting." });
        gauge.Set(10);
        gauge.Dec();

        Assert.Equal(9, MetricsTestUtil.ToDouble(gauge));
    }

    [Fact]
    public void ToDouble_reads_a_child_of_a_labelled_family()
    {
        var requests = RequestsVec();
        requests.WithLabels("200", "GET").Add(3);
        requests.WithLabels("500", "GET").Inc();

        Assert.Equal(3, MetricsTestUtil.ToDouble(requests.WithLabels("200", "GET")));
        Assert.Equal(1, MetricsTestUtil.ToDouble(requests.WithLabels("500", "GET")));
    }

    [Fact]
    public void ToDouble_reads_a_labelled_family_with_exactly_one_child()
    {
        var requests = RequestsVec();
        requests.WithLabels("200", "GET").Add(7);

        Assert.Equal(7, MetricsTestUtil.ToDouble(requests));
    }

    [Fact]
    public void ToDouble_calls_the_function_of_a_gauge_func()
    {
        var items = new List<int> { 1, 2, 3 };
        var gauge = new GaugeFunc(new GaugeOptions { Name = "items", Help = "Items." }, () => items.Count);
        items.Add(4);

        Assert.Equal(4, MetricsTestUtil.ToDouble(gauge));
    }

    [Fact]
    public void ToDouble_reads_an_untyped_metric_of_a_custom_collector()
    {
        var desc = new Desc("legacy_value", "A value of unknown type.", null, null);
        var collector = new FixedCollector(ConstMetric.Untyped(desc, -1.25));

        Assert.Equal(-1.25, MetricsTestUtil.ToDouble(collector));
    }

    [Fact]
    public void ToDouble_of_a_histogram_throws_naming_it_and_why()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "rpc_duration_seconds", Help = "RPC latency.", Buckets = [0.1, 1] });
        histogram.Observe(0.5);

        var e = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(histogram));

        Assert.Contains("rpc_duration_seconds", e.Message);
        Assert.Contains("a histogram", e.Message);
        Assert.Contains("counters, gauges and untyped", e.Message);
    }

    [Fact]
    public void ToDouble_of_a_summary_child_throws_naming_its_series()
    {
        var summary = new SummaryVec(new SummaryOptions { Name = "payload_bytes", Help = "Payload sizes." }, ["route"]);
        summary.WithLabels("/orders").Observe(100);

        var e = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(summary.WithLabels("/orders")));

        Assert.Contains("payload_bytes{route=\"/orders\"}", e.Message);
        Assert.Contains("a summary", e.Message);
    }

    [Fact]
    public void ToDouble_of_a_family_with_two_children_throws_naming_both()
    {
        var requests = RequestsVec();
        requests.WithLabels("200", "GET").Inc();
        requests.WithLabels("200", "POST").Inc();

        var e = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(requests));

        Assert.Contains("collected 2", e.Message);
        Assert.Contains("http_requests_total{code=\"200\",method=\"GET\"}", e.Message);
        Assert.Contains("http_requests_total{code=\"200\",method=\"POST\"}", e.Message);
    }

    [Fact]
    public void ToDouble_of_a_family_without_children_throws_naming_the_family()
    {
        var e = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(RequestsVec()));

        Assert.Contains("collected none", e.Message);
        Assert.Contains("http_requests_total", e.Message);
        Assert.Contains("WithLabels", e.Message);
    }

    [Fact]
    public void ToDouble_of_a_failing_gauge_func_names_the_metric()
    {
        var gauge = new GaugeFunc(new GaugeOptions { Name = "pool_size", Help = "Pool size." }, () => throw new InvalidOperationException("pool disposed"));

        var e = Assert.Throws<InvalidOperationException>(() => MetricsTestUtil.ToDouble(gauge));

        Assert.Contains("pool_size", e.Message);
        Assert.Contains("pool disposed", e.ToString());
    }

    // ---- CollectAndCount / GatherAndCount ----

    [Fact]
    public void CollectAndCount_counts_series_not_samples()
    {
        var requests = RequestsVec();
        requests.WithLabels("200", "GET").Inc();
        requests.WithLabels("200", "POST").Inc();
        requests.WithLabels("500", "GET").Inc();
        var latency = new HistogramVec(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [0.1, 1] }, ["route"]);
        latency.WithLabels("/a").Observe(0.2);

        Assert.Equal(3, MetricsTestUtil.CollectAndCount(requests));
        Assert.Equal(1, MetricsTestUtil.CollectAndCount(latency));
        Assert.Equal(0, MetricsTestUtil.CollectAndCount(RequestsVec()));
    }

    [Fact]
    public void CollectAndCount_with_names_counts_only_those_families()
    {
        var up = new Desc("target_up", "Whether the target answered.", ["target"], null);
        var temp = new Desc("target_temperature_celsius", "Temperature.", ["target"], null);
        var collector = new FixedCollector(
            ConstMetric.Gauge(up, 1, "a"), ConstMetric.Gauge(up, 0, "b"),
            ConstMetric.Gauge(temp, 21.5, "a"));

        Assert.Equal(3, MetricsTestUtil.CollectAndCount(collector));
        Assert.Equal(2, MetricsTestUtil.CollectAndCount(collector, "target_up"));
        Assert.Equal(1, MetricsTestUtil.CollectAndCount(collector, "target_temperature_celsius"));
        Assert.Equal(3, MetricsTestUtil.CollectAndCount(collector, "target_up", "target_temperature_celsius"));
        Assert.Equal(0, MetricsTestUtil.CollectAndCount(collector, "no_such_metric"));
    }

    [Fact]
    public void GatherAndCount_counts_a_registry()
    {
        var registry = new Registry();
        var requests = RequestsVec();
        var gauge = new Gauge(new GaugeOptions { Name = "in_flight", Help = "In flight." });
        registry.MustRegister(requests, gauge);
        requests.WithLabels("200", "GET").Inc();

        Assert.Equal(2, MetricsTestUtil.GatherAndCount(registry));
        Assert.Equal(1, MetricsTestUtil.GatherAndCount(registry, "in_flight"));
    }

    [Fact]
    public void CollectAndCount_reports_a_collector_that_fails_to_gather()
    {
        var desc = new Desc("dup_value", "Duplicated.", ["k"], null);
        var collector = new FixedCollector(ConstMetric.Gauge(desc, 1, "x"), ConstMetric.Gauge(desc, 2, "x"));

        var e = Assert.Throws<GatherException>(() => MetricsTestUtil.CollectAndCount(collector));

        Assert.Contains("dup_value", e.Message);
    }

    // ---- CollectAndCompare: what counts as equal ----

    [Fact]
    public void CollectAndCompare_passes_for_the_exact_exposition()
    {
        var requests = RequestsWithTwoSeries();

        MetricsTestUtil.CollectAndCompare(requests, """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="500",method="GET"} 1
            """);
    }

    [Fact]
    public void CollectAndCompare_ignores_label_order_number_layout_blank_lines_and_indentation()
    {
        var requests = RequestsWithTwoSeries();

        MetricsTestUtil.CollectAndCompare(requests,
            "\n\n   # HELP http_requests_total Requests served.\r\n" +
            "\t# TYPE   http_requests_total   counter\r\n" +
            "\n" +
            "      http_requests_total{ method = \"GET\" , code=\"500\", }   1.0\r\n" +
            "\n\n" +
            "  http_requests_total{method=\"GET\",code=\"200\"} 3e0\n\n");
    }

    [Fact]
    public void CollectAndCompare_ignores_the_order_of_series_and_families()
    {
        var registry = new Registry();
        registry.MustRegister(RequestsWithTwoSeries(), ConstGauge("a_first", 2));

        MetricsTestUtil.GatherAndCompare(registry, """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="500",method="GET"} 1
            http_requests_total{code="200",method="GET"} 3
            # HELP a_first A gauge.
            # TYPE a_first gauge
            a_first 2
            """);
    }

    [Fact]
    public void CollectAndCompare_compares_special_values()
    {
        var desc = new Desc("special", "Special values.", ["kind"], null);
        var collector = new FixedCollector(
            ConstMetric.Gauge(desc, double.PositiveInfinity, "inf"),
            ConstMetric.Gauge(desc, double.NegativeInfinity, "minus_inf"),
            ConstMetric.Gauge(desc, double.NaN, "nan"),
            ConstMetric.Gauge(desc, 1e-7, "tiny"),
            ConstMetric.Gauge(desc, 1234567, "big"));

        MetricsTestUtil.CollectAndCompare(collector, """
            # HELP special Special values.
            # TYPE special gauge
            special{kind="inf"} +Inf
            special{kind="minus_inf"} -inf
            special{kind="nan"} NaN
            special{kind="tiny"} 0.0000001
            special{kind="big"} 1.234567e6
            """);
    }

    [Fact]
    public void CollectAndCompare_compares_escaped_label_values_and_help()
    {
        var desc = new Desc("paths", "Help with a \\ backslash\nand a second line.", ["path"], null);
        var collector = new FixedCollector(ConstMetric.Gauge(desc, 1, "C:\\temp \"quoted\"\nnext"));

        MetricsTestUtil.CollectAndCompare(collector, """
            # HELP paths Help with a \\ backslash\nand a second line.
            # TYPE paths gauge
            paths{path="C:\\temp \"quoted\"\nnext"} 1
            """);
    }

    [Fact]
    public void CollectAndCompare_compares_timestamps()
    {
        var desc = new Desc("stamped", "With a timestamp.", null, null);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1700000000123);
        var collector = new FixedCollector(ConstMetric.WithTimestamp(ConstMetric.Gauge(desc, 5), at));

        MetricsTestUtil.CollectAndCompare(collector, """
            # HELP stamped With a timestamp.
            # TYPE stamped gauge
            stamped 5 1700000000123
            """);
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(collector, """
            # HELP stamped With a timestamp.
            # TYPE stamped gauge
            stamped 5
            """));
        Assert.Contains("series stamped: value timestamp expected none, got 1700000000123", e.Message);
    }

    // ---- CollectAndCompare: what counts as different ----

    [Fact]
    public void CollectAndCompare_with_a_wrong_value_names_the_series_and_both_values()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 4
            http_requests_total{code="500",method="GET"} 1
            """));

        Assert.Equal(["series http_requests_total{code=\"200\",method=\"GET\"}: value expected 4, got 3"], e.Differences);
        Assert.Contains("differ from the expected text in 1 place:", e.Message);
        Assert.Contains("- series http_requests_total{code=\"200\",method=\"GET\"}: value expected 4, got 3", e.Message);
    }

    [Fact]
    public void CollectAndCompare_with_a_missing_series_names_it()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="404",method="GET"} 2
            http_requests_total{code="500",method="GET"} 1
            """));

        var difference = Assert.Single(e.Differences);
        Assert.StartsWith("missing series http_requests_total{code=\"404\",method=\"GET\"}", difference);
        Assert.Contains("http_requests_total{code=\"404\",method=\"GET\"} 2", difference);
    }

    [Fact]
    public void CollectAndCompare_with_an_extra_series_names_it()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            """));

        var difference = Assert.Single(e.Differences);
        Assert.StartsWith("unexpected series http_requests_total{code=\"500\",method=\"GET\"}", difference);
    }

    [Fact]
    public void CollectAndCompare_with_a_wrong_help_shows_both()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests handled.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="500",method="GET"} 1
            """));

        Assert.Equal(["family http_requests_total: HELP expected \"Requests handled.\", got \"Requests served.\""], e.Differences);
    }

    [Fact]
    public void CollectAndCompare_without_a_help_line_expects_empty_help()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="500",method="GET"} 1
            """));

        Assert.Equal(["family http_requests_total: HELP expected \"\", got \"Requests served.\""], e.Differences);
    }

    [Fact]
    public void CollectAndCompare_with_a_wrong_type_shows_both()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total gauge
            http_requests_total{code="200",method="GET"} 3
            http_requests_total{code="500",method="GET"} 1
            """));

        Assert.Equal(["family http_requests_total: TYPE expected gauge, got counter"], e.Differences);
    }

    [Fact]
    public void CollectAndCompare_reports_missing_and_unexpected_families()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(ConstGauge("actual_gauge", 1), """
            # HELP expected_gauge A gauge.
            # TYPE expected_gauge gauge
            expected_gauge 1
            """));

        Assert.Equal(2, e.Differences.Count);
        Assert.StartsWith("unexpected family actual_gauge (gauge, 1 series)", e.Differences[0]);
        Assert.StartsWith("missing family expected_gauge (gauge, 1 series)", e.Differences[1]);
    }

    [Fact]
    public void CollectAndCompare_lists_every_difference_and_ends_with_the_collected_text()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), """
            # HELP http_requests_total Requests.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="GET"} 2
            """));

        Assert.Equal(3, e.Differences.Count);
        Assert.Contains("in 3 places", e.Message);
        Assert.Equal(
            "# HELP http_requests_total Requests served.\n" +
            "# TYPE http_requests_total counter\n" +
            "http_requests_total{code=\"200\",method=\"GET\"} 3\n" +
            "http_requests_total{code=\"500\",method=\"GET\"} 1\n",
            e.ActualText);
        Assert.EndsWith("Collected:\n" + e.ActualText.TrimEnd('\n'), e.Message);
    }

    [Fact]
    public void CollectAndCompare_reports_an_expected_family_without_samples()
    {
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(RequestsVec(), """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            """));

        var difference = Assert.Single(e.Differences);
        Assert.Contains("http_requests_total is declared in the expected text (line 1) without samples", difference);
        Assert.Contains("Nothing was collected.", e.Message);
    }

    [Fact]
    public void CollectAndCompare_of_an_empty_family_with_empty_text_passes()
    {
        MetricsTestUtil.CollectAndCompare(RequestsVec(), "");
    }

    // ---- histograms and summaries ----

    [Fact]
    public void CollectAndCompare_compares_histogram_buckets_sum_and_count()
    {
        var latency = LatencyHistogram();

        MetricsTestUtil.CollectAndCompare(latency, """
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{method="GET",le="0.1"} 1
            rpc_duration_seconds_bucket{le="0.5", method="GET"} 2
            rpc_duration_seconds_bucket{method="GET",le="1.0"} 3
            rpc_duration_seconds_bucket{method="GET",le="+Inf"} 4
            rpc_duration_seconds_sum{method="GET"} 3.35
            rpc_duration_seconds_count{method="GET"} 4
            """);
    }

    [Fact]
    public void CollectAndCompare_names_the_histogram_bucket_that_differs()
    {
        var latency = LatencyHistogram();

        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(latency, """
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{method="GET",le="0.1"} 1
            rpc_duration_seconds_bucket{method="GET",le="0.5"} 3
            rpc_duration_seconds_bucket{method="GET",le="1"} 3
            rpc_duration_seconds_bucket{method="GET",le="+Inf"} 4
            rpc_duration_seconds_sum{method="GET"} 3.35
            rpc_duration_seconds_count{method="GET"} 5
            """));

        Assert.Equal(
            [
                "series rpc_duration_seconds{method=\"GET\"}: rpc_duration_seconds_bucket{le=\"0.5\"} expected 3, got 2",
                "series rpc_duration_seconds{method=\"GET\"}: rpc_duration_seconds_count expected 5, got 4",
            ],
            e.Differences);
    }

    [Fact]
    public void CollectAndCompare_names_a_missing_histogram_bucket_and_a_missing_histogram_series()
    {
        var latency = LatencyHistogram();
        latency.WithLabels("POST").Observe(0.2);

        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(latency, """
            # HELP rpc_duration_seconds RPC latency.
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{method="GET",le="0.1"} 1
            rpc_duration_seconds_bucket{method="GET",le="0.5"} 2
            rpc_duration_seconds_bucket{method="GET",le="+Inf"} 4
            rpc_duration_seconds_sum{method="GET"} 3.35
            rpc_duration_seconds_count{method="GET"} 4
            """));

        Assert.Equal(2, e.Differences.Count);
        Assert.Equal("series rpc_duration_seconds{method=\"GET\"}: unexpected sample rpc_duration_seconds_bucket{method=\"GET\",le=\"1\"} 3", e.Differences[0]);
        Assert.StartsWith("unexpected series rpc_duration_seconds{method=\"POST\"}; collected:", e.Differences[1]);
        Assert.Contains("rpc_duration_seconds_count{method=\"POST\"} 1", e.Differences[1]);
    }

    [Fact]
    public void CollectAndCompare_compares_summary_quantiles_sum_and_count()
    {
        var desc = new Desc("payload_bytes", "Payload sizes.", ["route"], null);
        var collector = new FixedCollector(ConstMetric.Summary(desc, 10, 1500, new Dictionary<double, double> { [0.5] = 120, [0.99] = 480 }, "/orders"));

        MetricsTestUtil.CollectAndCompare(collector, """
            # HELP payload_bytes Payload sizes.
            # TYPE payload_bytes summary
            payload_bytes{route="/orders",quantile="0.50"} 120
            payload_bytes{quantile="0.99",route="/orders"} 480
            payload_bytes_sum{route="/orders"} 1500
            payload_bytes_count{route="/orders"} 10
            """);

        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(collector, """
            # HELP payload_bytes Payload sizes.
            # TYPE payload_bytes summary
            payload_bytes{route="/orders",quantile="0.5"} 100
            payload_bytes{route="/orders",quantile="0.99"} 480
            payload_bytes_sum{route="/orders"} 1500
            payload_bytes_count{route="/orders"} 10
            """));
        Assert.Equal(["series payload_bytes{route=\"/orders\"}: payload_bytes{quantile=\"0.5\"} expected 100, got 120"], e.Differences);
    }

    [Fact]
    public void CollectAndCompare_of_a_live_summary_without_objectives_compares_sum_and_count()
    {
        var summary = new Summary(new SummaryOptions { Name = "job_seconds", Help = "Job time." });
        summary.Observe(1.5);
        summary.Observe(2);

        MetricsTestUtil.CollectAndCompare(summary, """
            # HELP job_seconds Job time.
            # TYPE job_seconds summary
            job_seconds_sum 3.5
            job_seconds_count 2
            """);
    }

    // ---- filtering by name ----

    [Fact]
    public void CollectAndCompare_with_names_compares_only_those_families_on_both_sides()
    {
        var up = new Desc("target_up", "Whether the target answered.", ["target"], null);
        var temp = new Desc("target_temperature_celsius", "Temperature.", ["target"], null);
        var collector = new FixedCollector(ConstMetric.Gauge(up, 1, "a"), ConstMetric.Gauge(temp, 21.5, "a"));

        // The temperature family is neither collected for the comparison nor read from the expected text.
        MetricsTestUtil.CollectAndCompare(collector, """
            # HELP target_up Whether the target answered.
            # TYPE target_up gauge
            target_up{target="a"} 1
            # HELP target_temperature_celsius Temperature.
            # TYPE target_temperature_celsius gauge
            target_temperature_celsius{target="a"} 99
            """, "target_up");

        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(collector, """
            # HELP target_up Whether the target answered.
            # TYPE target_up gauge
            target_up{target="a"} 1
            """, "target_up", "target_temperature_celsius"));
        Assert.StartsWith("unexpected family target_temperature_celsius", Assert.Single(e.Differences));
        Assert.DoesNotContain("target_up", e.Message.Split("Collected:")[0]);
    }

    [Fact]
    public void CollectAndCompare_can_assert_that_a_family_is_absent()
    {
        var collector = ConstGauge("present", 1);

        MetricsTestUtil.CollectAndCompare(collector, "", "absent");
        Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(collector, "", "present"));
    }

    [Fact]
    public void CollectAndCompare_filter_accepts_a_utf8_name_the_text_format_escapes()
    {
        var registry = new Registry(new RegistryOptions { NameValidation = NameValidationScheme.Utf8 });
        var gauge = new Gauge(new GaugeOptions { Name = "cache.hit_ratio", Help = "Hits per lookup." });
        registry.Register(gauge);
        gauge.Set(0.75);

        MetricsTestUtil.GatherAndCompare(registry, """
            # HELP cache_hit_ratio Hits per lookup.
            # TYPE cache_hit_ratio gauge
            cache_hit_ratio 0.75
            """, "cache.hit_ratio");
    }

    [Fact]
    public void A_long_missing_family_lists_ten_samples_and_counts_the_rest()
    {
        var desc = new Desc("shard_size", "Shard sizes.", ["shard"], null);
        var expected = "# HELP shard_size Shard sizes.\n# TYPE shard_size gauge\n" +
            string.Concat(Enumerable.Range(0, 12).Select(i => $"shard_size{{shard=\"{i:00}\"}} {i}\n"));

        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.CollectAndCompare(ConstGauge("other", 1), expected, "shard_size"));

        var difference = Assert.Single(e.Differences);
        Assert.StartsWith("missing family shard_size (gauge, 12 series); expected:\n    shard_size{shard=\"00\"} 0\n", difference);
        Assert.Contains("shard_size{shard=\"09\"} 9", difference);
        Assert.DoesNotContain("shard_size{shard=\"10\"}", difference);
        Assert.EndsWith("… and 2 more samples", difference);
    }

    // ---- gatherers ----

    [Fact]
    public void GatherAndCompare_sees_the_registrys_const_labels()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["instance"] = "web-1" } });
        var requests = RequestsVec();
        registry.Register(requests);
        requests.WithLabels("200", "GET").Inc();

        MetricsTestUtil.GatherAndCompare(registry, """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="GET",instance="web-1",code="200"} 1
            """);
        var e = Assert.Throws<MetricsComparisonException>(() => MetricsTestUtil.GatherAndCompare(registry, """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="GET",code="200"} 1
            """));
        Assert.Equal(2, e.Differences.Count);
        Assert.Contains(e.Differences, d => d.StartsWith("missing series http_requests_total{code=\"200\",method=\"GET\"}", StringComparison.Ordinal));
        Assert.Contains(e.Differences, d => d.StartsWith("unexpected series http_requests_total{code=\"200\",instance=\"web-1\",method=\"GET\"}", StringComparison.Ordinal));
    }

    [Fact]
    public void GatherAndCompare_shows_info_and_stateset_families_as_the_text_format_does()
    {
        var info = new Desc("build_info", "Build information.", ["version"], null);
        var state = new Desc("breaker", "Circuit breaker state.", null, null);
        var registry = new Registry();
        registry.Register(new FixedCollector(
            ConstMetric.Info(info, "1.2.3"),
            ConstMetric.StateSet(state, new Dictionary<string, bool> { ["open"] = false, ["closed"] = true })));

        MetricsTestUtil.GatherAndCompare(registry, """
            # HELP breaker Circuit breaker state.
            # TYPE breaker gauge
            breaker{breaker="closed"} 1
            breaker{breaker="open"} 0
            # HELP build_info Build information.
            # TYPE build_info gauge
            build_info{version="1.2.3"} 1
            """);
    }

    [Fact]
    public void CollectAndCompare_reports_an_inconsistent_collector_with_its_gather_exception()
    {
        var desc = new Desc("dup_value", "Duplicated.", ["k"], null);
        var collector = new FixedCollector(ConstMetric.Gauge(desc, 1, "x"), ConstMetric.Gauge(desc, 2, "x"));

        var e = Assert.Throws<GatherException>(() => MetricsTestUtil.CollectAndCompare(collector, """
            # HELP dup_value Duplicated.
            # TYPE dup_value gauge
            dup_value{k="x"} 1
            """));

        Assert.Contains("dup_value", e.Message);
    }

    [Fact]
    public void CollectAndCompare_reports_a_collector_that_cannot_register()
    {
        var counter = new Counter(new CounterOptions { Name = "bad-name", Help = "Invalid." });

        var e = Assert.ThrowsAny<ArgumentException>(() => MetricsTestUtil.CollectAndCompare(counter, ""));

        Assert.Contains("bad-name", e.Message);
    }

    // ---- expected text that does not parse ----

    [Theory]
    [InlineData("http_requests_total{code=\"200\" 3", "expected ',' or '}' after label code")]
    [InlineData("http_requests_total{code=\"200\"", "not closed with '}'")]
    [InlineData("http_requests_total{code=200} 3", "double quotes")]
    [InlineData("http_requests_total{code=\"200\"} three", "\"three\" is not a valid sample value")]
    [InlineData("http_requests_total{code=\"200\"}", "has no value")]
    [InlineData("http_requests_total{code=\"200\"} 3 12:00", "not a valid timestamp")]
    [InlineData("http_requests_total{code=\"2\\x00\"} 3", "invalid escape")]
    [InlineData("http_requests_total{code=\"1\",code=\"2\"} 3", "appears twice")]
    [InlineData("http_requests_total{code=\"200\",method=\"GET\"} 1", "duplicate sample")]
    [InlineData("# TYPE http_requests_total gauge", "second # TYPE line")]
    [InlineData("{code=\"200\"} 3", "must start with a metric name")]
    public void Unparsable_expected_text_names_the_line_and_its_content(string badLine, string problem)
    {
        var text = $"""
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{"{"}code="200",method="GET"{"}"} 3
            {badLine}
            """;

        var e = Assert.Throws<FormatException>(() => MetricsTestUtil.CollectAndCompare(RequestsWithTwoSeries(), text));

        Assert.StartsWith("Expected text, line 4: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.EndsWith($"\"{badLine}\"", e.Message);
    }

    [Fact]
    public void Expected_text_with_an_unknown_type_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => MetricsTestUtil.CollectAndCompare(ConstGauge("g", 1), "\n# TYPE g gaugehistogram\ng 1"));

        Assert.Equal("Expected text, line 2: unknown type \"gaugehistogram\" (the text format knows counter, gauge, histogram, summary and untyped): \"# TYPE g gaugehistogram\"", e.Message);
    }

    [Fact]
    public void Expected_histogram_bucket_without_le_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => MetricsTestUtil.CollectAndCompare(LatencyHistogram(), """
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{method="GET"} 1
            """));

        Assert.Contains("line 2: rpc_duration_seconds_bucket needs a le label", e.Message);
    }

    [Fact]
    public void Other_comments_are_ignored()
    {
        MetricsTestUtil.CollectAndCompare(ConstGauge("g", 1), """
            # A comment about what follows.
            # HELP g A gauge.
            # TYPES of gauges are explained elsewhere: not a keyword, so a comment too
            # TYPE g gauge
            g 1
            """);
    }

    // ---- helpers ----

    private static CounterVec RequestsVec() =>
        new(new CounterOptions { Name = "http_requests_total", Help = "Requests served." }, ["code", "method"]);

    private static CounterVec RequestsWithTwoSeries()
    {
        var requests = RequestsVec();
        requests.WithLabels("200", "GET").Add(3);
        requests.WithLabels("500", "GET").Inc();
        return requests;
    }

    private static HistogramVec LatencyHistogram()
    {
        var latency = new HistogramVec(new HistogramOptions { Name = "rpc_duration_seconds", Help = "RPC latency.", Buckets = [0.1, 0.5, 1] }, ["method"]);
        var get = latency.WithLabels("GET");
        get.Observe(0.05);
        get.Observe(0.3);
        get.Observe(1);
        get.Observe(2);
        return latency;
    }

    private static FixedCollector ConstGauge(string name, double value) =>
        new(ConstMetric.Gauge(new Desc(name, "A gauge.", null, null), value));

    /// <summary>A custom collector that collects the given metrics and describes their descriptors.</summary>
    private sealed class FixedCollector(params IMetric[] metrics) : ICollector
    {
        public IEnumerable<Desc> Describe() => metrics.Select(m => m.Desc).Distinct();

        public IEnumerable<IMetric> Collect() => metrics;
    }
}
