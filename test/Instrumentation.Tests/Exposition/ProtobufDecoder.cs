using Google.Protobuf;

namespace Instrumentation.Tests.Exposition;

// A decoder for the metrics.proto messages written from the field numbers of Prometheus' io.prometheus.client
// package, on top of Google.Protobuf's wire reader. Unknown fields fail the test: they mean a wrong field number.
internal sealed record PbLabel(string Name, string Value);

internal sealed record PbTimestamp(long Seconds, int Nanos);

internal sealed class PbExemplar
{
    public List<PbLabel> Labels { get; } = [];
    public double Value { get; set; }
    public PbTimestamp? Timestamp { get; set; }
}

internal sealed class PbCounter
{
    public double? Value { get; set; }
    public PbExemplar? Exemplar { get; set; }
    public PbTimestamp? Created { get; set; }
}

internal sealed class PbSummary
{
    public ulong? Count { get; set; }
    public double? Sum { get; set; }
    public List<(double Quantile, double Value)> Quantiles { get; } = [];
    public PbTimestamp? Created { get; set; }
}

internal sealed class PbBucket
{
    public ulong? CumulativeCount { get; set; }
    public double? UpperBound { get; set; }
    public PbExemplar? Exemplar { get; set; }
}

internal sealed class PbHistogram
{
    public ulong? Count { get; set; }
    public double? Sum { get; set; }
    public List<PbBucket> Buckets { get; } = [];
    public PbTimestamp? Created { get; set; }
    public int? Schema { get; set; }
    public double? ZeroThreshold { get; set; }
    public ulong? ZeroCount { get; set; }
    public List<PbSpan> NegativeSpans { get; } = [];
    public List<long> NegativeDeltas { get; } = [];
    public List<PbSpan> PositiveSpans { get; } = [];
    public List<long> PositiveDeltas { get; } = [];
}

internal sealed record PbSpan(int Offset, uint Length);

internal sealed class PbMetric
{
    public List<PbLabel> Labels { get; } = [];
    public double? Gauge { get; set; }
    public PbCounter? Counter { get; set; }
    public PbSummary? Summary { get; set; }
    public double? Untyped { get; set; }
    public PbHistogram? Histogram { get; set; }
    public long? TimestampMs { get; set; }
}

internal sealed class PbFamily
{
    public string? Name { get; set; }
    public string? Help { get; set; }
    public int? Type { get; set; }
    public string? Unit { get; set; }
    public List<PbMetric> Metrics { get; } = [];
}

internal static class ProtobufDecoder
{
    public static List<PbFamily> DecodeDelimited(byte[] data)
    {
        var input = new CodedInputStream(data);
        var families = new List<PbFamily>();
        while (!input.IsAtEnd)
        {
            families.Add(Family(input.ReadBytes()));
        }
        return families;
    }

