using System.Buffers;

namespace Instrumentation.Exposition;

/// <summary>
/// The OpenMetrics 1.0 text format (<c>application/openmetrics-text; version=1.0.0</c>), laid out as client_golang's
/// OpenMetrics encoder lays it out where it covers a feature, and after the OpenMetrics specification where it does not.
/// </summary>
/// <remarks>
/// <para>Per family: <c># HELP</c> (backslash, newline and double quote escaped; left out when empty), <c># TYPE</c>,
/// <c># UNIT</c> (only when the family name ends in <c>_&lt;unit&gt;</c>, as OpenMetrics requires), then the samples; the
/// exposition ends with <c># EOF</c>. Floats are written in Go's shortest layout with <c>.0</c> appended to integers
/// (<c>1.0</c>, <c>1e+06</c>); counts as integers; timestamps in seconds.</para>
/// <para>A counter named <c>x_total</c> is the family <c>x</c> with samples <c>x_total</c> (with its exemplar) and, when
/// <c>_created</c> samples are asked for (they are opt-in, see <see cref="ExpositionOptions.OpenMetricsCreatedSamples"/>),
/// <c>x_created</c>. A counter whose name lacks <c>_total</c> is written as type <c>unknown</c> under its own name, as
/// client_golang does, so that the series is named the same whichever format Prometheus scrapes. Histograms write
/// <c>_bucket</c> (with exemplars), <c>_sum</c>, <c>_count</c>, <c>_created</c>; summaries quantiles, <c>_sum</c>,
/// <c>_count</c>, <c>_created</c>; gauge histograms <c>_bucket</c>, <c>_gsum</c>, <c>_gcount</c>; info families
/// <c>x_info</c> with value 1; statesets one sample per state labelled with the family name.</para>
/// </remarks>
public static class OpenMetricsFormat
{
    /// <summary>The Content-Type of this format (without an <c>escaping</c> parameter).</summary>
    public const string ContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>
    /// Writes <paramref name="families"/> and the closing <c># EOF</c>; <c>_created</c> samples only if
    /// <paramref name="createdSamples"/> (off by default, see <see cref="ExpositionOptions.OpenMetricsCreatedSamples"/>).
    /// </summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, bool createdSamples = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        Write(writer, families, EscapingScheme.Underscores, createdSamples);
    }

    /// <summary>
    /// Writes <paramref name="families"/> to <paramref name="stream"/> and the closing <c># EOF</c>; <c>_created</c>
    /// samples only if <paramref name="createdSamples"/> (off by default, see <see cref="ExpositionOptions.OpenMetricsCreatedSamples"/>).
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<MetricFamily> families, bool createdSamples = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(families);
        using var buffer = new StreamBufferWriter(stream);
        Write(buffer, families, EscapingScheme.Underscores, createdSamples);
        buffer.Flush();
    }

    internal static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, EscapingScheme scheme, bool createdSamples)
    {
        var output = new Utf8Output(writer);
        for (var i = 0; i < families.Count; i++)
        {
            WriteFamily(ref output, families[i], scheme, createdSamples);
        }
        output.Write("# EOF\n"u8);
        output.Flush();
    }

    private static void WriteFamily(ref Utf8Output output, MetricFamily family, EscapingScheme scheme, bool createdSamples)
    {
        if (family.Metrics.Count == 0)
        {
            return;
        }
        // Escape the full name first and derive the family name from it, as client_golang does: the sample names then
        // match what the text format writes for the same series.
        Span<byte> nameBytes = stackalloc byte[MetricName.MaxAsciiLength];
        var name = new MetricName(NameEscaping.EscapeMetricName(family.Name, scheme), nameBytes);
        var type = family.Type;
        var shortName = name;
        ReadOnlySpan<byte> typeText;
        switch (type)
        {
            case MetricType.Counter when name.EndsWith("_total"):
                shortName = name.WithoutSuffix("_total".Length);
                typeText = "counter"u8;
                break;
            case MetricType.Counter:
                type = MetricType.Untyped;
                typeText = "unknown"u8;
                break;
            case MetricType.Gauge:
                typeText = "gauge"u8;
                break;
            case MetricType.Histogram:
                typeText = "histogram"u8;
                break;
            case MetricType.GaugeHistogram:
                typeText = "gaugehistogram"u8;
                break;
            case MetricType.Summary:
                typeText = "summary"u8;
                break;
            case MetricType.Info:
                if (name.EndsWith(MetricName.InfoSuffixText))
                {
                    shortName = name.WithoutSuffix(MetricName.InfoSuffixText.Length);
                }
                typeText = "info"u8;
                break;
            case MetricType.StateSet:
                typeText = "stateset"u8;
                break;
            default:
                typeText = "unknown"u8;
                break;
        }

        if (family.Help.Length > 0)
        {
            TextPrimitives.WriteHelp(ref output, shortName, family.Help, escapeQuotes: true);
        }
        output.Write("# TYPE "u8);
        TextPrimitives.WriteMetricName(ref output, shortName);
        output.WriteByte((byte)' ');
        output.Write(typeText);
        output.WriteByte((byte)'\n');
        if (HasUnitSuffix(shortName.Text, family.Unit))
        {
            output.Write("# UNIT "u8);
            TextPrimitives.WriteMetricName(ref output, shortName);
            output.WriteByte((byte)' ');
            TextPrimitives.WriteEscaped(ref output, family.Unit, escapeQuotes: true);
            output.WriteByte((byte)'\n');
        }

        var stateLabel = type == MetricType.StateSet ? NameEscaping.EscapeLabelName(family.Name, scheme) : null;
        for (var p = 0; p < family.Metrics.Count; p++)
        {
            var point = family.Metrics[p];
            switch (type)
            {
                case MetricType.Counter:
                    WriteFloatSample(ref output, shortName, "_total"u8, point, scheme, point.Value, point.Exemplar);
                    WriteCreated(ref output, shortName, point, scheme, createdSamples);
                    break;
                case MetricType.Gauge:
                case MetricType.Untyped:
                    WriteFloatSample(ref output, name, default, point, scheme, point.Value, exemplar: null);
                    break;
                case MetricType.Info:
                    WriteFloatSample(ref output, shortName, "_info"u8, point, scheme, 1, exemplar: null);
                    break;
                case MetricType.StateSet:
                    foreach (var state in point.States)
                    {
                        TextPrimitives.WriteStateSeries(ref output, name, point.Labels, scheme, stateLabel!, state.Name);
                        output.WriteByte((byte)' ');
                        output.Write(state.Enabled ? "1.0"u8 : "0.0"u8);
                        WriteTimestampAndExemplar(ref output, point, exemplar: null);
                    }
                    break;
                case MetricType.Summary:
                    foreach (var quantile in point.Quantiles)
                    {
                        var series = TextPrimitives.BeginSeries(ref output, name, default, point, scheme, hasExtraLabel: true);
                        TextPrimitives.WriteExtraLabelStart(ref output, series, "quantile"u8);
                        WriteFloat(ref output, quantile.Quantile);
                        output.WriteByte((byte)'"');
                        TextPrimitives.EndSeries(ref output, series);
                        output.WriteByte((byte)' ');
                        WriteFloat(ref output, quantile.Value);
                        WriteTimestampAndExemplar(ref output, point, exemplar: null);
                    }
                    WriteFloatSample(ref output, name, "_sum"u8, point, scheme, point.Sum, exemplar: null);
                    WriteCountSample(ref output, name, "_count"u8, point, scheme, point.Count);
                    WriteCreated(ref output, name, point, scheme, createdSamples);
                    break;
                case MetricType.Histogram:
                case MetricType.GaugeHistogram:
                    var infSeen = false;
                    foreach (var bucket in point.Buckets)
                    {
                        WriteBucket(ref output, name, point, scheme, bucket.UpperBound, bucket.CumulativeCount, bucket.Exemplar);
                        infSeen |= double.IsPositiveInfinity(bucket.UpperBound);
                    }
                    if (!infSeen)
                    {
                        WriteBucket(ref output, name, point, scheme, double.PositiveInfinity, point.Count, exemplar: null);
                    }
                    if (type == MetricType.Histogram)
                    {
                        WriteFloatSample(ref output, name, "_sum"u8, point, scheme, point.Sum, exemplar: null);
                        WriteCountSample(ref output, name, "_count"u8, point, scheme, point.Count);
                        WriteCreated(ref output, name, point, scheme, createdSamples);
                    }
                    else
                    {
                        WriteFloatSample(ref output, name, "_gsum"u8, point, scheme, point.Sum, exemplar: null);
                        WriteCountSample(ref output, name, "_gcount"u8, point, scheme, point.Count);
                    }
                    break;
            }
        }
    }

    private static void WriteFloatSample(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, MetricPoint point, EscapingScheme scheme, double value, Exemplar? exemplar)
    {
        var series = TextPrimitives.BeginSeries(ref output, name, suffix, point, scheme, hasExtraLabel: false);
        TextPrimitives.EndSeries(ref output, series);
        output.WriteByte((byte)' ');
        WriteFloat(ref output, value);
        WriteTimestampAndExemplar(ref output, point, exemplar, scheme);
    }

    private static void WriteCountSample(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, MetricPoint point, EscapingScheme scheme, ulong count)
    {
        var series = TextPrimitives.BeginSeries(ref output, name, suffix, point, scheme, hasExtraLabel: false);
        TextPrimitives.EndSeries(ref output, series);
        output.WriteByte((byte)' ');
        output.WriteUInt64(count);
        WriteTimestampAndExemplar(ref output, point, exemplar: null);
    }

    private static void WriteBucket(ref Utf8Output output, scoped MetricName name, MetricPoint point, EscapingScheme scheme, double upperBound, ulong count, Exemplar? exemplar)
    {
        var series = TextPrimitives.BeginSeries(ref output, name, "_bucket"u8, point, scheme, hasExtraLabel: true);
        TextPrimitives.WriteExtraLabelStart(ref output, series, "le"u8);
        WriteFloat(ref output, upperBound);
        output.WriteByte((byte)'"');
        TextPrimitives.EndSeries(ref output, series);
        output.WriteByte((byte)' ');
        output.WriteUInt64(count);
        WriteTimestampAndExemplar(ref output, point, exemplar, scheme);
    }

    private static void WriteCreated(ref Utf8Output output, scoped MetricName name, MetricPoint point, EscapingScheme scheme, bool createdSamples)
    {
        if (!createdSamples || point.CreatedSeconds is not { } created)
        {
            return;
        }
        // No timestamp on _created, as client_golang writes it.
        var series = TextPrimitives.BeginSeries(ref output, name, "_created"u8, point, scheme, hasExtraLabel: false);
        TextPrimitives.EndSeries(ref output, series);
        output.WriteByte((byte)' ');
        WriteFloat(ref output, created);
        output.WriteByte((byte)'\n');
    }

    private static void WriteTimestampAndExemplar(ref Utf8Output output, MetricPoint point, Exemplar? exemplar, EscapingScheme scheme = EscapingScheme.Underscores)
    {
        if (point.TimestampMs is { } timestamp)
        {
            output.WriteByte((byte)' ');
            WriteTimestamp(ref output, timestamp / 1000.0);
        }
        if (exemplar is { Labels.Count: > 0 })
        {
            output.Write(" # {"u8);
            output.Write(LabelEncoding.Get(exemplar.Labels, scheme));
            output.Write("} "u8);
            WriteFloat(ref output, exemplar.Value);
            if (exemplar.TimestampSeconds is { } seconds)
            {
                output.WriteByte((byte)' ');
                WriteTimestamp(ref output, seconds);
            }
        }
        output.WriteByte((byte)'\n');
    }

    /// <summary>OpenMetrics requires the unit as the name's suffix; a unit that is not there is left out, not appended.</summary>
    private static bool HasUnitSuffix(ReadOnlySpan<char> name, string? unit) =>
        !string.IsNullOrEmpty(unit) && name.Length > unit.Length && name.EndsWith(unit, StringComparison.Ordinal) && name[^(unit.Length + 1)] == '_';

    /// <summary>
    /// Writes a timestamp as plain decimal seconds (<c>1700000000.5</c>), never in exponent form: the grammar allows
    /// both, but parsers in the wild (Python prometheus_client 0.16) misread <c>1.7000000005e+09</c> as 1 s plus
    /// 700000000 ns, and the specification's own examples use the plain form.
    /// </summary>
    private static void WriteTimestamp(ref Utf8Output output, double seconds)
    {
        if (!double.IsFinite(seconds))
        {
            WriteFloat(ref output, seconds);
            return;
        }
        var span = output.GetSpan(64);
        // Millisecond timestamps need 3 decimals; exemplar times may carry more (up to nanoseconds).
        if (!seconds.TryFormat(span, out var written, "0.#########", System.Globalization.CultureInfo.InvariantCulture))
        {
            WriteFloat(ref output, seconds);
            return;
        }
        output.Advance(written);
    }

    private static void WriteFloat(ref Utf8Output output, double value)
    {
        var span = output.GetSpan(GoFloat.MaxLength);
        output.Advance(GoFloat.FormatOpenMetrics(value, span));
    }
}
