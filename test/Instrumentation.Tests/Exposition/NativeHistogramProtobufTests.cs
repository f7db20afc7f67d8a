using System.Buffers;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class NativeHistogramProtobufTests
{
    /// <summary>Writes the histogram's point as protobuf and decodes it back with Google.Protobuf.</summary>
    internal static PbHistogram RoundTrip(Histogram histogram)
    {
        var point = new MetricPoint();
        histogram.Write(point);
        var buffer = new ArrayBufferWriter<byte>();
        ProtobufFormat.Write(buffer, [Family("h", "H.", MetricType.Histogram, point)]);
        return ProtobufDecoder.DecodeDelimited(buffer.WrittenSpan.ToArray()).Single().Metrics.Single().Histogram!;
    }

    private static Histogram Native(double factor, double? zeroThreshold = null)
    {
        var options = new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 10], NativeHistogramBucketFactor = factor };
        if (zeroThreshold is { } threshold)
        {
            options.NativeHistogramZeroThreshold = threshold;
        }
        return new Histogram(options);
    }

    [Fact]
    public void Native_histogram_round_trips_schema_zero_bucket_spans_and_deltas()
    {
        var histogram = Native(2);
        foreach (var v in new[] { 1, 1, 2, 8, -1, 0 })
        {
            histogram.Observe(v);
        }

        var decoded = RoundTrip(histogram);

        Assert.Equal(0, decoded.Schema);
        Assert.Equal(Math.ScaleB(1, -128), decoded.ZeroThreshold);
        Assert.Equal(1UL, decoded.ZeroCount);
        // Buckets 0 (2 observations), 1 (1) and 3 (1): spans {0,2} and, after one empty bucket, {1,1}.
        Assert.Equal([new PbSpan(0, 2), new PbSpan(1, 1)], decoded.PositiveSpans);
        Assert.Equal([2L, -1, 0], decoded.PositiveDeltas);
        Assert.Equal([new PbSpan(0, 1)], decoded.NegativeSpans);
        Assert.Equal([1L], decoded.NegativeDeltas);
        Assert.Equal(6UL, decoded.Count);
        Assert.Equal(11.0, decoded.Sum);
        // The classic buckets are there too.
        Assert.Equal([4UL, 6, 6], decoded.Buckets.Select(b => b.CumulativeCount!.Value));
    }

    [Fact]
    public void Negative_indexes_and_gaps_become_span_offsets()
    {
        var histogram = Native(2);
        histogram.Observe(0.25); // bucket -2
        histogram.Observe(0.25);
        histogram.Observe(1);    // bucket 0
        histogram.Observe(1024); // bucket 10

        var decoded = RoundTrip(histogram);

        Assert.Equal([new PbSpan(-2, 1), new PbSpan(1, 1), new PbSpan(9, 1)], decoded.PositiveSpans);
        Assert.Equal([2L, -1, 0], decoded.PositiveDeltas);
        Assert.Empty(decoded.NegativeSpans);
        Assert.Empty(decoded.NegativeDeltas);
    }

    [Fact]
    public void Higher_schema_round_trips_with_its_indexes()
    {
        var histogram = Native(1.1); // schema 3
        histogram.Observe(1.1); // bucket 2
        histogram.Observe(2);   // bucket 8
        histogram.Observe(-0.5); // negative bucket -8

        var decoded = RoundTrip(histogram);

        Assert.Equal(3, decoded.Schema);
        Assert.Equal([new PbSpan(2, 1), new PbSpan(5, 1)], decoded.PositiveSpans);
        Assert.Equal([1L, 0], decoded.PositiveDeltas);
        Assert.Equal([new PbSpan(-8, 1)], decoded.NegativeSpans);
    }

    [Fact]
    public void Empty_native_histogram_with_zero_threshold_carries_an_empty_span()
    {
        var decoded = RoundTrip(Native(2, zeroThreshold: 0));

        Assert.Equal(0, decoded.Schema);
        Assert.Equal(0.0, decoded.ZeroThreshold);
        Assert.Equal(0UL, decoded.ZeroCount);
        Assert.Equal([new PbSpan(0, 0)], decoded.PositiveSpans);
        Assert.Empty(decoded.PositiveDeltas);
        Assert.Equal(0UL, decoded.Count);
    }

    [Fact]
    public void Empty_native_histogram_with_default_threshold_is_marked_by_its_threshold()
    {
        var decoded = RoundTrip(Native(1.5));

        Assert.Equal(1, decoded.Schema);
        Assert.Equal(Math.ScaleB(1, -128), decoded.ZeroThreshold);
        Assert.Empty(decoded.PositiveSpans);
    }

    [Fact]
    public void Classic_histogram_has_no_native_fields()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1] });
        histogram.Observe(0.5);

        var decoded = RoundTrip(histogram);

        Assert.Null(decoded.Schema);
        Assert.Null(decoded.ZeroThreshold);
        Assert.Empty(decoded.PositiveSpans);
    }

    [Fact]
    public void Text_and_OpenMetrics_output_of_a_native_histogram_stays_classic()
    {
        var native = Native(2);
        var classic = new Histogram(new HistogramOptions { Name = "h", Help = "H.", Buckets = [1, 10] });
        foreach (var v in new[] { 0.5, 3, 30 })
        {
            native.Observe(v);
            classic.Observe(v);
        }
        string Format(Histogram histogram, ExpositionFormatKind kind)
        {
            var point = new MetricPoint();
            histogram.Write(point);
            point.CreatedSeconds = null;
            var buffer = new ArrayBufferWriter<byte>();
            ExpositionWriter.Write(buffer, [Family("h", "H.", MetricType.Histogram, point)], ExpositionFormat.Create(kind, EscapingScheme.Underscores));
            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        Assert.Equal(Format(classic, ExpositionFormatKind.PrometheusText), Format(native, ExpositionFormatKind.PrometheusText));
        Assert.Equal(Format(classic, ExpositionFormatKind.OpenMetricsText), Format(native, ExpositionFormatKind.OpenMetricsText));
    }
}
