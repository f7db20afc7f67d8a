using Instrumentation.Exposition;
using Instrumentation.Push;
using Instrumentation.Tests.Exposition;

namespace Instrumentation.Tests.Push;

/// <summary>
/// Pushes are protobuf by default (issue 11, item 16), as client_golang's are, so that native histogram buckets,
/// exemplars and creation times reach the gateway; text 0.0.4 is an option.
/// </summary>
public class PushFormatTests
{
    private static (PushGatewayClient Client, FakeGateway Gateway) Create(ExpositionFormatKind? format = null)
    {
        var fake = new FakeGateway();
        var client = format is { } kind
            ? new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("batch"), new HttpClient(fake)) { Format = kind }
            : new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("batch"), new HttpClient(fake));
        return (client, fake);
    }

    private static (Registry Registry, Histogram Latency) NativeRegistry()
    {
        var registry = new Registry();
        var latency = new Histogram(new HistogramOptions
        {
            Name = "batch_latency_seconds",
            Help = "Latency.",
            Buckets = [1],
            NativeHistogramBucketFactor = 1.1,
        });
        registry.MustRegister(latency);
        latency.ObserveWithExemplar(0.25, [new LabelPair("trace_id", "abc")]);
        latency.Observe(3);
        return (registry, latency);
    }

    [Fact]
    public void Default_format_is_protobuf()
    {
        var (client, _) = Create();

        Assert.Equal(ExpositionFormatKind.Protobuf, client.Format);
        Assert.Equal("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", client.ContentType);
    }

    [Fact]
    public async Task Push_sends_the_protobuf_encoding_of_the_gathered_families()
    {
        var (client, fake) = Create();
        var (registry, _) = NativeRegistry();

        await client.PushAsync(registry);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(PushGatewayClient.ProtobufContentType, request.ContentType);
        using var expected = new MemoryStream();
        ProtobufFormat.Write(expected, registry.Gather());
        Assert.Equal(expected.ToArray(), request.BodyBytes);
    }

    [Fact]
    public async Task Native_buckets_exemplars_and_created_timestamp_reach_the_gateway()
    {
        var (client, fake) = Create();
        var (registry, _) = NativeRegistry();

        await client.PushAsync(registry);

        var family = Assert.Single(ProtobufDecoder.DecodeDelimited(Assert.Single(fake.Requests).BodyBytes!));
        var histogram = family.Metrics.Single().Histogram!;
        Assert.Equal("batch_latency_seconds", family.Name);
        Assert.NotNull(histogram.Schema);
        Assert.Equal(2ul, histogram.Count);
        Assert.NotEmpty(histogram.PositiveDeltas);
        Assert.NotNull(histogram.Created);
        Assert.Contains(histogram.Buckets, b => b.Exemplar is { } e && e.Labels.Contains(new PbLabel("trace_id", "abc")));
    }

    [Fact]
    public async Task Text_format_can_be_chosen()
    {
        var (client, fake) = Create(ExpositionFormatKind.PrometheusText);
        var (registry, _) = NativeRegistry();

        await client.AddAsync(registry);

        var request = Assert.Single(fake.Requests);
        Assert.Equal(PushGatewayClient.TextContentType, request.ContentType);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", client.ContentType);
        Assert.Contains("batch_latency_seconds_count 2\n", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenMetrics_is_refused_as_a_push_format()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("batch")) { Format = ExpositionFormatKind.OpenMetricsText });

        Assert.Contains("OpenMetricsText", e.Message, StringComparison.Ordinal);
    }
}
