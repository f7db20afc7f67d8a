using System.Buffers;
using System.Text;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class TextFormatTests
{
    [Fact]
    public void Counter_keeps_total_suffix_and_writes_help_and_type()
    {
        var text = Text(Family("http_requests_total", "Requests served.", MetricType.Counter,
            Point(1027, ("code", "200"), ("method", "post")),
            Point(3, ("code", "400"), ("method", "post"))));

        Assert.Equal(
            "# HELP http_requests_total Requests served.\n" +
            "# TYPE http_requests_total counter\n" +
            "http_requests_total{code=\"200\",method=\"post\"} 1027\n" +
            "http_requests_total{code=\"400\",method=\"post\"} 3\n",
            text);
    }

    [Fact]
    public void Gauge_without_labels_has_no_braces()
    {
        var text = Text(Family("temperature_celsius", "Current temperature.", MetricType.Gauge, Point(-3.5)));

        Assert.Equal(
            "# HELP temperature_celsius Current temperature.\n" +
            "# TYPE temperature_celsius gauge\n" +
            "temperature_celsius -3.5\n",
            text);
    }

    [Fact]
    public void Untyped_is_written_as_untyped()
    {
        var text = Text(Family("some_value", "Something.", MetricType.Untyped, Point(42, ("a", "b"))));

        Assert.Equal(
            "# HELP some_value Something.\n" +
            "# TYPE some_value untyped\n" +
            "some_value{a=\"b\"} 42\n",
            text);
    }

    [Fact]
    public void Empty_help_keeps_the_help_line_like_go()
    {
        var text = Text(Family("x", "", MetricType.Gauge, Point(1)));

        Assert.Equal("# HELP x \n# TYPE x gauge\nx 1\n", text);
    }

    [Fact]
    public void Histogram_writes_cumulative_buckets_sum_and_count()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("path", "/")),
            Buckets = [new Bucket(0.005, 1), new Bucket(0.1, 3), new Bucket(1, 7), new Bucket(double.PositiveInfinity, 8)],
            Sum = 12.5,
            Count = 8,
        };

        var text = Text(Family("request_duration_seconds", "Request latency.", MetricType.Histogram, point));

        Assert.Equal(
            "# HELP request_duration_seconds Request latency.\n" +
            "# TYPE request_duration_seconds histogram\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"0.005\"} 1\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"0.1\"} 3\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"1\"} 7\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"+Inf\"} 8\n" +
            "request_duration_seconds_sum{path=\"/\"} 12.5\n" +
            "request_duration_seconds_count{path=\"/\"} 8\n",
            text);
    }

    [Fact]
    public void Histogram_without_inf_bucket_gets_one_with_the_count_and_counts_are_go_floats()
    {
        var point = new MetricPoint
        {
            Buckets = [new Bucket(1000000, 1234567)],
            Sum = 5e6,
            Count = 2000000,
        };

        var text = Text(Family("h", "H.", MetricType.Histogram, point));

        Assert.Equal(
            "# HELP h H.\n" +
            "# TYPE h histogram\n" +
            "h_bucket{le=\"1e+06\"} 1.234567e+06\n" +
            "h_bucket{le=\"+Inf\"} 2e+06\n" +
            "h_sum 5e+06\n" +
            "h_count 2e+06\n",
            text);
    }

    [Fact]
    public void Summary_writes_quantiles_sum_and_count()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("service", "api")),
            Quantiles = [new QuantileValue(0.5, 0.012), new QuantileValue(0.99, 0.25)],
            Sum = 17.25,
            Count = 1000,
        };

        var text = Text(Family("rpc_duration_seconds", "RPC latency.", MetricType.Summary, point));

        Assert.Equal(
            "# HELP rpc_duration_seconds RPC latency.\n" +
            "# TYPE rpc_duration_seconds summary\n" +
            "rpc_duration_seconds{service=\"api\",quantile=\"0.5\"} 0.012\n" +
            "rpc_duration_seconds{service=\"api\",quantile=\"0.99\"} 0.25\n" +
            "rpc_duration_seconds_sum{service=\"api\"} 17.25\n" +
            "rpc_duration_seconds_count{service=\"api\"} 1000\n",
            text);
    }

    [Fact]
    public void Summary_without_quantiles_writes_sum_and_count_only()
    {
        var text = Text(Family("s", "S.", MetricType.Summary, new MetricPoint { Sum = 0, Count = 0 }));

        Assert.Equal("# HELP s S.\n# TYPE s summary\ns_sum 0\ns_count 0\n", text);
    }

    [Fact]
    public void Info_is_a_gauge_with_value_one_under_its_given_name()
    {
        var text = Text(Family("build_info", "Build information.", MetricType.Info,
            new MetricPoint { Labels = Labels(("version", "1.2.3"), ("commit", "abc")), Value = 1 }));

        Assert.Equal(
            "# HELP build_info Build information.\n" +
            "# TYPE build_info gauge\n" +
            "build_info{commit=\"abc\",version=\"1.2.3\"} 1\n",
            text);
    }

    [Fact]
    public void StateSet_is_a_gauge_with_one_sample_per_state()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("instance", "a")),
            States = [new StateValue("starting", false), new StateValue("running", true)],
        };

        var text = Text(Family("service_state", "State.", MetricType.StateSet, point));

        Assert.Equal(
            "# HELP service_state State.\n" +
            "# TYPE service_state gauge\n" +
            "service_state{instance=\"a\",service_state=\"starting\"} 0\n" +
            "service_state{instance=\"a\",service_state=\"running\"} 1\n",
            text);
    }

    [Fact]
    public void StateSet_without_labels_opens_braces_for_the_state()
    {
        var point = new MetricPoint { States = [new StateValue("on", true)] };

        var text = Text(Family("power", "P.", MetricType.StateSet, point));

        Assert.Equal("# HELP power P.\n# TYPE power gauge\npower{power=\"on\"} 1\n", text);
    }

    [Fact]
    public void GaugeHistogram_is_written_histogram_shaped()
    {
        var point = new MetricPoint
        {
            Buckets = [new Bucket(1, 2), new Bucket(double.PositiveInfinity, 3)],
            Sum = 4,
            Count = 3,
        };

        var text = Text(Family("queue_size", "Q.", MetricType.GaugeHistogram, point));

        Assert.Equal(
            "# HELP queue_size Q.\n" +
            "# TYPE queue_size histogram\n" +
            "queue_size_bucket{le=\"1\"} 2\n" +
            "queue_size_bucket{le=\"+Inf\"} 3\n" +
            "queue_size_sum 4\n" +
            "queue_size_count 3\n",
            text);
    }

    [Fact]
    public void Timestamps_are_appended_as_integer_milliseconds()
    {
        var point = Point(2, ("a", "1"));
        point.TimestampMs = 1395066363000;
        var summary = new MetricPoint { Sum = 1, Count = 1, TimestampMs = -5 };

        var text = Text(
            Family("g", "G.", MetricType.Gauge, point),
            Family("s", "S.", MetricType.Summary, summary));

        Assert.Equal(
            "# HELP g G.\n# TYPE g gauge\ng{a=\"1\"} 2 1395066363000\n" +
            "# HELP s S.\n# TYPE s summary\ns_sum 1 -5\ns_count 1 -5\n",
            text);
    }

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes()
    {
        var text = Text(Family("x", "a\\b\nc \"q\"", MetricType.Gauge, Point(1)));

        Assert.StartsWith("# HELP x a\\\\b\\nc \"q\"\n", text);
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_keep_unicode()
    {
        var text = Text(Family("x", "X.", MetricType.Gauge, Point(1, ("path", "C:\\dir\n\"q\" ü 😀"))));

        Assert.EndsWith("x{path=\"C:\\\\dir\\n\\\"q\\\" ü 😀\"} 1\n", text);
    }

    [Fact]
    public void Empty_label_value_is_written()
    {
        var text = Text(Family("x", "X.", MetricType.Gauge, Point(1, ("a", ""))));

        Assert.EndsWith("x{a=\"\"} 1\n", text);
    }

    [Fact]
    public void Special_values_are_written_as_go_writes_them()
    {
        var text = Text(Family("x", "X.", MetricType.Gauge,
            Point(double.NaN, ("v", "nan")),
            Point(double.PositiveInfinity, ("v", "pinf")),
            Point(double.NegativeInfinity, ("v", "ninf")),
            Point(-0.0, ("v", "nzero")),
            Point(1e-05, ("v", "small")),
            Point(1234567.89, ("v", "big"))));

        Assert.EndsWith(
            "x{v=\"nan\"} NaN\n" +
            "x{v=\"pinf\"} +Inf\n" +
            "x{v=\"ninf\"} -Inf\n" +
            "x{v=\"nzero\"} 0\n" +
            "x{v=\"small\"} 1e-05\n" +
            "x{v=\"big\"} 1.23456789e+06\n",
            text);
    }

    [Fact]
    public void Families_without_series_are_skipped()
    {
        var text = Text(
            Family("empty_total", "Nothing.", MetricType.Counter),
            Family("one", "One.", MetricType.Gauge, Point(1)));

        Assert.Equal("# HELP one One.\n# TYPE one gauge\none 1\n", text);
    }

    [Fact]
    public void No_families_write_nothing()
    {
        Assert.Equal("", Text());
    }

    [Fact]
    public void Exemplars_and_created_are_not_written()
    {
        var point = Point(5);
        point.Exemplar = new Exemplar([new LabelPair("trace_id", "abc")], 1);
        point.CreatedSeconds = 1700000000;

        var text = Text(Family("c_total", "C.", MetricType.Counter, point));

        Assert.Equal("# HELP c_total C.\n# TYPE c_total counter\nc_total 5\n", text);
    }

    [Fact]
    public void Utf8_names_are_escaped_with_underscores_by_default()
    {
        var text = Text(Family("my.metric", "M.", MetricType.Gauge, Point(1, ("label.name", "v"))));

        Assert.Equal("# HELP my_metric M.\n# TYPE my_metric gauge\nmy_metric{label_name=\"v\"} 1\n", text);
    }

    [Fact]
    public void Stream_and_buffer_writer_produce_the_same_bytes_across_buffer_boundaries()
    {
        var points = Enumerable.Range(0, 3000)
            .Select(i => Point(i * 1.5, ("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("text", new string('é', i % 50))))
            .ToArray();
        var family = Family("many", "Many series.", MetricType.Gauge, points);

        using var stream = new MemoryStream();
        TextFormat.Write(stream, [family]);
        var buffer = new ArrayBufferWriter<byte>();
        TextFormat.Write(buffer, [family]);

        Assert.True(stream.Length > 100_000);
        Assert.Equal(buffer.WrittenSpan.ToArray(), stream.ToArray());
        Assert.EndsWith("many{id=\"2999\",text=\"" + new string('é', 2999 % 50) + "\"} 4498.5\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Second_scrape_of_the_same_label_set_writes_identical_bytes()
    {
        var family = Family("x", "X.", MetricType.Gauge, Point(1, ("a", "\"quoted\"")));

        Assert.Equal(Text(family), Text(family));
    }
}
