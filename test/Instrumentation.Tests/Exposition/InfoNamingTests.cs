using System.Buffers;
using System.Text;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

/// <summary>
/// An info family's samples are named <c>&lt;base&gt;_info</c> in every format (issue 11, item 12), so that a query's
/// series name does not depend on the format the scraper negotiated.
/// </summary>
public class InfoNamingTests
{
    private static string Write(ExpositionFormatKind kind, MetricFamily family, EscapingScheme escaping = EscapingScheme.Underscores)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, [family], ExpositionFormat.Create(kind, escaping));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static PbFamily Protobuf(MetricFamily family, EscapingScheme escaping = EscapingScheme.Underscores)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, [family], ExpositionFormat.Create(ExpositionFormatKind.Protobuf, escaping));
        return Assert.Single(ProtobufDecoder.DecodeDelimited(buffer.WrittenSpan.ToArray()));
    }

    private static MetricFamily Build(string name) =>
        Family(name, "Build.", MetricType.Info, Point(1, ("version", "1.2.3")));

    [Fact]
    public void Text_writes_an_info_family_without_the_suffix_as_a_gauge_named_with_it()
    {
        Assert.Equal(
            "# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{version=\"1.2.3\"} 1\n",
            Write(ExpositionFormatKind.PrometheusText, Build("build")));
    }

    [Fact]
    public void Protobuf_names_an_info_family_without_the_suffix_with_it()
    {
        var family = Protobuf(Build("build"));

        Assert.Equal("build_info", family.Name);
        Assert.Equal(1, family.Type); // GAUGE
        Assert.Equal(1, family.Metrics.Single().Gauge);
    }

    [Fact]
    public void OpenMetrics_writes_the_base_name_as_family_and_the_suffixed_sample()
    {
        Assert.Equal(
            "# HELP build Build.\n# TYPE build info\nbuild_info{version=\"1.2.3\"} 1.0\n# EOF\n",
            Write(ExpositionFormatKind.OpenMetricsText, Build("build")));
    }

    [Theory]
    [InlineData("build")]
    [InlineData("build_info")]
    public void Every_format_gives_the_sample_one_name_and_never_doubles_the_suffix(string familyName)
    {
        var family = Build(familyName);

        var text = Write(ExpositionFormatKind.PrometheusText, family);
        var openMetrics = Write(ExpositionFormatKind.OpenMetricsText, family);
        var protobuf = Protobuf(family);

        Assert.Equal("build_info{version=\"1.2.3\"} 1", SampleLines(text).Single());
        Assert.Equal("build_info{version=\"1.2.3\"} 1.0", SampleLines(openMetrics).Single());
        Assert.Equal("build_info", protobuf.Name);
        Assert.DoesNotContain("_info_info", text + openMetrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_family_ending_in_info_keeps_its_text_lines_as_before()
    {
        Assert.Equal(
            "# HELP build_info Build.\n# TYPE build_info gauge\nbuild_info{version=\"1.2.3\"} 1\n",
            Write(ExpositionFormatKind.PrometheusText, Build("build_info")));
    }

    [Fact]
    public void Quoted_utf8_name_gets_the_suffix_inside_the_quotes()
    {
        var family = Build("my.build");

        Assert.Equal(
            "# HELP \"my.build_info\" Build.\n# TYPE \"my.build_info\" gauge\n{\"my.build_info\",version=\"1.2.3\"} 1\n",
            Write(ExpositionFormatKind.PrometheusText, family, EscapingScheme.AllowUtf8));
        Assert.Contains("{\"my.build_info\",version=\"1.2.3\"} 1.0\n", Write(ExpositionFormatKind.OpenMetricsText, family, EscapingScheme.AllowUtf8), StringComparison.Ordinal);
        Assert.Equal("my.build_info", Protobuf(family, EscapingScheme.AllowUtf8).Name);
    }

    [Fact]
    public void Escaped_name_gets_the_suffix_after_escaping_in_every_format()
    {
        var family = Build("my.build");

        Assert.Equal("my_build_info{version=\"1.2.3\"} 1", SampleLines(Write(ExpositionFormatKind.PrometheusText, family)).Single());
        Assert.Equal("my_build_info{version=\"1.2.3\"} 1.0", SampleLines(Write(ExpositionFormatKind.OpenMetricsText, family)).Single());
        Assert.Equal("my_build_info", Protobuf(family).Name);
    }

    [Fact]
    public void Compare_helper_filters_an_info_family_by_its_registered_name()
    {
        var registry = new Registry();
        var desc = new Desc("deploy", "Deployment.", ["region"], null);
        registry.MustRegister(new InfoCollector(desc));

        Instrumentation.Testing.MetricsTestUtil.GatherAndCompare(registry, """
            # HELP deploy_info Deployment.
            # TYPE deploy_info gauge
            deploy_info{region="eu"} 1
            """, "deploy");
    }

    private sealed class InfoCollector(Desc desc) : ICollector
    {
        public IEnumerable<Desc> Describe() => [desc];

        public IEnumerable<IMetric> Collect() => [ConstMetric.Info(desc, "eu")];
    }

    private static string[] SampleLines(string exposition) =>
        exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
}
