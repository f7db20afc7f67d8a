using System.Buffers;

namespace Instrumentation.Exposition;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4 (<c>text/plain; version=0.0.4</c>), laid out byte for byte
/// as client_golang's <c>expfmt</c> writes it.
/// </summary>
/// <remarks>
/// <para>Per family: <c># HELP</c> (backslash and newline escaped), <c># TYPE</c>, then one line per sample. Counters
/// keep their family name (<c>_total</c> included); histograms write cumulative <c>_bucket{le="…"}</c> lines (adding
/// the <c>+Inf</c> bucket when missing), <c>_sum</c> and <c>_count</c>; summaries <c>{quantile="…"}</c>, <c>_sum</c> and
/// <c>_count</c>. Values, <c>le</c> and <c>quantile</c> use Go's shortest <c>%g</c> layout; counts are written as
/// floats, as Go does. Families without series are skipped.</para>
/// <para>Types the format lacks are mapped onto it: info → <c>gauge</c> with value 1 named <c>&lt;base&gt;_info</c>
/// (the family name with <c>_info</c> appended unless it ends in it already: the sample name OpenMetrics and protobuf
/// write too), stateset → <c>gauge</c> with one
/// sample per state labelled <c>&lt;family name&gt;="&lt;state&gt;"</c> and value 1 or 0, gauge histogram →
/// <c>histogram</c> (Go's text encoder rejects gauge histograms; this is the shape Python's client writes).
/// No exemplars, no <c>_created</c> samples, no units.</para>
/// </remarks>
public static class TextFormat
{
    /// <summary>The Content-Type of this format (without an <c>escaping</c> parameter).</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes <paramref name="families"/> to <paramref name="stream"/> (names escaped with underscores where needed).</summary>
    public static void Write(Stream stream, IReadOnlyList<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(families);
        using var buffer = new StreamBufferWriter(stream);
        Write(buffer, families, EscapingScheme.Underscores);
        buffer.Flush();
    }

    /// <summary>Writes <paramref name="families"/> to <paramref name="writer"/> (names escaped with underscores where needed).</summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        Write(writer, families, EscapingScheme.Underscores);
    }

    /// <summary>Writes <paramref name="families"/> with names escaped (or quoted) according to <paramref name="scheme"/>.</summary>
    internal static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, EscapingScheme scheme)
    {
        var output = new Utf8Output(writer);
        for (var i = 0; i < families.Count; i++)
        {
            WriteFamily(ref output, families[i], scheme);
        }
        output.Flush();
    }

    private static void WriteFamily(ref Utf8Output output, MetricFamily family, EscapingScheme scheme)
    {
        if (family.Metrics.Count == 0)
        {
            return;
        }
        var escapedName = NameEscaping.EscapeMetricName(family.Name, scheme);
        Span<byte> nameBytes = stackalloc byte[MetricName.MaxAsciiLength];
        var name = new MetricName(escapedName, nameBytes);
        // An info family is a gauge named as its samples are: <base>_info (see MetricName.InfoSuffixOf).
        var nameSuffix = family.Type == MetricType.Info ? MetricName.InfoSuffixOf(escapedName) : default;

        TextPrimitives.WriteHelp(ref output, name, family.Help, escapeQuotes: false, nameSuffix);

        output.Write("# TYPE "u8);
        TextPrimitives.WriteMetricName(ref output, name, nameSuffix);
        output.Write(family.Type switch
        {
            MetricType.Counter => " counter\n"u8,
            MetricType.Summary => " summary\n"u8,
            MetricType.Untyped => " untyped\n"u8,
            MetricType.Histogram or MetricType.GaugeHistogram => " histogram\n"u8,
            _ => " gauge\n"u8,
        });

        var stateLabel = family.Type == MetricType.StateSet ? NameEscaping.EscapeLabelName(family.Name, scheme) : null;
        for (var p = 0; p < family.Metrics.Count; p++)
        {
            var point = family.Metrics[p];
            switch (family.Type)
            {
                case MetricType.Counter:
                case MetricType.Gauge:
                case MetricType.Untyped:
                    WriteSample(ref output, name, default, point, scheme, point.Value);
                    break;
                case MetricType.Info:
                    WriteSample(ref output, name, nameSuffix, point, scheme, 1);
                    break;
                case MetricType.StateSet:
                    foreach (var state in point.States)
                    {
                        TextPrimitives.WriteStateSeries(ref output, name, point.Labels, scheme, stateLabel!, state.Name);
                        WriteValueAndTimestamp(ref output, point, state.Enabled ? 1 : 0);
                    }
                    break;
                case MetricType.Summary:
                    foreach (var quantile in point.Quantiles)
                    {
                        WriteSample(ref output, name, default, point, scheme, quantile.Value, "quantile"u8, quantile.Quantile);
                    }
                    WriteSample(ref output, name, "_sum"u8, point, scheme, point.Sum);
                    WriteSample(ref output, name, "_count"u8, point, scheme, point.Count);
                    break;
                case MetricType.Histogram:
                case MetricType.GaugeHistogram:
                    var infSeen = false;
                    foreach (var bucket in point.Buckets)
                    {
                        WriteSample(ref output, name, "_bucket"u8, point, scheme, bucket.CumulativeCount, "le"u8, bucket.UpperBound);
                        infSeen |= double.IsPositiveInfinity(bucket.UpperBound);
                    }
                    if (!infSeen)
                    {
                        WriteSample(ref output, name, "_bucket"u8, point, scheme, point.Count, "le"u8, double.PositiveInfinity);
                    }
                    WriteSample(ref output, name, "_sum"u8, point, scheme, point.Sum);
                    WriteSample(ref output, name, "_count"u8, point, scheme, point.Count);
                    break;
            }
        }
    }

    private static void WriteSample(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, MetricPoint point, EscapingScheme scheme, double value)
    {
        var series = TextPrimitives.BeginSeries(ref output, name, suffix, point, scheme, hasExtraLabel: false);
        TextPrimitives.EndSeries(ref output, series);
        WriteValueAndTimestamp(ref output, point, value);
    }

    private static void WriteSample(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, MetricPoint point, EscapingScheme scheme, double value, ReadOnlySpan<byte> extraLabel, double extraValue)
    {
        var series = TextPrimitives.BeginSeries(ref output, name, suffix, point, scheme, hasExtraLabel: true);
        TextPrimitives.WriteExtraLabelStart(ref output, series, extraLabel);
        WriteFloat(ref output, extraValue);
        output.WriteByte((byte)'"');
        TextPrimitives.EndSeries(ref output, series);
        WriteValueAndTimestamp(ref output, point, value);
    }

    private static void WriteValueAndTimestamp(ref Utf8Output output, MetricPoint point, double value)
    {
        output.WriteByte((byte)' ');
        WriteFloat(ref output, value);
        if (point.TimestampMs is { } timestamp)
        {
            output.WriteByte((byte)' ');
            output.WriteInt64(timestamp);
        }
        output.WriteByte((byte)'\n');
    }

    private static void WriteFloat(ref Utf8Output output, double value)
    {
        var span = output.GetSpan(GoFloat.MaxLength);
        output.Advance(GoFloat.Format(value, span));
    }
}
