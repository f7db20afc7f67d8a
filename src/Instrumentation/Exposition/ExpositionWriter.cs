using System.Buffers;

namespace Instrumentation.Exposition;

/// <summary>
/// The entry point an HTTP endpoint calls: pick the format from the scraper's <c>Accept</c> header, tell whether to
/// gzip, and write the gathered families in the chosen format.
/// </summary>
public static class ExpositionWriter
{
    private const string ProtobufType = "application/vnd.google.protobuf";
    private const string ProtobufProto = "io.prometheus.client.MetricFamily";
    private const string OpenMetricsType = "application/openmetrics-text";

    private static readonly ExpositionOptions DefaultOptions = new();

    // Scrapers send the same Accept header on every scrape: remember the last answer.
    private static NegotiationCacheEntry? s_lastNegotiation;

    /// <summary>
    /// Picks the format to answer a scrape with, the way Prometheus servers expect: the acceptable media ranges are
    /// tried from the most preferred (by <c>q</c>, then specificity, then order); the first one that names a format
    /// this library writes (and <paramref name="options"/> enables) wins, with the <c>escaping</c> it asks for
    /// (underscores when it asks for none or an unknown one). Anything else — wildcards, unknown types or versions,
    /// an empty or malformed header — ends in the Prometheus text format 0.0.4. Never throws.
    /// </summary>
    /// <param name="acceptHeader">The request's <c>Accept</c> header, possibly null.</param>
    /// <param name="options">Which formats are enabled; null for the defaults (all).</param>
    public static ExpositionFormat Negotiate(string? acceptHeader, ExpositionOptions? options = null)
    {
        options ??= DefaultOptions;
        if (string.IsNullOrWhiteSpace(acceptHeader))
        {
            return ExpositionFormat.Default;
        }
        var cached = s_lastNegotiation;
        if (cached is not null && cached.Matches(acceptHeader, options))
        {
            return cached.Format;
        }
        ExpositionFormat format;
        try
        {
            format = NegotiateUncached(acceptHeader, options);
        }
        catch (Exception)
        {
            // The parser is lenient by construction; this is the "never an error" guarantee for what it missed.
            format = ExpositionFormat.Default;
        }
        s_lastNegotiation = new NegotiationCacheEntry(acceptHeader, options.EnableOpenMetrics, options.EnableProtobuf, format);
        return format;
    }

    /// <summary>
    /// Whether an <c>Accept-Encoding</c> header accepts gzip: <c>gzip</c> (or <c>x-gzip</c>) with a non-zero quality,
    /// or <c>*</c> with a non-zero quality when gzip is not listed. <c>gzip;q=0</c> refuses it.
    /// </summary>
    public static bool AcceptsGzip(string? acceptEncodingHeader)
    {
        if (string.IsNullOrWhiteSpace(acceptEncodingHeader))
        {
            return false;
        }
        double? gzipQuality = null;
        double? anyQuality = null;
        foreach (var part in acceptEncodingHeader.Split(','))
        {
            var segments = part.Split(';');
            var coding = segments[0].Trim();
            if (coding.Length == 0 || !AcceptHeader.TryParseParameters(segments.AsSpan(1), out var quality, out _))
            {
                continue;
            }
            if (coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzipQuality = Math.Max(gzipQuality ?? 0, quality);
            }
            else if (coding == "*")
            {
                anyQuality = quality;
            }
        }
        return gzipQuality is { } q ? q > 0 : anyQuality > 0;
    }

    /// <summary>Writes <paramref name="families"/> to <paramref name="stream"/> in <paramref name="format"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<MetricFamily> families, ExpositionFormat format, ExpositionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new StreamBufferWriter(stream);
        Write(buffer, families, format, options);
        buffer.Flush();
    }

    /// <summary>Writes <paramref name="families"/> to <paramref name="writer"/> in <paramref name="format"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, ExpositionFormat format, ExpositionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(format);
        options ??= DefaultOptions;
        switch (format.Kind)
        {
            case ExpositionFormatKind.OpenMetricsText:
                OpenMetricsFormat.Write(writer, families, format.Escaping, options.OpenMetricsCreatedSamples);
                break;
            case ExpositionFormatKind.Protobuf:
                ProtobufFormat.Write(writer, families, format.Escaping);
                break;
            default:
                TextFormat.Write(writer, families, format.Escaping);
                break;
        }
    }

    private static ExpositionFormat NegotiateUncached(string acceptHeader, ExpositionOptions options)
    {
        foreach (var range in AcceptHeader.Parse(acceptHeader))
        {
            var escaping = range.Parameter("escaping") is { } value && NameEscaping.TryParseParameterValue(value, out var requested)
                ? requested
                : EscapingScheme.Underscores;
            var version = range.Parameter("version");
            var mediaType = range.Type + "/" + range.SubType;

            if (mediaType == ProtobufType)
            {
                if (options.EnableProtobuf && range.Parameter("proto") == ProtobufProto && range.Parameter("encoding") == "delimited")
                {
                    return new ExpositionFormat(ExpositionFormatKind.Protobuf, escaping);
                }
            }
            else if (mediaType == OpenMetricsType)
            {
                if (options.EnableOpenMetrics && version is null or "" or ExpositionFormat.OpenMetricsVersion001 or ExpositionFormat.OpenMetricsVersion100)
                {
                    // As client_golang: no version means 0.0.1, which our 1.0 writer also satisfies.
                    var answered = version == ExpositionFormat.OpenMetricsVersion100 ? ExpositionFormat.OpenMetricsVersion100 : ExpositionFormat.OpenMetricsVersion001;
                    return new ExpositionFormat(ExpositionFormatKind.OpenMetricsText, escaping, answered);
                }
            }
            else if (mediaType == "text/plain")
            {
                if (version is null or "" or ExpositionFormat.TextVersion004)
                {
                    return escaping == EscapingScheme.Underscores
                        ? ExpositionFormat.Default
                        : new ExpositionFormat(ExpositionFormatKind.PrometheusText, escaping);
                }
                if (version == ExpositionFormat.TextVersion100)
                {
                    // Prometheus 3's text format: 0.0.4 plus quoted UTF-8 names.
                    return new ExpositionFormat(ExpositionFormatKind.PrometheusText, escaping, ExpositionFormat.TextVersion100);
                }
            }
        }
        return ExpositionFormat.Default;
    }

    private sealed class NegotiationCacheEntry(string header, bool openMetrics, bool protobuf, ExpositionFormat format)
    {
        public ExpositionFormat Format { get; } = format;

        public bool Matches(string acceptHeader, ExpositionOptions options) =>
            options.EnableOpenMetrics == openMetrics && options.EnableProtobuf == protobuf && string.Equals(header, acceptHeader, StringComparison.Ordinal);
    }
}
