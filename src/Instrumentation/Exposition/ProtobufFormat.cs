using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Instrumentation.Exposition;

/// <summary>
/// The Prometheus protobuf exposition format: each family as an <c>io.prometheus.client.MetricFamily</c> message
/// (field numbers of Prometheus' <c>metrics.proto</c>), preceded by its length as a varint
/// (<c>application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited</c>).
/// </summary>
/// <remarks>
/// <para>Encoded by hand so that the core stays free of package dependencies: every message's size is computed first
/// (length prefixes come before the content), then the bytes are written straight into the output buffer.</para>
/// <para>Mapping: counters keep their <c>_total</c> name and carry their exemplar and created timestamp; histograms and
/// summaries carry bucket exemplars and created timestamps; gauge histograms use <c>GAUGE_HISTOGRAM</c>; info families
/// become a <c>GAUGE</c> of value 1 named <c>&lt;base&gt;_info</c> as in the text formats (<c>_info</c> appended unless the
/// family name ends in it) and statesets a <c>GAUGE</c> with one metric per state labelled with the family
/// name (the protobuf format has no such types). Families without series are skipped.</para>
/// <para>Native histograms (<see cref="MetricPoint.NativeSchema"/> set) carry their classic buckets and, in the same
/// message, the schema, zero threshold, zero count and the positive and negative buckets as spans of consecutive
/// indexes with packed count deltas. One with no bucket, no zero threshold and no zero count gets an empty positive
/// span, as in the reference client, so that it is still recognisable as native.</para>
/// </remarks>
public static class ProtobufFormat
{
    /// <summary>The Content-Type of this format (without an <c>escaping</c> parameter).</summary>
    public const string ContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    // metrics.proto field numbers.
    private const int FamilyName = 1, FamilyHelp = 2, FamilyType = 3, FamilyMetric = 4, FamilyUnit = 5;
    private const int MetricGauge = 2, MetricCounter = 3, MetricSummary = 4, MetricUntyped = 5, MetricTimestampMs = 6, MetricHistogram = 7;
    private const int CounterValue = 1, CounterExemplar = 2, CounterCreated = 3;
    private const int SummaryCount = 1, SummarySum = 2, SummaryQuantile = 3, SummaryCreated = 4;
    private const int QuantileRank = 1, QuantileValueField = 2;
    private const int HistogramCount = 1, HistogramSum = 2, HistogramBucket = 3, HistogramCreated = 15;
    private const int HistogramSchema = 5, HistogramZeroThreshold = 6, HistogramZeroCount = 7;
    private const int HistogramNegativeSpan = 9, HistogramNegativeDelta = 10, HistogramPositiveSpan = 12, HistogramPositiveDelta = 13;
    private const int SpanOffset = 1, SpanLength = 2;
    private const int BucketCount = 1, BucketUpperBound = 2, BucketExemplar = 3;
    private const int ExemplarLabel = 1, ExemplarValue = 2, ExemplarTimestamp = 3;
    private const int TimestampSeconds = 1, TimestampNanos = 2;

    // metrics.proto MetricType values.
    private const int TypeCounter = 0, TypeGauge = 1, TypeSummary = 2, TypeUntyped = 3, TypeHistogram = 4, TypeGaugeHistogram = 5;

    private const int WireVarint = 0, WireFixed64 = 1, WireLength = 2;

