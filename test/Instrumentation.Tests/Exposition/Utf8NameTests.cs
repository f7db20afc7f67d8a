using System.Buffers;
using System.Text;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class Utf8NameTests
{
    private static string Write(ExpositionFormatKind kind, EscapingScheme escaping, params MetricFamily[] families)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, families, ExpositionFormat.Create(kind, escaping), new ExpositionOptions { OpenMetricsCreatedSamples = false });
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static MetricFamily Dotted() => Family("my.metric", "M.", MetricType.Gauge, Point(1, ("label.name", "v")));

    [Fact]
    public void Text_quotes_names_inside_braces_when_utf8_is_allowed()
    {
        var text = Write(ExpositionFormatKind.PrometheusText, EscapingScheme.AllowUtf8, Dotted());

        Assert.Equal(
            "# HELP \"my.metric\" M.\n" +
            "# TYPE \"my.metric\" gauge\n" +
            "{\"my.metric\",\"label.name\"=\"v\"} 1\n",
            text);
    }

    [Theory]
    [InlineData(EscapingScheme.Underscores, "my_metric", "label_name")]
    [InlineData(EscapingScheme.Dots, "my_dot_metric", "label_dot_name")]
    [InlineData(EscapingScheme.Values, "U__my_2e_metric", "U__label_2e_name")]
    public void Text_escapes_names_for_scrapers_without_utf8(EscapingScheme escaping, string metric, string label)
    {
        var text = Write(ExpositionFormatKind.PrometheusText, escaping, Dotted());

        Assert.Equal($"# HELP {metric} M.\n# TYPE {metric} gauge\n{metric}{{{label}=\"v\"}} 1\n", text);
    }

    [Theory]
    [InlineData("my.metric_x", EscapingScheme.Dots, "my_dot_metric__x")]
    [InlineData("my-metric", EscapingScheme.Dots, "my__metric")]
    [InlineData("a😀", EscapingScheme.Underscores, "a_")]
    [InlineData("a😀", EscapingScheme.Values, "U__a_1f600_")]
    [InlineData("1a.b", EscapingScheme.Values, "U___31_a_2e_b")]
    [InlineData("1a.b", EscapingScheme.Underscores, "_a_b")]
    [InlineData("ünï_côdé", EscapingScheme.Values, "U___fc_n_ef___c_f4_d_e9_")]
    [InlineData("legacy_name:ok", EscapingScheme.Dots, "legacy_name:ok")]
    [InlineData("legacy_name", EscapingScheme.Values, "legacy_name")]
    public void Escaping_rules_follow_the_prometheus_model_package(string name, EscapingScheme escaping, string expected)
    {
        var text = Write(ExpositionFormatKind.PrometheusText, escaping, Family(name, "", MetricType.Gauge, Point(1)));

        Assert.EndsWith($"\n{expected} 1\n", text);
    }

    [Fact]
    public void Label_names_with_a_colon_are_escaped_or_quoted()
    {
        var family = Family("m", "", MetricType.Gauge, Point(1, ("a:b", "v")));

        Assert.EndsWith("m{a_b=\"v\"} 1\n", Write(ExpositionFormatKind.PrometheusText, EscapingScheme.Underscores, family));
        Assert.EndsWith("m{\"a:b\"=\"v\"} 1\n", Write(ExpositionFormatKind.PrometheusText, EscapingScheme.AllowUtf8, family));
    }

    [Fact]
    public void Quoted_names_escape_quotes_and_backslashes()
    {
        var text = Write(ExpositionFormatKind.PrometheusText, EscapingScheme.AllowUtf8, Family("say \"hi\"\\", "", MetricType.Gauge, Point(1)));

        Assert.EndsWith("\n{\"say \\\"hi\\\"\\\\\"} 1\n", text);
    }

    [Fact]
    public void Text_histogram_and_summary_put_suffixed_names_in_quotes()
    {
        var histogram = new MetricPoint { Labels = Labels(("a.b", "1")), Buckets = [new Bucket(1, 2)], Sum = 3, Count = 2 };
        var summary = new MetricPoint { Quantiles = [new QuantileValue(0.5, 1)], Sum = 3, Count = 2 };

        var text = Write(ExpositionFormatKind.PrometheusText, EscapingScheme.AllowUtf8,
            Family("req.seconds", "", MetricType.Histogram, histogram),
            Family("rpc.seconds", "", MetricType.Summary, summary));

        Assert.Equal(
            "# HELP \"req.seconds\" \n# TYPE \"req.seconds\" histogram\n" +
            "{\"req.seconds_bucket\",\"a.b\"=\"1\",le=\"1\"} 2\n" +
            "{\"req.seconds_bucket\",\"a.b\"=\"1\",le=\"+Inf\"} 2\n" +
            "{\"req.seconds_sum\",\"a.b\"=\"1\"} 3\n" +
            "{\"req.seconds_count\",\"a.b\"=\"1\"} 2\n" +
            "# HELP \"rpc.seconds\" \n# TYPE \"rpc.seconds\" summary\n" +
            "{\"rpc.seconds\",quantile=\"0.5\"} 1\n" +
            "{\"rpc.seconds_sum\"} 3\n" +
            "{\"rpc.seconds_count\"} 2\n",
            text);
    }

    [Fact]
    public void OpenMetrics_quotes_family_and_sample_names()
    {
        var counter = Point(1);
        var state = new MetricPoint { States = [new StateValue("on", true)] };

        var text = Write(ExpositionFormatKind.OpenMetricsText, EscapingScheme.AllowUtf8,
            Family("my.count_total", "C.", MetricType.Counter, counter),
            Family("my.state", "S.", MetricType.StateSet, state));

        Assert.Equal(
            "# HELP \"my.count\" C.\n# TYPE \"my.count\" counter\n{\"my.count_total\"} 1.0\n" +
            "# HELP \"my.state\" S.\n# TYPE \"my.state\" stateset\n{\"my.state\",\"my.state\"=\"on\"} 1.0\n" +
            "# EOF\n",
            text);
    }

    [Fact]
    public void OpenMetrics_escapes_the_full_name_before_deriving_the_family_name()
    {
        var text = Write(ExpositionFormatKind.OpenMetricsText, EscapingScheme.Underscores, Family("my.count_total", "C.", MetricType.Counter, Point(1)));

        Assert.Equal("# HELP my_count C.\n# TYPE my_count counter\nmy_count_total 1.0\n# EOF\n", text);
    }

    [Fact]
    public void Exemplar_label_names_follow_the_escaping_too()
    {
        var point = Point(1);
        point.Exemplar = new Exemplar([new LabelPair("trace_id", "a")], 1);

        var text = Write(ExpositionFormatKind.OpenMetricsText, EscapingScheme.AllowUtf8, Family("c_total", "", MetricType.Counter, point));

        Assert.Equal("# TYPE c counter\nc_total 1.0 # {trace_id=\"a\"} 1.0\n# EOF\n", text);
    }

    [Fact]
    public void Negotiated_prometheus3_format_writes_utf8_names_quoted()
    {
        var format = ExpositionWriter.Negotiate(NegotiationTests.Prometheus3);

        var text = Write(format.Kind, format.Escaping, Dotted());

        Assert.Equal("# HELP \"my.metric\" M.\n# TYPE \"my.metric\" gauge\n{\"my.metric\",\"label.name\"=\"v\"} 1.0\n# EOF\n", text);
    }

    [Fact]
    public void Legacy_names_are_identical_under_every_scheme()
    {
        var family = Family("http_requests_total", "R.", MetricType.Counter, Point(1, ("code", "200")));

        var outputs = Enum.GetValues<EscapingScheme>().Select(s => Write(ExpositionFormatKind.PrometheusText, s, family)).Distinct().ToList();

        Assert.Single(outputs);
    }
}
