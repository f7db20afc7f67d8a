namespace Fixture;

/// <summary>The Accept headers that select each exposition format, as Prometheus servers send them.</summary>
internal static class Formats
{
    public static readonly IReadOnlyDictionary<string, string> AcceptHeaders = new Dictionary<string, string>
    {
        ["text"] = "text/plain; version=0.0.4",
        ["openmetrics"] = "application/openmetrics-text; version=1.0.0",
        ["protobuf"] = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
    };
}
