using System.Net.Http.Json;
using SentryCa.Ca;

namespace SentryCa.Tests;

public sealed class MetricsEndpointTests : IDisposable
{
    private readonly SentryCaFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Metrics_endpoint_serves_sentrys_metrics_with_help_types_and_const_labels()
    {
        var client = _app.CreateClient();
        await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 60 });
        await client.PostAsJsonAsync("/v1/sign", new { csr = "garbage", identity = Csrs.Identity, ttlSeconds = 60 });

        var text = await client.GetStringAsync("/metrics");

        var lines = text.Split('\n');
        Assert.Contains("# HELP sentry_cert_sign_request_received_total The number of CSRs received.", lines);
        Assert.Contains("# TYPE sentry_cert_sign_request_received_total counter", lines);
        Assert.Contains("sentry_cert_sign_request_received_total{service=\"sentry\"} 2", lines);
        Assert.Contains("# HELP sentry_cert_sign_success_total The number of certificates issuances that have succeeded.", lines);
        Assert.Contains("sentry_cert_sign_success_total{service=\"sentry\"} 1", lines);
        Assert.Contains("# HELP sentry_cert_sign_failure_total The number of errors occurred when signing the CSR.", lines);
        Assert.Contains("sentry_cert_sign_failure_total{reason=\"cert_parse\",service=\"sentry\"} 1", lines);
        // Every known reason exists from the start, at 0, so rate() sees the first failure of each.
        Assert.Contains("sentry_cert_sign_failure_total{reason=\"cert_sign\",service=\"sentry\"} 0", lines);
        Assert.Contains("# HELP sentry_servercert_issue_failed_total The number of server TLS certificate issuance failures.", lines);
        Assert.Contains("sentry_servercert_issue_failed_total{reason=\"issuer_unavailable\",service=\"sentry\"} 0", lines);
        Assert.Contains("# HELP sentry_issuercert_changed_total The number of issuer cert updates, when issuer cert or key is changed", lines);
        Assert.Contains("sentry_issuercert_changed_total{service=\"sentry\"} 0", lines);
        Assert.Contains("# HELP sentry_issuercert_expiry_timestamp The unix timestamp, in seconds, when issuer/root cert will expire.", lines);
        Assert.Contains("# TYPE sentry_issuercert_expiry_timestamp gauge", lines);
        Assert.Contains(lines, l => l.StartsWith("sentry_issuercert_expiry_timestamp{service=\"sentry\"} 1.", StringComparison.Ordinal));
    }
}
