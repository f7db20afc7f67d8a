using System.Buffers;
using System.Text;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class OpenMetricsFormatTests
{
    private static string OpenMetrics(params MetricFamily[] families) => OpenMetrics(createdSamples: true, families);

    private static string OpenMetrics(bool createdSamples, params MetricFamily[] families)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, families, ExpositionFormat.Create(ExpositionFormatKind.OpenMetricsText), new ExpositionOptions { OpenMetricsCreatedSamples = createdSamples });
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Counter_family_is_named_without_total_and_has_created_and_exemplar()
    {
        var point = Point(1027, ("code", "200"));
        point.CreatedSeconds = 1700000000.5;
        point.Exemplar = new Exemplar([new LabelPair("trace_id", "0af7651916cd43dd8448eb211c80319c")], 1, 1700000123.25);

        var text = OpenMetrics(Family("http_requests_total", "Requests served.", MetricType.Counter, point));

        Assert.Equal(
            "# HELP http_requests Requests served.\n" +
            "# TYPE http_requests counter\n" +
            "http_requests_total{code=\"200\"} 1027.0 # {trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 1.0 1700000123.25\n" +
            "http_requests_created{code=\"200\"} 1.7000000005e+09\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void Created_samples_can_be_switched_off()
    {
        var point = Point(3);
        point.CreatedSeconds = 1700000000;

        var text = OpenMetrics(createdSamples: false, Family("jobs_total", "Jobs.", MetricType.Counter, point));

        Assert.Equal("# HELP jobs Jobs.\n# TYPE jobs counter\njobs_total 3.0\n# EOF\n", text);
    }

    [Fact]
    public void Counter_without_total_suffix_is_unknown_under_its_own_name_like_client_golang()
    {
        var point = Point(5);
        point.CreatedSeconds = 1700000000;
        point.Exemplar = new Exemplar([new LabelPair("trace_id", "x")], 1);

        var text = OpenMetrics(Family("legacy_counter", "Old.", MetricType.Counter, point));

        Assert.Equal("# HELP legacy_counter Old.\n# TYPE legacy_counter unknown\nlegacy_counter 5.0\n# EOF\n", text);
    }

    [Fact]
    public void Gauge_untyped_and_empty_help()
    {
        var text = OpenMetrics(
            Family("temperature", "", MetricType.Gauge, Point(21)),
            Family("thing", "A thing.", MetricType.Untyped, Point(0.25, ("a", "b"))));

        Assert.Equal(
            "# TYPE temperature gauge\n" +
            "temperature 21.0\n" +
            "# HELP thing A thing.\n" +
            "# TYPE thing unknown\n" +
            "thing{a=\"b\"} 0.25\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void Histogram_writes_canonical_le_integer_counts_exemplars_and_created()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("path", "/")),
            Buckets =
            [
                new Bucket(0.005, 1),
                new Bucket(1, 3, new Exemplar([new LabelPair("trace_id", "abc")], 0.67)),
                new Bucket(1000000, 7),
                new Bucket(double.PositiveInfinity, 8),
            ],
            Sum = 12.5,
            Count = 8,
            CreatedSeconds = 1600000000,
        };

        var text = OpenMetrics(Family("request_duration_seconds", "Latency.", MetricType.Histogram, point));

        Assert.Equal(
            "# HELP request_duration_seconds Latency.\n" +
            "# TYPE request_duration_seconds histogram\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"0.005\"} 1\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"1.0\"} 3 # {trace_id=\"abc\"} 0.67\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"1e+06\"} 7\n" +
            "request_duration_seconds_bucket{path=\"/\",le=\"+Inf\"} 8\n" +
            "request_duration_seconds_sum{path=\"/\"} 12.5\n" +
            "request_duration_seconds_count{path=\"/\"} 8\n" +
            "request_duration_seconds_created{path=\"/\"} 1.6e+09\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void Histogram_without_inf_bucket_gets_one()
    {
        var point = new MetricPoint { Buckets = [new Bucket(10, 2)], Sum = 3, Count = 4 };

        var text = OpenMetrics(Family("h", "H.", MetricType.Histogram, point));

        Assert.Equal(
            "# HELP h H.\n# TYPE h histogram\n" +
            "h_bucket{le=\"10.0\"} 2\nh_bucket{le=\"+Inf\"} 4\nh_sum 3.0\nh_count 4\n# EOF\n",
            text);
    }

    [Fact]
    public void Summary_writes_quantiles_sum_count_and_created()
    {
        var point = new MetricPoint
        {
            Quantiles = [new QuantileValue(0.5, 0.012), new QuantileValue(1, 2)],
            Sum = 17,
            Count = 1000,
            CreatedSeconds = 1600000000.25,
        };

        var text = OpenMetrics(Family("rpc_seconds", "RPC.", MetricType.Summary, point));

        Assert.Equal(
            "# HELP rpc_seconds RPC.\n" +
            "# TYPE rpc_seconds summary\n" +
            "rpc_seconds{quantile=\"0.5\"} 0.012\n" +
            "rpc_seconds{quantile=\"1.0\"} 2.0\n" +
            "rpc_seconds_sum 17.0\n" +
            "rpc_seconds_count 1000\n" +
            "rpc_seconds_created 1.60000000025e+09\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void Info_family_drops_the_info_suffix_and_samples_keep_it()
    {
        var text = OpenMetrics(Family("build_info", "Build.", MetricType.Info,
            new MetricPoint { Labels = Labels(("version", "1.2.3")), Value = 1 }));

        Assert.Equal("# HELP build Build.\n# TYPE build info\nbuild_info{version=\"1.2.3\"} 1.0\n# EOF\n", text);
    }

    [Fact]
    public void StateSet_writes_one_sample_per_state()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("instance", "a")),
            States = [new StateValue("a", true), new StateValue("b", false)],
        };

        var text = OpenMetrics(Family("feature", "Feature.", MetricType.StateSet, point));

        Assert.Equal(
            "# HELP feature Feature.\n" +
            "# TYPE feature stateset\n" +
            "feature{instance=\"a\",feature=\"a\"} 1.0\n" +
            "feature{instance=\"a\",feature=\"b\"} 0.0\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void GaugeHistogram_writes_gsum_and_gcount()
    {
        var point = new MetricPoint { Buckets = [new Bucket(1, 2), new Bucket(double.PositiveInfinity, 3)], Sum = 4, Count = 3, CreatedSeconds = 5 };

        var text = OpenMetrics(Family("queue", "Q.", MetricType.GaugeHistogram, point));

        Assert.Equal(
            "# HELP queue Q.\n# TYPE queue gaugehistogram\n" +
            "queue_bucket{le=\"1.0\"} 2\nqueue_bucket{le=\"+Inf\"} 3\nqueue_gsum 4.0\nqueue_gcount 3\n# EOF\n",
            text);
    }

    [Fact]
    public void Unit_is_written_when_the_name_ends_with_it()
    {
        var withSuffix = new MetricFamily("request_seconds", "Time.", MetricType.Gauge, [Point(1)], unit: "seconds");
        var counter = new MetricFamily("sent_bytes_total", "Sent.", MetricType.Counter, [Point(2)], unit: "bytes");
        var mismatch = new MetricFamily("request_time", "Time.", MetricType.Gauge, [Point(1)], unit: "seconds");

        var text = OpenMetrics(withSuffix, counter, mismatch);

        Assert.Equal(
            "# HELP request_seconds Time.\n# TYPE request_seconds gauge\n# UNIT request_seconds seconds\nrequest_seconds 1.0\n" +
            "# HELP sent_bytes Sent.\n# TYPE sent_bytes counter\n# UNIT sent_bytes bytes\nsent_bytes_total 2.0\n" +
            "# HELP request_time Time.\n# TYPE request_time gauge\nrequest_time 1.0\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void Timestamps_are_written_in_seconds()
    {
        var point = Point(1);
        point.TimestampMs = 1395066363000;

        var text = OpenMetrics(Family("g", "G.", MetricType.Gauge, point));

        Assert.Equal("# HELP g G.\n# TYPE g gauge\ng 1.0 1395066363\n# EOF\n", text);
    }

    [Fact]
    public void Help_escapes_quotes_backslashes_and_newlines_and_label_values_too()
    {
        var text = OpenMetrics(Family("g", "say \"hi\"\\\n", MetricType.Gauge, Point(1, ("l", "a\"b\\c\nd"))));

        Assert.Equal("# HELP g say \\\"hi\\\"\\\\\\n\n# TYPE g gauge\ng{l=\"a\\\"b\\\\c\\nd\"} 1.0\n# EOF\n", text);
    }

    [Fact]
    public void Special_values()
    {
        var text = OpenMetrics(Family("g", "G.", MetricType.Gauge,
            Point(double.NaN, ("v", "a")), Point(double.PositiveInfinity, ("v", "b")), Point(double.NegativeInfinity, ("v", "c")), Point(-0.0, ("v", "d")), Point(100000, ("v", "e"))));

        Assert.Equal(
            "# HELP g G.\n# TYPE g gauge\n" +
            "g{v=\"a\"} NaN\ng{v=\"b\"} +Inf\ng{v=\"c\"} -Inf\ng{v=\"d\"} 0.0\ng{v=\"e\"} 100000.0\n# EOF\n",
            text);
    }

    [Fact]
    public void Nothing_to_write_is_just_eof()
    {
        Assert.Equal("# EOF\n", OpenMetrics(Family("empty_total", "Nothing.", MetricType.Counter)));
    }

    [Fact]
    public void Public_writer_matches_the_facade()
    {
        var family = Family("x_total", "X.", MetricType.Counter, Point(1));
        var buffer = new ArrayBufferWriter<byte>();

        OpenMetricsFormat.Write(buffer, [family]);

        Assert.Equal(OpenMetrics(family), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Stream_writer_matches_the_facade()
    {
        var family = Family("x_total", "X.", MetricType.Counter, Point(1));
        using var stream = new MemoryStream();

        OpenMetricsFormat.Write(stream, [family]);

        Assert.Equal(OpenMetrics(family), Encoding.UTF8.GetString(stream.ToArray()));
    }
}
