using System.Buffers;
using System.Runtime.CompilerServices;

namespace Instrumentation.Exposition;

/// <summary>
/// The pieces both text formats (Prometheus 0.0.4 and OpenMetrics 1.0) share: escaped strings, possibly quoted names
/// and the <c>name{labels}</c> part of a sample line.
/// </summary>
internal static class TextPrimitives
{
    private static readonly SearchValues<char> HelpSpecials = SearchValues.Create("\\\n");
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\\\n\"");

    /// <summary>Writes <paramref name="text"/> with <c>\</c> → <c>\\</c>, newline → <c>\n</c> and, if asked, <c>"</c> → <c>\"</c>.</summary>
    public static void WriteEscaped(ref Utf8Output output, scoped ReadOnlySpan<char> text, bool escapeQuotes)
    {
        var specials = escapeQuotes ? QuotedSpecials : HelpSpecials;
        while (true)
        {
            var next = text.IndexOfAny(specials);
            if (next < 0)
            {
                output.WriteUtf8(text);
                return;
            }
            output.WriteUtf8(text[..next]);
            var span = output.GetSpan(2);
            span[0] = (byte)'\\';
            span[1] = text[next] switch
            {
                '\n' => (byte)'n',
                '"' => (byte)'"',
                _ => (byte)'\\',
            };
            output.Advance(2);
            text = text[(next + 1)..];
        }
    }

    /// <summary>
    /// Writes a metric name as is when it is legacy-valid, otherwise quoted (the UTF-8 syntax), followed by
    /// <paramref name="suffix"/> (an info family's <c>_info</c>, say; legacy characters only).
    /// </summary>
    public static void WriteMetricName(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix = default)
    {
        if (!name.Quoted)
        {
            WriteUnquotedName(ref output, name);
            output.Write(suffix);
            return;
        }
        output.WriteByte((byte)'"');
        WriteEscaped(ref output, name.Text, escapeQuotes: true);
        output.Write(suffix);
        output.WriteByte((byte)'"');
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteUnquotedName(ref Utf8Output output, scoped MetricName name)
    {
        if (name.Ascii.IsEmpty)
        {
            output.WriteUtf8(name.Text);
        }
        else
        {
            output.Write(name.Ascii);
        }
    }

    /// <summary>Writes a label name as is when it is legacy-valid, otherwise quoted (the UTF-8 syntax).</summary>
    public static void WriteLabelName(ref Utf8Output output, string name)
    {
        if (MetricNames.IsLegacyLabelName(name))
        {
            output.WriteUtf8(name);
            return;
        }
        output.WriteByte((byte)'"');
        WriteEscaped(ref output, name, escapeQuotes: true);
        output.WriteByte((byte)'"');
    }

    /// <summary>
    /// Writes the start of a sample line: <c>name_suffix</c>, and when there are labels (or <paramref name="hasExtraLabel"/>)
    /// <c>{labels</c> without the closing brace. A name that is not legacy-valid goes quoted inside the braces.
    /// Returns what the extra-label writers and <see cref="EndSeries"/> need to know.
    /// </summary>
    /// <param name="output">Where to write.</param>
    /// <param name="name">The family name, already escaped for <paramref name="scheme"/>.</param>
    /// <param name="suffix">A sample suffix such as <c>_bucket</c>, or empty.</param>
    /// <param name="labels">The series' labels.</param>
    /// <param name="scheme">The escaping scheme (picks the cached label encoding).</param>
    /// <param name="hasExtraLabel">Whether an <c>le</c>, <c>quantile</c> or state label follows.</param>
    public static SeriesState BeginSeries(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, LabelSet labels, EscapingScheme scheme, bool hasExtraLabel) =>
        BeginSeriesEncoded(ref output, name, suffix, LabelEncoding.Get(labels, scheme), hasExtraLabel);

    /// <summary>As <see cref="BeginSeries(ref Utf8Output, MetricName, ReadOnlySpan{byte}, LabelSet, EscapingScheme, bool)"/> for a point's labels.</summary>
    public static SeriesState BeginSeries(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, MetricPoint point, EscapingScheme scheme, bool hasExtraLabel) =>
        BeginSeriesEncoded(ref output, name, suffix, LabelEncoding.Get(point, scheme), hasExtraLabel);

    private static SeriesState BeginSeriesEncoded(ref Utf8Output output, scoped MetricName name, ReadOnlySpan<byte> suffix, byte[] encoded, bool hasExtraLabel)
    {
        if (!name.Quoted)
        {
            WriteUnquotedName(ref output, name);
            output.Write(suffix);
            if (encoded.Length == 0 && !hasExtraLabel)
            {
                return new SeriesState(open: false, needsComma: false);
            }
            output.WriteByte((byte)'{');
            output.Write(encoded);
            return new SeriesState(open: true, needsComma: encoded.Length > 0);
        }

        output.WriteByte((byte)'{');
        output.WriteByte((byte)'"');
        WriteEscaped(ref output, name.Text, escapeQuotes: true);
        output.Write(suffix);
        output.WriteByte((byte)'"');
        if (encoded.Length > 0)
        {
            output.WriteByte((byte)',');
            output.Write(encoded);
        }
        return new SeriesState(open: true, needsComma: true);
    }

    /// <summary>Writes the separator and <c>name="</c> of an extra label; the caller writes the value and the closing quote.</summary>
    public static void WriteExtraLabelStart(ref Utf8Output output, SeriesState state, ReadOnlySpan<byte> labelName)
    {
        if (state.NeedsComma)
        {
            output.WriteByte((byte)',');
        }
        output.Write(labelName);
        output.WriteByte((byte)'=');
        output.WriteByte((byte)'"');
    }

    /// <summary>Writes the separator and <c>name="</c> of an extra label whose name is arbitrary text (a stateset's).</summary>
    public static void WriteExtraLabelStart(ref Utf8Output output, SeriesState state, string labelName)
    {
        if (state.NeedsComma)
        {
            output.WriteByte((byte)',');
        }
        WriteLabelName(ref output, labelName);
        output.WriteByte((byte)'=');
        output.WriteByte((byte)'"');
    }

    /// <summary>
    /// Writes a <c># HELP name text</c> line (OpenMetrics also escapes double quotes in the text; 0.0.4 does not), the
    /// name followed by <paramref name="suffix"/>.
    /// </summary>
    public static void WriteHelp(ref Utf8Output output, scoped MetricName name, string help, bool escapeQuotes, ReadOnlySpan<byte> suffix = default)
    {
        output.Write("# HELP "u8);
        WriteMetricName(ref output, name, suffix);
        output.WriteByte((byte)' ');
        WriteEscaped(ref output, help, escapeQuotes);
        output.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Writes one stateset state's series — the family's labels plus <c>stateLabel="stateName"</c> — up to and
    /// including the closing brace; the caller writes the value.
    /// </summary>
    public static void WriteStateSeries(ref Utf8Output output, scoped MetricName name, LabelSet labels, EscapingScheme scheme, string stateLabel, string stateName)
    {
        var series = BeginSeries(ref output, name, default, labels, scheme, hasExtraLabel: true);
        WriteExtraLabelStart(ref output, series, stateLabel);
        WriteEscaped(ref output, stateName, escapeQuotes: true);
        output.WriteByte((byte)'"');
        EndSeries(ref output, series);
    }

    /// <summary>Closes the label braces if <see cref="BeginSeriesEncoded"/> opened them.</summary>
    public static void EndSeries(ref Utf8Output output, SeriesState state)
    {
        if (state.Open)
        {
            output.WriteByte((byte)'}');
        }
    }

    /// <summary>What <see cref="BeginSeriesEncoded"/> left open.</summary>
    internal readonly struct SeriesState(bool open, bool needsComma)
    {
        public bool Open { get; } = open;

        public bool NeedsComma { get; } = needsComma;
    }
}
