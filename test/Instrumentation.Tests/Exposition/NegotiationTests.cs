using Instrumentation.Exposition;

namespace Instrumentation.Tests.Exposition;

public class NegotiationTests
{
    // Accept headers exactly as the servers send them (scrape.acceptHeader over config.ScrapeProtocolsHeaders).
    public const string Prometheus2Legacy =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    public const string Prometheus2 =
        "application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    public const string Prometheus2NativeHistograms =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    // Prometheus 2.42 with --enable-feature=native-histograms, as captured from a live scrape.
    public const string Prometheus2_42NativeHistograms =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    public const string Prometheus3 =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    public const string Prometheus3_0_0 =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;escaping=allow-utf-8;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;escaping=allow-utf-8;q=0.3,*/*;q=0.2";
    public const string Prometheus3ProtoFirst =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    public const string Prometheus3TextOnly =
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.4";
    public const string Chrome =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    public const string Firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private const string Text004 = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";
    private const string OpenMetrics100Utf8 = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8";
    private const string OpenMetrics100 = "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores";
    private const string ProtobufUnderscores = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores";

    [Theory]
    [InlineData(Prometheus2Legacy, ExpositionFormatKind.OpenMetricsText, OpenMetrics100)]
    [InlineData(Prometheus2, ExpositionFormatKind.OpenMetricsText, OpenMetrics100)]
    [InlineData(Prometheus2NativeHistograms, ExpositionFormatKind.Protobuf, ProtobufUnderscores)]
    [InlineData(Prometheus2_42NativeHistograms, ExpositionFormatKind.Protobuf, ProtobufUnderscores)]
    [InlineData(Prometheus3, ExpositionFormatKind.OpenMetricsText, OpenMetrics100Utf8)]
    [InlineData(Prometheus3_0_0, ExpositionFormatKind.OpenMetricsText, OpenMetrics100Utf8)]
    [InlineData(Prometheus3ProtoFirst, ExpositionFormatKind.Protobuf, ProtobufUnderscores)]
    [InlineData(Prometheus3TextOnly, ExpositionFormatKind.PrometheusText, "text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8")]
    public void Prometheus_servers_get_their_preferred_format(string accept, ExpositionFormatKind kind, string contentType)
    {
        var format = ExpositionWriter.Negotiate(accept);

        Assert.Equal(kind, format.Kind);
        Assert.Equal(contentType, format.ContentType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*/*")]
    [InlineData(Chrome)]
    [InlineData(Firefox)]
    [InlineData("garbage")]
    [InlineData(";;;,,,===")]
    [InlineData("text/plain;version=0.0.4;q=abc")]
    [InlineData("application/json")]
    [InlineData("text/*")]
    [InlineData("application/openmetrics-text;version=0.0.4")]
    [InlineData("application/openmetrics-text;version=2.0.0")]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")]
    [InlineData("application/vnd.google.protobuf;proto=other.Message;encoding=delimited")]
    [InlineData("application/openmetrics-text;q=0,text/plain;version=0.0.4;q=0")]
    [InlineData("\u00e9/\u00e9;\u0000=\u0001")]
    [InlineData("text/plain;version=0.0.4;escaping=bogus")]
    public void Anything_unknown_or_malformed_falls_back_to_text_004_with_underscores(string? accept)
    {
        var format = ExpositionWriter.Negotiate(accept);

        Assert.Equal(ExpositionFormatKind.PrometheusText, format.Kind);
        Assert.Equal(EscapingScheme.Underscores, format.Escaping);
        Assert.Equal(Text004, format.ContentType);
    }

    [Fact]
    public void Curl_default_gets_text_004()
    {
        Assert.Equal(Text004, ExpositionWriter.Negotiate("*/*").ContentType);
    }