    /// <summary>Writes <paramref name="families"/> as length-delimited <c>MetricFamily</c> messages.</summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        Write(writer, families, EscapingScheme.Underscores);
    }

    /// <summary>Writes <paramref name="families"/> to <paramref name="stream"/> as length-delimited <c>MetricFamily</c> messages.</summary>
    public static void Write(Stream stream, IReadOnlyList<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(families);
        using var buffer = new StreamBufferWriter(stream);
        Write(buffer, families, EscapingScheme.Underscores);
        buffer.Flush();
    }

    internal static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, EscapingScheme scheme)
    {
        var output = new Utf8Output(writer);
        for (var i = 0; i < families.Count; i++)
        {
            var family = families[i];
            if (family.Metrics.Count == 0)
            {
                continue;
            }
            var context = new FamilyContext(family, scheme);
            WriteVarint(ref output, (ulong)FamilySize(context));
            WriteFamily(ref output, context);
        }
        output.Flush();
    }

    /// <summary>Everything about a family that every metric's encoding needs, computed once.</summary>
    private readonly struct FamilyContext
    {
        public FamilyContext(MetricFamily family, EscapingScheme scheme)
        {
            Family = family;
            Scheme = scheme;
            Name = NameEscaping.EscapeMetricName(family.Name, scheme);
            // An info family is a gauge named as its text samples are: <base>_info (see MetricName.InfoSuffixOf).
            NameSuffix = family.Type == MetricType.Info && !Name.EndsWith(MetricName.InfoSuffixText, StringComparison.Ordinal)
                ? MetricName.InfoSuffixText
                : "";
            StateLabel = family.Type == MetricType.StateSet ? NameEscaping.EscapeLabelName(family.Name, scheme) : "";
            Type = family.Type switch
            {
                MetricType.Counter => TypeCounter,
                MetricType.Summary => TypeSummary,
                MetricType.Untyped => TypeUntyped,
                MetricType.Histogram => TypeHistogram,
                MetricType.GaugeHistogram => TypeGaugeHistogram,
                _ => TypeGauge,
            };
        }

        public MetricFamily Family { get; }

        public EscapingScheme Scheme { get; }

        public string Name { get; }

        /// <summary>Written right after <see cref="Name"/> (<c>_info</c> for an info family not named so).</summary>
        public string NameSuffix { get; }

        public string StateLabel { get; }

        public int Type { get; }
    }

    // ---- MetricFamily ----

    private static int FamilySize(in FamilyContext context)
    {
        var family = context.Family;
        var size = LengthFieldSize(FamilyName, Utf8Length(context.Name) + context.NameSuffix.Length) + StringFieldSize(FamilyHelp, family.Help) + VarintFieldSize(FamilyType, (ulong)context.Type);
        for (var p = 0; p < family.Metrics.Count; p++)
        {
            var point = family.Metrics[p];
            if (family.Type == MetricType.StateSet)
            {
                foreach (var state in point.States)
                {
                    size += LengthFieldSize(FamilyMetric, StateMetricSize(context, point, state));
                }
            }
            else
            {
                size += LengthFieldSize(FamilyMetric, MetricSize(context, point));
            }
        }
        if (family.Unit is { Length: > 0 } unit)
        {
            size += StringFieldSize(FamilyUnit, unit);
        }
        return size;
    }

    private static void WriteFamily(ref Utf8Output output, in FamilyContext context)
    {
        var family = context.Family;
        WriteTag(ref output, FamilyName, WireLength);
        WriteVarint(ref output, (ulong)(Utf8Length(context.Name) + context.NameSuffix.Length));
        output.WriteUtf8(context.Name);
        output.WriteUtf8(context.NameSuffix);
        WriteStringField(ref output, FamilyHelp, family.Help);
        WriteVarintField(ref output, FamilyType, (ulong)context.Type);
        for (var p = 0; p < family.Metrics.Count; p++)
        {
            var point = family.Metrics[p];
            if (family.Type == MetricType.StateSet)
            {
                foreach (var state in point.States)
                {
                    WriteTag(ref output, FamilyMetric, WireLength);
                    WriteVarint(ref output, (ulong)StateMetricSize(context, point, state));
                    WriteStateMetric(ref output, context, point, state);
                }
            }
            else
            {
                WriteTag(ref output, FamilyMetric, WireLength);
                WriteVarint(ref output, (ulong)MetricSize(context, point));
                WriteMetric(ref output, context, point);
            }
        }
        if (family.Unit is { Length: > 0 } unit)
        {
            WriteStringField(ref output, FamilyUnit, unit);
        }
    }

    // ---- Metric ----

    private static int MetricSize(in FamilyContext context, MetricPoint point)
    {
        var size = LabelEncoding.GetProtobuf(point, context.Scheme).Length;
        switch (context.Family.Type)
        {
            case MetricType.Counter:
                size += LengthFieldSize(MetricCounter, CounterSize(point, context.Scheme));
                break;
            case MetricType.Summary:
                size += LengthFieldSize(MetricSummary, SummarySize(point));
                break;
            case MetricType.Untyped:
                size += LengthFieldSize(MetricUntyped, DoubleFieldSize);
                break;
            case MetricType.Histogram:
            case MetricType.GaugeHistogram:
                size += LengthFieldSize(MetricHistogram, HistogramSize(point, context.Scheme));
                break;
            default:
                size += LengthFieldSize(MetricGauge, DoubleFieldSize);
                break;
        }
        if (point.TimestampMs is { } timestamp)
        {
            size += VarintFieldSize(MetricTimestampMs, (ulong)timestamp);
        }
        return size;
    }

    private static void WriteMetric(ref Utf8Output output, in FamilyContext context, MetricPoint point)
    {
        output.Write(LabelEncoding.GetProtobuf(point, context.Scheme));
        switch (context.Family.Type)
        {
            case MetricType.Counter:
                WriteTag(ref output, MetricCounter, WireLength);
                WriteVarint(ref output, (ulong)CounterSize(point, context.Scheme));
                WriteDoubleField(ref output, CounterValue, point.Value);
                if (point.Exemplar is { } exemplar)
                {
                    WriteExemplarField(ref output, CounterExemplar, exemplar, context.Scheme);
                }
                if (point.CreatedSeconds is { } created)
                {
                    WriteTimestampField(ref output, CounterCreated, created);
                }
                break;
            case MetricType.Summary:
                WriteTag(ref output, MetricSummary, WireLength);
                WriteVarint(ref output, (ulong)SummarySize(point));
                WriteVarintField(ref output, SummaryCount, point.Count);
                WriteDoubleField(ref output, SummarySum, point.Sum);
                foreach (var quantile in point.Quantiles)
                {
                    WriteTag(ref output, SummaryQuantile, WireLength);
                    WriteVarint(ref output, 2 * DoubleFieldSize);
                    WriteDoubleField(ref output, QuantileRank, quantile.Quantile);
                    WriteDoubleField(ref output, QuantileValueField, quantile.Value);
                }
                if (point.CreatedSeconds is { } summaryCreated)
                {
                    WriteTimestampField(ref output, SummaryCreated, summaryCreated);
                }
                break;
            case MetricType.Untyped:
                WriteTag(ref output, MetricUntyped, WireLength);
                WriteVarint(ref output, DoubleFieldSize);
                WriteDoubleField(ref output, 1, point.Value);
                break;
            case MetricType.Histogram:
            case MetricType.GaugeHistogram:
                WriteTag(ref output, MetricHistogram, WireLength);
                WriteVarint(ref output, (ulong)HistogramSize(point, context.Scheme));
                WriteVarintField(ref output, HistogramCount, point.Count);
                WriteDoubleField(ref output, HistogramSum, point.Sum);
                foreach (var bucket in point.Buckets)
                {
                    WriteTag(ref output, HistogramBucket, WireLength);
                    WriteVarint(ref output, (ulong)BucketSize(bucket, context.Scheme));
                    WriteVarintField(ref output, BucketCount, bucket.CumulativeCount);
                    WriteDoubleField(ref output, BucketUpperBound, bucket.UpperBound);
                    if (bucket.Exemplar is { } bucketExemplar)
                    {
                        WriteExemplarField(ref output, BucketExemplar, bucketExemplar, context.Scheme);
                    }
                }
                if (point.NativeSchema is { } schema)
                {
                    WriteNative(ref output, point, schema);
                }
                if (point.CreatedSeconds is { } histogramCreated)
                {
                    WriteTimestampField(ref output, HistogramCreated, histogramCreated);
                }
                break;
            default:
                WriteTag(ref output, MetricGauge, WireLength);
                WriteVarint(ref output, DoubleFieldSize);
                WriteDoubleField(ref output, 1, context.Family.Type == MetricType.Info ? 1 : point.Value);
                break;
        }
        if (point.TimestampMs is { } timestamp)
        {
            WriteVarintField(ref output, MetricTimestampMs, (ulong)timestamp);
        }
    }

    private static int StateMetricSize(in FamilyContext context, MetricPoint point, StateValue state)
    {
        var size = LabelEncoding.GetProtobuf(point, context.Scheme).Length
            + LengthFieldSize(1, LabelPairSize(context.StateLabel, state.Name))
            + LengthFieldSize(MetricGauge, DoubleFieldSize);
        if (point.TimestampMs is { } timestamp)
        {
            size += VarintFieldSize(MetricTimestampMs, (ulong)timestamp);
        }
        return size;
    }

    private static void WriteStateMetric(ref Utf8Output output, in FamilyContext context, MetricPoint point, StateValue state)
    {
        output.Write(LabelEncoding.GetProtobuf(point, context.Scheme));
        WriteLabelPair(ref output, 1, context.StateLabel, state.Name);
        WriteTag(ref output, MetricGauge, WireLength);
        WriteVarint(ref output, DoubleFieldSize);
        WriteDoubleField(ref output, 1, state.Enabled ? 1 : 0);
        if (point.TimestampMs is { } timestamp)
        {
            WriteVarintField(ref output, MetricTimestampMs, (ulong)timestamp);
        }
    }

    // ---- Counter, Summary, Histogram, Bucket, Exemplar, Timestamp ----

    private static int CounterSize(MetricPoint point, EscapingScheme scheme)
    {
        var size = DoubleFieldSize;
        if (point.Exemplar is { } exemplar)
        {
            size += LengthFieldSize(CounterExemplar, ExemplarSize(exemplar, scheme));
        }
        if (point.CreatedSeconds is { } created)
        {
            size += LengthFieldSize(CounterCreated, TimestampSize(created));
        }
        return size;
    }

    private static int SummarySize(MetricPoint point)
    {
        var size = VarintFieldSize(SummaryCount, point.Count) + DoubleFieldSize;
        size += point.Quantiles.Length * LengthFieldSize(SummaryQuantile, 2 * DoubleFieldSize);
        if (point.CreatedSeconds is { } created)
        {
            size += LengthFieldSize(SummaryCreated, TimestampSize(created));
        }
        return size;
    }

    private static int HistogramSize(MetricPoint point, EscapingScheme scheme)
    {
        var size = VarintFieldSize(HistogramCount, point.Count) + DoubleFieldSize;
        foreach (var bucket in point.Buckets)
        {
            size += LengthFieldSize(HistogramBucket, BucketSize(bucket, scheme));
        }
        if (point.NativeSchema is { } schema)
        {
            size += NativeSize(point, schema);
        }
        if (point.CreatedSeconds is { } created)
        {
            size += LengthFieldSize(HistogramCreated, TimestampSize(created));
        }
        return size;
    }

    // ---- Native histogram fields ----

    /// <summary>Whether the point needs the empty span that marks a native histogram with nothing else to show it.</summary>
    private static bool NeedsEmptySpan(MetricPoint point) =>
        point.PositiveBuckets.Length == 0 && point.NegativeBuckets.Length == 0 && point.NativeZeroThreshold == 0 && point.NativeZeroCount == 0;

    private static int NativeSize(MetricPoint point, int schema)
    {
        var size = VarintFieldSize(HistogramSchema, ZigZag(schema)) + DoubleFieldSize + VarintFieldSize(HistogramZeroCount, point.NativeZeroCount);
        size += SpansSize(point.NegativeBuckets, HistogramNegativeSpan) + DeltasFieldSize(point.NegativeBuckets, HistogramNegativeDelta);
        size += SpansSize(point.PositiveBuckets, HistogramPositiveSpan) + DeltasFieldSize(point.PositiveBuckets, HistogramPositiveDelta);
        if (NeedsEmptySpan(point))
        {
            size += LengthFieldSize(HistogramPositiveSpan, SpanSize(0, 0));
        }
        return size;
    }

    private static void WriteNative(ref Utf8Output output, MetricPoint point, int schema)
    {
        WriteVarintField(ref output, HistogramSchema, ZigZag(schema));
        WriteDoubleField(ref output, HistogramZeroThreshold, point.NativeZeroThreshold);
        WriteVarintField(ref output, HistogramZeroCount, point.NativeZeroCount);
        WriteSpans(ref output, point.NegativeBuckets, HistogramNegativeSpan);
        WriteDeltas(ref output, point.NegativeBuckets, HistogramNegativeDelta);
        if (NeedsEmptySpan(point))
        {
            WriteSpan(ref output, HistogramPositiveSpan, 0, 0);
        }
        WriteSpans(ref output, point.PositiveBuckets, HistogramPositiveSpan);
        WriteDeltas(ref output, point.PositiveBuckets, HistogramPositiveDelta);
    }

    /// <summary>The size of one BucketSpan field per run of consecutive indexes in <paramref name="buckets"/>.</summary>
    private static int SpansSize(NativeBucket[] buckets, int field)
    {
        var size = 0;
        var start = 0;
        while (NextSpan(buckets, ref start, out var offset, out var length))
        {
            size += LengthFieldSize(field, SpanSize(offset, length));
        }
        return size;
    }

    private static void WriteSpans(ref Utf8Output output, NativeBucket[] buckets, int field)
    {
        var start = 0;
        while (NextSpan(buckets, ref start, out var offset, out var length))
        {
            WriteSpan(ref output, field, offset, length);
        }
    }

    /// <summary>
    /// The span starting at bucket <paramref name="start"/> (moved past it): its offset — the first index for the first
    /// span, else the number of empty buckets since the previous span — and its number of consecutive indexes.
    /// </summary>
    private static bool NextSpan(NativeBucket[] buckets, ref int start, out int offset, out int length)
    {
        if (start >= buckets.Length)
        {
            offset = length = 0;
            return false;
        }
        offset = start == 0 ? buckets[0].Index : (int)((long)buckets[start].Index - buckets[start - 1].Index - 1);
        var end = start + 1;
        while (end < buckets.Length && (long)buckets[end].Index == (long)buckets[end - 1].Index + 1)
        {
            end++;
        }
        length = end - start;
        start = end;
        return true;
    }

    private static int SpanSize(int offset, int length) =>
        VarintFieldSize(SpanOffset, ZigZag(offset)) + VarintFieldSize(SpanLength, (ulong)length);

    private static void WriteSpan(ref Utf8Output output, int field, int offset, int length)
    {
        // BucketSpan is proto2: both fields are written, zeros included.
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)SpanSize(offset, length));
        WriteVarintField(ref output, SpanOffset, ZigZag(offset));
        WriteVarintField(ref output, SpanLength, (ulong)length);
    }

    /// <summary>The size of the packed deltas field: each bucket's count minus the previous bucket's (the first minus 0).</summary>
    private static int DeltasFieldSize(NativeBucket[] buckets, int field) =>
        buckets.Length == 0 ? 0 : LengthFieldSize(field, DeltasSize(buckets));

    private static int DeltasSize(NativeBucket[] buckets)
    {
        var size = 0;
        long previous = 0;
        foreach (var bucket in buckets)
        {
            size += VarintSize(ZigZag((long)bucket.Count - previous));
            previous = (long)bucket.Count;
        }
        return size;
    }

    private static void WriteDeltas(ref Utf8Output output, NativeBucket[] buckets, int field)
    {
        if (buckets.Length == 0)
        {
            return;
        }
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)DeltasSize(buckets));
        long previous = 0;
        foreach (var bucket in buckets)
        {
            WriteVarint(ref output, ZigZag((long)bucket.Count - previous));
            previous = (long)bucket.Count;
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static int BucketSize(Bucket bucket, EscapingScheme scheme)
    {
        var size = VarintFieldSize(BucketCount, bucket.CumulativeCount) + DoubleFieldSize;
        if (bucket.Exemplar is { } exemplar)
        {
            size += LengthFieldSize(BucketExemplar, ExemplarSize(exemplar, scheme));
        }
        return size;
    }

    private static int ExemplarSize(Exemplar exemplar, EscapingScheme scheme)
    {
        var size = LabelEncoding.GetProtobuf(exemplar.Labels, scheme).Length + DoubleFieldSize;
        if (exemplar.TimestampSeconds is { } seconds)
        {
            size += LengthFieldSize(ExemplarTimestamp, TimestampSize(seconds));
        }
        return size;
    }

    private static void WriteExemplarField(ref Utf8Output output, int field, Exemplar exemplar, EscapingScheme scheme)
    {
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)ExemplarSize(exemplar, scheme));
        // Exemplar.label is field 1, like Metric.label: the cached label bytes fit both.
        output.Write(LabelEncoding.GetProtobuf(exemplar.Labels, scheme));
        WriteDoubleField(ref output, ExemplarValue, exemplar.Value);
        if (exemplar.TimestampSeconds is { } seconds)
        {
            WriteTimestampField(ref output, ExemplarTimestamp, seconds);
        }
    }

    /// <summary>Splits seconds since the epoch into google.protobuf.Timestamp's whole seconds and nanoseconds.</summary>
    private static (long Seconds, int Nanos) SplitTimestamp(double seconds)
    {
        var whole = Math.Floor(seconds);
        var nanos = (int)Math.Round((seconds - whole) * 1e9);
        if (nanos >= 1_000_000_000)
        {
            whole += 1;
            nanos -= 1_000_000_000;
        }
        return ((long)whole, nanos);
    }

    private static int TimestampSize(double seconds)
    {
        var (whole, nanos) = SplitTimestamp(seconds);
        var size = 0;
        if (whole != 0)
        {
            size += VarintFieldSize(TimestampSeconds, (ulong)whole);
        }
        if (nanos != 0)
        {
            size += VarintFieldSize(TimestampNanos, (ulong)nanos);
        }
        return size;
    }

    private static void WriteTimestampField(ref Utf8Output output, int field, double seconds)
    {
        // Timestamp is a proto3 message: zero fields are left out.
        var (whole, nanos) = SplitTimestamp(seconds);
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)TimestampSize(seconds));
        if (whole != 0)
        {
            WriteVarintField(ref output, TimestampSeconds, (ulong)whole);
        }
        if (nanos != 0)
        {
            WriteVarintField(ref output, TimestampNanos, (ulong)nanos);
        }
    }

    // ---- LabelPair ----

    private static int LabelPairSize(string name, string value) => StringFieldSize(1, name) + StringFieldSize(2, value);

    /// <summary>Writes one <c>LabelPair</c> message as field <paramref name="field"/> (the name is already escaped).</summary>
    internal static void WriteLabelPair(ref Utf8Output output, int field, string name, string value)
    {
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)LabelPairSize(name, value));
        WriteStringField(ref output, 1, name);
        WriteStringField(ref output, 2, value);
    }

    // ---- Wire primitives ----

    private const int DoubleFieldSize = 1 + 8; // every double field here has a one-byte tag

    private static int TagSize(int field) => VarintSize((ulong)(field << 3));

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int VarintFieldSize(int field, ulong value) => TagSize(field) + VarintSize(value);

    private static int LengthFieldSize(int field, int length) => TagSize(field) + VarintSize((ulong)length) + length;

    private static int StringFieldSize(int field, string value) => LengthFieldSize(field, Utf8Length(value));

    private static int Utf8Length(string value) => Encoding.UTF8.GetByteCount(value);

    private static void WriteTag(ref Utf8Output output, int field, int wireType) => WriteVarint(ref output, (ulong)((field << 3) | wireType));

    private static void WriteVarint(ref Utf8Output output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static void WriteVarintField(ref Utf8Output output, int field, ulong value)
    {
        WriteTag(ref output, field, WireVarint);
        WriteVarint(ref output, value);
    }

    private static void WriteDoubleField(ref Utf8Output output, int field, double value)
    {
        WriteTag(ref output, field, WireFixed64);
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteDoubleLittleEndian(span, value);
        output.Advance(8);
    }

    private static void WriteStringField(ref Utf8Output output, int field, string value)
    {
        WriteTag(ref output, field, WireLength);
        WriteVarint(ref output, (ulong)Utf8Length(value));
        output.WriteUtf8(value);
    }
}
