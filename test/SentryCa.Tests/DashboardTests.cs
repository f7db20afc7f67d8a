using System.Net.Http.Json;
using Instrumentation.TestShared;

namespace SentryCa.Tests;

/// <summary>examples/dashboards/sentryca.json queries exactly the SentryCa example's six metrics, all in its scrape.</summary>
public sealed class DashboardTests : IDisposable
{
    private readonly SentryCaFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Every_metric_the_sentryca_dashboard_queries_is_in_a_scrape_and_all_six_are_used()
    {
        var client = _app.CreateClient();
        await client.PostAsJsonAsync("/v1/sign", new { csr = Csrs.Create(), identity = Csrs.Identity, ttlSeconds = 60 });
        var exposed = DashboardQueries.SampleNames(await client.GetStringAsync("/metrics"));

        var used = DashboardQueries.Expressions(DashboardQueries.File("sentryca.json"))
            .SelectMany(q => DashboardQueries.MetricNames(q.Expr))
            .ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(used, n => !exposed.Contains(n));
        string[] six =
        [
            "sentry_cert_sign_failure_total", "sentry_cert_sign_request_received_total", "sentry_cert_sign_success_total",
            "sentry_issuercert_changed_total", "sentry_issuercert_expiry_timestamp", "sentry_servercert_issue_failed_total",
        ];
        Assert.Equal(six, used.Order(StringComparer.Ordinal));
    }
}
