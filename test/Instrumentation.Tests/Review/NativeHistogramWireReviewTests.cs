using System.Buffers;
using Google.Protobuf;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Review;

/// <summary>
/// Decodes the native fields with Google.Protobuf's CodedInputStream and the field numbers and types of
/// io.prometheus.client metrics.proto, independently of the project's own test decoder.
/// </summary>
public class NativeHistogramWireReviewTests
{
    private sealed class Native
    {
        public int? Schema;
        public double? ZeroThreshold;
        public ulong? ZeroCount;
        public ulong? Count;
        public readonly List<(int Offset, uint Length)> PositiveSpans = [], NegativeSpans = [];
        public readonly List<long> PositiveDeltas = [], NegativeDeltas = [];
    }

    private static Native Decode(Histogram histogram)
    {
        var point = new MetricPoint();
        histogram.Write(point);
        var buffer = new ArrayBufferWriter<byte>();
        ProtobufFormat.Write(buffer, [Family("h", "H.", MetricType.Histogram, point)]);
        var stream = new CodedInputStream(buffer.WrittenSpan.ToArray());
        var family = ByteString.CopyFrom(stream.ReadBytes().Span); // length-delimited MetricFamily
        Assert.True(stream.IsAtEnd);
        ByteString? metric = null;
        var fs = family.CreateCodedInput();
        uint tag;
        while ((tag = fs.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 4) { metric = fs.ReadBytes(); } else { fs.SkipLastField(); }
        }
        ByteString? hist = null;
        var ms = metric!.CreateCodedInput();
        while ((tag = ms.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 7) { hist = ms.ReadBytes(); } else { ms.SkipLastField(); }
        }
        var result = new Native();
        var hs = hist!.CreateCodedInput();
        while ((tag = hs.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            var wire = WireFormat.GetTagWireType(tag);
            switch (field)
            {
                case 1: Assert.Equal(WireFormat.WireType.Varint, wire); result.Count = hs.ReadUInt64(); break;
                case 5: Assert.Equal(WireFormat.WireType.Varint, wire); result.Schema = hs.ReadSInt32(); break;
                case 6: Assert.Equal(WireFormat.WireType.Fixed64, wire); result.ZeroThreshold = hs.ReadDouble(); break;
                case 7: Assert.Equal(WireFormat.WireType.Varint, wire); result.ZeroCount = hs.ReadUInt64(); break;
                case 9: result.NegativeSpans.Add(ReadSpan(hs.ReadBytes())); break;
                case 12: result.PositiveSpans.Add(ReadSpan(hs.ReadBytes())); break;
                case 10: ReadPacked(hs, wire, result.NegativeDeltas); break;
                case 13: ReadPacked(hs, wire, result.PositiveDeltas); break;
                default: hs.SkipLastField(); break;
            }
        }
        return result;
    }

    private static (int, uint) ReadSpan(ByteString bytes)
    {
        int? offset = null;
        uint? length = null;
        var s = bytes.CreateCodedInput();
        uint tag;
        while ((tag = s.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: offset = s.ReadSInt32(); break;
                case 2: length = s.ReadUInt32(); break;
                default: s.SkipLastField(); break;
            }
        }
        return (offset ?? 0, length ?? 0);
    }

    private static void ReadPacked(CodedInputStream s, WireFormat.WireType wire, List<long> into)
    {
        // Packed repeated sint64: one length-delimited field of zigzag varints.
        Assert.Equal(WireFormat.WireType.LengthDelimited, wire);
        var packed = s.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd)
        {
            into.Add(packed.ReadSInt64());
        }
    }

    [Fact]
    public void Native_fields_decode_with_Google_Protobuf_and_the_client_model_field_numbers()
    {
        var histogram = new Histogram(new HistogramOptions { Name = "h", Help = "H.", NativeHistogramBucketFactor = 4 }); // schema -1
        foreach (var v in new[] { 0.01, 0.01, 0.01, 1, 3, 100, 0, -5, -5, -1e6 })
        {
            histogram.Observe(v);
        }

        var decoded = Decode(histogram);

        Assert.Equal(-1, decoded.Schema);
        Assert.Equal(Math.ScaleB(1, -128), decoded.ZeroThreshold);
        Assert.Equal(1UL, decoded.ZeroCount);
        Assert.Equal(10UL, decoded.Count);
        // schema -1 (base 4): 0.01 -> ceil(log4 0.01) = -3; 1 -> 0; 3 -> 1; 100 -> 4.
        Assert.Equal([(-3, 1u), (2, 2u), (2, 1u)], decoded.PositiveSpans);
        Assert.Equal([3L, -2, 0, 0], decoded.PositiveDeltas);
        // 5 -> 2; 1e6 -> ceil(log4 1e6) = 10.
        Assert.Equal([(2, 1u), (7, 1u)], decoded.NegativeSpans);
        Assert.Equal([2L, -1], decoded.NegativeDeltas);
    }

    [Fact]
    public void Empty_native_histogram_with_zero_threshold_zero_has_exactly_one_no_op_span()
    {
        var histogram = new Histogram(new HistogramOptions
        {
            Name = "h", Help = "H.", NativeHistogramBucketFactor = 1.1, NativeHistogramZeroThreshold = 0,
        });

        var decoded = Decode(histogram);

        Assert.Equal(3, decoded.Schema);
        Assert.Equal([(0, 0u)], decoded.PositiveSpans);
        Assert.Empty(decoded.PositiveDeltas);
        Assert.Empty(decoded.NegativeSpans);
    }
}