    private static PbFamily Family(ByteString bytes)
    {
        var family = new PbFamily();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: family.Name = input.ReadString(); break;
                case 2: family.Help = input.ReadString(); break;
                case 3: family.Type = input.ReadEnum(); break;
                case 4: family.Metrics.Add(Metric(input.ReadBytes())); break;
                case 5: family.Unit = input.ReadString(); break;
                default: return false;
            }
            return true;
        });
        return family;
    }

    private static PbMetric Metric(ByteString bytes)
    {
        var metric = new PbMetric();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: metric.Labels.Add(Label(input.ReadBytes())); break;
                case 2: metric.Gauge = SingleDouble(input.ReadBytes()); break;
                case 3: metric.Counter = Counter(input.ReadBytes()); break;
                case 4: metric.Summary = Summary(input.ReadBytes()); break;
                case 5: metric.Untyped = SingleDouble(input.ReadBytes()); break;
                case 6: metric.TimestampMs = input.ReadInt64(); break;
                case 7: metric.Histogram = Histogram(input.ReadBytes()); break;
                default: return false;
            }
            return true;
        });
        return metric;
    }

    private static PbLabel Label(ByteString bytes)
    {
        string? name = null, value = null;
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: name = input.ReadString(); break;
                case 2: value = input.ReadString(); break;
                default: return false;
            }
            return true;
        });
        return new PbLabel(name!, value!);
    }

    private static double? SingleDouble(ByteString bytes)
    {
        double? value = null;
        Read(bytes, (field, input) =>
        {
            if (field != 1)
            {
                return false;
            }
            value = input.ReadDouble();
            return true;
        });
        return value;
    }

    private static PbCounter Counter(ByteString bytes)
    {
        var counter = new PbCounter();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: counter.Value = input.ReadDouble(); break;
                case 2: counter.Exemplar = Exemplar(input.ReadBytes()); break;
                case 3: counter.Created = Timestamp(input.ReadBytes()); break;
                default: return false;
            }
            return true;
        });
        return counter;
    }

    private static PbSummary Summary(ByteString bytes)
    {
        var summary = new PbSummary();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: summary.Count = input.ReadUInt64(); break;
                case 2: summary.Sum = input.ReadDouble(); break;
                case 3:
                    double quantile = 0, value = 0;
                    Read(input.ReadBytes(), (f, q) =>
                    {
                        switch (f)
                        {
                            case 1: quantile = q.ReadDouble(); break;
                            case 2: value = q.ReadDouble(); break;
                            default: return false;
                        }
                        return true;
                    });
                    summary.Quantiles.Add((quantile, value));
                    break;
                case 4: summary.Created = Timestamp(input.ReadBytes()); break;
                default: return false;
            }
            return true;
        });
        return summary;
    }

    private static PbHistogram Histogram(ByteString bytes)
    {
        var histogram = new PbHistogram();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: histogram.Count = input.ReadUInt64(); break;
                case 2: histogram.Sum = input.ReadDouble(); break;
                case 3: histogram.Buckets.Add(Bucket(input.ReadBytes())); break;
                case 15: histogram.Created = Timestamp(input.ReadBytes()); break;
                case 5: histogram.Schema = input.ReadSInt32(); break;
                case 6: histogram.ZeroThreshold = input.ReadDouble(); break;
                case 7: histogram.ZeroCount = input.ReadUInt64(); break;
                case 9: histogram.NegativeSpans.Add(Span(input.ReadBytes())); break;
                case 10: histogram.NegativeDeltas.AddRange(PackedSInt64(input.ReadBytes())); break;
                case 12: histogram.PositiveSpans.Add(Span(input.ReadBytes())); break;
                case 13: histogram.PositiveDeltas.AddRange(PackedSInt64(input.ReadBytes())); break;
                default: return false;
            }
            return true;
        });
        return histogram;
    }

    private static PbSpan Span(ByteString bytes)
    {
        int? offset = null;
        uint? length = null;
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: offset = input.ReadSInt32(); break;
                case 2: length = input.ReadUInt32(); break;
                default: return false;
            }
            return true;
        });
        return new PbSpan(offset ?? throw new InvalidDataException("BucketSpan without offset."), length ?? throw new InvalidDataException("BucketSpan without length."));
    }

    private static List<long> PackedSInt64(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        var values = new List<long>();
        while (!input.IsAtEnd)
        {
            values.Add(input.ReadSInt64());
        }
        return values;
    }

    private static PbBucket Bucket(ByteString bytes)
    {
        var bucket = new PbBucket();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: bucket.CumulativeCount = input.ReadUInt64(); break;
                case 2: bucket.UpperBound = input.ReadDouble(); break;
                case 3: bucket.Exemplar = Exemplar(input.ReadBytes()); break;
                default: return false;
            }
            return true;
        });
        return bucket;
    }

    private static PbExemplar Exemplar(ByteString bytes)
    {
        var exemplar = new PbExemplar();
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: exemplar.Labels.Add(Label(input.ReadBytes())); break;
                case 2: exemplar.Value = input.ReadDouble(); break;
                case 3: exemplar.Timestamp = Timestamp(input.ReadBytes()); break;
                default: return false;
            }
            return true;
        });
        return exemplar;
    }

    private static PbTimestamp Timestamp(ByteString bytes)
    {
        long seconds = 0;
        var nanos = 0;
        Read(bytes, (field, input) =>
        {
            switch (field)
            {
                case 1: seconds = input.ReadInt64(); break;
                case 2: nanos = input.ReadInt32(); break;
                default: return false;
            }
            return true;
        });
        return new PbTimestamp(seconds, nanos);
    }

    private static void Read(ByteString bytes, Func<int, CodedInputStream, bool> readField)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            if (!readField(field, input))
            {
                throw new InvalidDataException($"Unexpected field {field} (wire type {WireFormat.GetTagWireType(tag)}).");
            }
        }
    }
}