    [Fact]
    public void Disabled_formats_are_skipped_for_the_next_preference()
    {
        var noOpenMetrics = new ExpositionOptions { EnableOpenMetrics = false };
        var noProtobuf = new ExpositionOptions { EnableProtobuf = false };

        Assert.Equal("text/plain; version=1.0.0; charset=utf-8; escaping=allow-utf-8", ExpositionWriter.Negotiate(Prometheus3, noOpenMetrics).ContentType);
        Assert.Equal(Text004, ExpositionWriter.Negotiate(Prometheus2, noOpenMetrics).ContentType);
        Assert.Equal(OpenMetrics100, ExpositionWriter.Negotiate(Prometheus2NativeHistograms, noProtobuf).ContentType);
    }

    [Fact]
    public void Same_header_with_different_options_is_not_served_from_the_cache()
    {
        Assert.Equal(ExpositionFormatKind.Protobuf, ExpositionWriter.Negotiate(Prometheus2NativeHistograms).Kind);
        Assert.Equal(ExpositionFormatKind.OpenMetricsText, ExpositionWriter.Negotiate(Prometheus2NativeHistograms, new ExpositionOptions { EnableProtobuf = false }).Kind);
        Assert.Equal(ExpositionFormatKind.Protobuf, ExpositionWriter.Negotiate(Prometheus2NativeHistograms).Kind);
    }

    [Theory]
    [InlineData("application/openmetrics-text", "application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores")]
    [InlineData("application/openmetrics-text;version=0.0.1", "application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores")]
    [InlineData("application/openmetrics-text; version=1.0.0; escaping=values", "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=values")]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=dots", "application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=dots")]
    [InlineData("text/plain", Text004)]
    [InlineData("text/plain;version=0.0.4", Text004)]
    [InlineData("text/plain;version=0.0.4;escaping=allow-utf-8", "text/plain; version=0.0.4; charset=utf-8; escaping=allow-utf-8")]
    [InlineData("text/plain;version=0.0.4; escaping=values;", "text/plain; version=0.0.4; charset=utf-8; escaping=values")]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited; escaping=allow-utf-8;", "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=allow-utf-8")]
    [InlineData("APPLICATION/OpenMetrics-Text; Version=1.0.0", OpenMetrics100)]
    [InlineData("text/plain;q=0.1,application/openmetrics-text;version=1.0.0;q=0.9", OpenMetrics100)]
    [InlineData("application/json,text/plain;version=0.0.4;q=0.5", Text004)]
    [InlineData("*/*;q=0.9,application/openmetrics-text;version=1.0.0;q=0.9", OpenMetrics100)]
    [InlineData("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.5", Text004)]
    public void Parameters_quality_and_order_pick_the_format(string accept, string contentType)
    {
        Assert.Equal(contentType, ExpositionWriter.Negotiate(accept).ContentType);
    }

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("gzip, deflate, br, zstd", true)]
    [InlineData("deflate, gzip;q=1.0, *;q=0.5", true)]
    [InlineData("GZIP", true)]
    [InlineData("x-gzip", true)]
    [InlineData("*", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0.000", false)]
    [InlineData("*;q=0.5, gzip;q=0", false)]
    [InlineData("identity", false)]
    [InlineData("br, deflate", false)]
    [InlineData("*;q=0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("gzip;q=nonsense", false)]
    [InlineData(",,;;", false)]
    public void AcceptsGzip_honours_quality_values(string? acceptEncoding, bool expected)
    {
        Assert.Equal(expected, ExpositionWriter.AcceptsGzip(acceptEncoding));
    }

    [Fact]
    public void Create_names_the_escaping_in_the_content_type()
    {
        Assert.Equal(Text004, ExpositionFormat.Create(ExpositionFormatKind.PrometheusText).ContentType);
        Assert.Same(ExpositionFormat.Default, ExpositionFormat.Create(ExpositionFormatKind.PrometheusText));
        Assert.Equal(OpenMetrics100Utf8, ExpositionFormat.Create(ExpositionFormatKind.OpenMetricsText, EscapingScheme.AllowUtf8).ContentType);
        Assert.Equal(ProtobufUnderscores, ExpositionFormat.Create(ExpositionFormatKind.Protobuf).ContentType);
    }
}
