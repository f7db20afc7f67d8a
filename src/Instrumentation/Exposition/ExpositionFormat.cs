namespace Instrumentation.Exposition;

/// <summary>
/// A negotiated exposition format: which writer runs, how names outside the legacy character set are escaped, and the
/// exact Content-Type header that names both.
/// </summary>
public sealed class ExpositionFormat
{
    internal const string TextVersion004 = "0.0.4";
    internal const string TextVersion100 = "1.0.0";
    internal const string OpenMetricsVersion001 = "0.0.1";
    internal const string OpenMetricsVersion100 = "1.0.0";

    internal ExpositionFormat(ExpositionFormatKind kind, EscapingScheme escaping, string? version = null)
    {
        Kind = kind;
        Escaping = escaping;
        Version = version ?? kind switch
        {
            ExpositionFormatKind.OpenMetricsText => OpenMetricsVersion100,
            ExpositionFormatKind.PrometheusText => TextVersion004,
            _ => "",
        };
        var escapingParameter = "; escaping=" + NameEscaping.ToParameterValue(escaping);
        ContentType = kind switch
        {
            ExpositionFormatKind.OpenMetricsText => "application/openmetrics-text; version=" + Version + "; charset=utf-8" + escapingParameter,
            ExpositionFormatKind.Protobuf => "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited" + escapingParameter,
            _ => "text/plain; version=" + Version + "; charset=utf-8" + escapingParameter,
        };
    }

    /// <summary>The Prometheus text format 0.0.4 with underscore escaping: what a scraper gets when it asks for nothing known.</summary>
    public static ExpositionFormat Default { get; } = new(ExpositionFormatKind.PrometheusText, EscapingScheme.Underscores);

    /// <summary>Which writer produces the body.</summary>
    public ExpositionFormatKind Kind { get; }

    /// <summary>How names outside the legacy character set are written.</summary>
    public EscapingScheme Escaping { get; }

    /// <summary>
    /// The exact Content-Type header to send, e.g. <c>text/plain; version=0.0.4; charset=utf-8; escaping=underscores</c>
    /// (client_golang names the escaping scheme on every format, and so do we).
    /// </summary>
    public string ContentType { get; }

    /// <summary>The format version written into the Content-Type (empty for protobuf).</summary>
    internal string Version { get; }

    /// <summary>Creates a format directly, for callers that do not negotiate (tests, push clients, files).</summary>
    public static ExpositionFormat Create(ExpositionFormatKind kind, EscapingScheme escaping = EscapingScheme.Underscores) =>
        kind == ExpositionFormatKind.PrometheusText && escaping == EscapingScheme.Underscores ? Default : new(kind, escaping);

    /// <inheritdoc />
    public override string ToString() => ContentType;
}
