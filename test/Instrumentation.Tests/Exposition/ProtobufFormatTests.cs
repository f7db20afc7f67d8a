using System.Buffers;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class ProtobufFormatTests
{
    private static byte[] Encode(params MetricFamily[] families) => Encode(EscapingScheme.Underscores, families);

    private static byte[] Encode(EscapingScheme escaping, params MetricFamily[] families)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, families, ExpositionFormat.Create(ExpositionFormatKind.Protobuf, escaping));
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Gauge_encodes_to_the_exact_bytes_of_the_reference_encoding()
    {
        var bytes = Encode(Family("a", "", MetricType.Gauge, Point(1)));

        // varint length 20, name "a", help "", type GAUGE, metric { gauge { value 1.0 } }
        Assert.Equal(
            new byte[] { 0x14, 0x0A, 0x01, 0x61, 0x12, 0x00, 0x18, 0x01, 0x22, 0x0B, 0x12, 0x09, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F },
            bytes);
    }

    [Fact]
    public void Counter_round_trips_with_labels_exemplar_and_created_timestamp()
    {
        var point = Point(1027, ("code", "200"), ("method", "post"));
        point.CreatedSeconds = 1700000000.25;
        point.Exemplar = new Exemplar([new LabelPair("trace_id", "abc")], 0.5, 1700000001.5);

        var family = ProtobufDecoder.DecodeDelimited(Encode(Family("http_requests_total", "Requests.", MetricType.Counter, point))).Single();

        Assert.Equal("http_requests_total", family.Name);
        Assert.Equal("Requests.", family.Help);
        Assert.Equal(0, family.Type);
        var metric = family.Metrics.Single();
        Assert.Equal([new PbLabel("code", "200"), new PbLabel("method", "post")], metric.Labels);
        Assert.Equal(1027, metric.Counter!.Value);
        Assert.Equal(new PbTimestamp(1700000000, 250_000_000), metric.Counter.Created);
        Assert.Equal([new PbLabel("trace_id", "abc")], metric.Counter.Exemplar!.Labels);
        Assert.Equal(0.5, metric.Counter.Exemplar.Value);
        Assert.Equal(new PbTimestamp(1700000001, 500_000_000), metric.Counter.Exemplar.Timestamp);
        Assert.Null(metric.Gauge);
        Assert.Null(metric.TimestampMs);
    }

    [Fact]
    public void Histogram_round_trips_buckets_exemplars_and_created()
    {
        var point = new MetricPoint
        {
            Labels = Labels(("path", "/")),
            Buckets =
            [
                new Bucket(0.1, 1),
                new Bucket(1, 3, new Exemplar([new LabelPair("trace_id", "t1")], 0.7)),
                new Bucket(double.PositiveInfinity, 4),
            ],
            Sum = 2.5,
            Count = 4,
            CreatedSeconds = 1600000000,
        };

        var family = ProtobufDecoder.DecodeDelimited(Encode(Family("latency_seconds", "Latency.", MetricType.Histogram, point))).Single();

        Assert.Equal(4, family.Type);
        var histogram = family.Metrics.Single().Histogram!;
        Assert.Equal(4ul, histogram.Count);
        Assert.Equal(2.5, histogram.Sum);
        Assert.Equal([0.1, 1, double.PositiveInfinity], histogram.Buckets.Select(b => b.UpperBound!.Value));
        Assert.Equal([1ul, 3ul, 4ul], histogram.Buckets.Select(b => b.CumulativeCount!.Value));
        Assert.Equal("t1", histogram.Buckets[1].Exemplar!.Labels.Single().Value);
        Assert.Null(histogram.Buckets[1].Exemplar!.Timestamp);
        Assert.Null(histogram.Buckets[0].Exemplar);
        Assert.Equal(new PbTimestamp(1600000000, 0), histogram.Created);
    }

    [Fact]
    public void Summary_round_trips_quantiles()
    {
        var point = new MetricPoint
        {
            Quantiles = [new QuantileValue(0.5, 0.1), new QuantileValue(0.99, 0.9)],
            Sum = 10,
            Count = 100,
        };

        var family = ProtobufDecoder.DecodeDelimited(Encode(Family("rpc_seconds", "RPC.", MetricType.Summary, point))).Single();

        Assert.Equal(2, family.Type);
        var summary = family.Metrics.Single().Summary!;
        Assert.Equal(100ul, summary.Count);
        Assert.Equal(10, summary.Sum);
        Assert.Equal([(0.5, 0.1), (0.99, 0.9)], summary.Quantiles);
        Assert.Null(summary.Created);
    }

    [Fact]
    public void Untyped_gauge_histogram_info_and_stateset_map_onto_protobuf_types()
    {
        var gaugeHistogram = new MetricPoint { Buckets = [new Bucket(double.PositiveInfinity, 2)], Sum = 1, Count = 2 };
        var stateSet = new MetricPoint { Labels = Labels(("x", "y")), States = [new StateValue("on", true), new StateValue("off", false)] };

        var families = ProtobufDecoder.DecodeDelimited(Encode(
            Family("u", "U.", MetricType.Untyped, Point(-2)),
            Family("gh", "GH.", MetricType.GaugeHistogram, gaugeHistogram),
            Family("build_info", "Build.", MetricType.Info, Point(1, ("version", "1"))),
            Family("power", "P.", MetricType.StateSet, stateSet)));

        Assert.Equal(["u", "gh", "build_info", "power"], families.Select(f => f.Name));
        Assert.Equal([3, 5, 1, 1], families.Select(f => f.Type!.Value));
        Assert.Equal(-2, families[0].Metrics.Single().Untyped);
        Assert.Equal(2ul, families[1].Metrics.Single().Histogram!.Count);
        Assert.Equal(1, families[2].Metrics.Single().Gauge);
        Assert.Equal([new PbLabel("version", "1")], families[2].Metrics.Single().Labels);
        Assert.Equal(2, families[3].Metrics.Count);
        Assert.Equal([new PbLabel("x", "y"), new PbLabel("power", "on")], families[3].Metrics[0].Labels);
        Assert.Equal(1, families[3].Metrics[0].Gauge);
        Assert.Equal([new PbLabel("x", "y"), new PbLabel("power", "off")], families[3].Metrics[1].Labels);
        Assert.Equal(0, families[3].Metrics[1].Gauge);
    }

    [Fact]
    public void Timestamps_unit_and_unicode_round_trip()
    {
        var point = Point(double.NaN, ("text", "üñí😀\"\\\n"));
        point.TimestampMs = -1234;
        var other = Point(3);
        other.TimestampMs = 1395066363000;

        var family = ProtobufDecoder.DecodeDelimited(Encode(new MetricFamily("size_bytes", "Size ü.", MetricType.Gauge, [point, other], unit: "bytes"))).Single();

        Assert.Equal("bytes", family.Unit);
        Assert.Equal("Size ü.", family.Help);
        Assert.Equal("üñí😀\"\\\n", family.Metrics[0].Labels.Single().Value);
        Assert.True(double.IsNaN(family.Metrics[0].Gauge!.Value));
        Assert.Equal(-1234, family.Metrics[0].TimestampMs);
        Assert.Equal(1395066363000, family.Metrics[1].TimestampMs);
    }

    [Fact]
    public void Many_families_are_each_length_delimited_and_empty_families_skipped()
    {
        var families = Enumerable.Range(0, 300)
            .Select(i => Family("f" + i, new string('h', i), MetricType.Gauge, Enumerable.Range(0, i % 7).Select(j => Point(j, ("j", j.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray()))
            .ToArray();

        var decoded = ProtobufDecoder.DecodeDelimited(Encode(families));

        var expected = families.Where(f => f.Metrics.Count > 0).ToList();
        Assert.Equal(expected.Select(f => f.Name), decoded.Select(f => f.Name));
        Assert.Equal(expected.Select(f => f.Help), decoded.Select(f => f.Help));
        Assert.Equal(expected.Select(f => f.Metrics.Count), decoded.Select(f => f.Metrics.Count));
    }

    [Fact]
    public void Stream_output_equals_buffer_output()
    {
        var families = new[] { Family("x_total", "X.", MetricType.Counter, Enumerable.Range(0, 5000).Select(i => Point(i, ("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray()) };
        using var stream = new MemoryStream();

        ExpositionWriter.Write(stream, families, ExpositionFormat.Create(ExpositionFormatKind.Protobuf));

        Assert.Equal(Encode(families), stream.ToArray());
    }

    [Fact]
    public void Utf8_names_are_escaped_unless_allowed()
    {
        var family = Family("my.metric", "M.", MetricType.Gauge, Point(1, ("label.name", "v")));

        var escaped = ProtobufDecoder.DecodeDelimited(Encode(EscapingScheme.Underscores, family)).Single();
        var raw = ProtobufDecoder.DecodeDelimited(Encode(EscapingScheme.AllowUtf8, family)).Single();

        Assert.Equal("my_metric", escaped.Name);
        Assert.Equal("label_name", escaped.Metrics.Single().Labels.Single().Name);
        Assert.Equal("my.metric", raw.Name);
        Assert.Equal("label.name", raw.Metrics.Single().Labels.Single().Name);
    }

    [Fact]
    public void Public_writer_matches_the_facade()
    {
        var family = Family("x", "X.", MetricType.Gauge, Point(1));
        var buffer = new ArrayBufferWriter<byte>();

        ProtobufFormat.Write(buffer, [family]);

        Assert.Equal(Encode(family), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Stream_writer_matches_the_facade()
    {
        var family = Family("x", "X.", MetricType.Gauge, Point(1));
        using var stream = new MemoryStream();

        ProtobufFormat.Write(stream, [family]);

        Assert.Equal(Encode(family), stream.ToArray());
    }
}
