using Instrumentation.TestShared;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>
/// examples/dashboards/aspnetcore.json queries only what the library exposes: every metric name in every panel's
/// PromQL exists in a scrape of the QuickStart app after some traffic (or is a series Prometheus makes itself).
/// The conformance run evaluates the same queries against a real Prometheus.
/// </summary>
public sealed class DashboardTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Every_metric_the_aspnetcore_dashboard_queries_is_in_a_quickstart_scrape()
    {
        var client = _factory.CreateClient();
        (await client.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        (await client.PostAsync("/checkout?channel=web", null)).EnsureSuccessStatusCode();
        await client.GetStringAsync("/metrics");
        var exposed = DashboardQueries.SampleNames(await client.GetStringAsync("/metrics"));

        var queries = DashboardQueries.Expressions(DashboardQueries.File("aspnetcore.json"));

        Assert.True(queries.Count >= 10, $"only {queries.Count} queries");
        var missing = queries
            .SelectMany(q => DashboardQueries.MetricNames(q.Expr).Select(name => (q.Panel, Name: name)))
            .Where(x => !exposed.Contains(x.Name) && !DashboardQueries.PrometheusSeries.Contains(x.Name))
            .Select(x => $"{x.Panel}: {x.Name}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, "not in the scrape: " + string.Join("; ", missing));
    }

    [Fact]
    public void Metric_names_are_read_from_promql_without_functions_labels_or_ranges()
    {
        var names = DashboardQueries.MetricNames(
            "(sum(rate(a_total{job=~\"$job\",code=~\"5..\"}[$__rate_interval])) or vector(0)) / sum by (le, route) (rate(b_bucket[5m])) - time() > bool 0");

        Assert.Equal(["a_total", "b_bucket"], names.Order(StringComparer.Ordinal));
    }
}
