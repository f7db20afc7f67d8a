using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

public sealed class HttpMetricsTests
{
    private static Task<TestApp> StartAsync(Action<HttpMetricsOptions>? configure = null, Action<WebApplication>? endpoints = null) =>
        TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app =>
            {
                app.UseHttpMetrics(configure);
                app.MapGet("/orders/{id}", (int id) => Results.Ok(id));
                app.MapGet("/tenants/{tenant}/items", (string tenant) => Results.Ok(tenant));
                app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
                endpoints?.Invoke(app);
                app.MapMetrics();
            });

    [Fact]
    public async Task Requests_to_one_route_with_different_ids_share_one_series_labelled_with_the_template()
    {
        await using var app = await StartAsync();

        foreach (var id in new[] { 1, 2, 3 })
        {
            (await app.Client.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        }
        var samples = Exposition.Parse(await app.ScrapeAsync());

        var series = Assert.Single(samples.Named("http_requests_received_total"));
        Assert.Equal("/orders/{id}", series.Labels["route"]);
        Assert.Equal("GET", series.Labels["method"]);
        Assert.Equal("200", series.Labels["code"]);
        Assert.Equal(3, series.Value);
        Assert.Equal(3, samples.Value("http_request_duration_seconds_count", ("route", "/orders/{id}")));
        Assert.Equal(0, samples.Value("http_requests_in_progress", ("route", "/orders/{id}"), ("method", "GET")));
    }

    [Fact]
    public async Task Unmatched_requests_share_the_unmatched_route_value()
    {
        await using var app = await StartAsync();

        await app.Client.GetAsync("/nothing/here");
        await app.Client.GetAsync("/nor/here");
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(2, samples.Value("http_requests_received_total", ("route", HttpMetricsOptions.UnmatchedRoute), ("code", "404")));
    }

    [Fact]
    public async Task Scrapes_are_left_out_by_default()
    {
        await using var app = await StartAsync();

        await app.ScrapeAsync();
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.DoesNotContain(samples, s => s.Name == "http_requests_received_total" && s.Labels["route"] == "/metrics");
    }

    [Fact]
    public async Task Scrapes_are_counted_when_the_metrics_endpoint_is_not_excluded()
    {
        await using var app = await StartAsync(o => o.ExcludeMetricsEndpoints = false);

        await app.ScrapeAsync();
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", "/metrics")));
    }

    [Fact]
    public async Task A_request_that_throws_is_recorded_as_500()
    {
        await using var app = await StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => app.Client.GetAsync("/boom"));
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", "/boom"), ("code", "500")));
    }

    [Fact]
    public async Task Extra_labels_come_from_route_values_and_callbacks()
    {
        await using var app = await StartAsync(o => o
            .AddRouteValueLabel("tenant")
            .AddLabel("scheme", context => context.Request.IsHttps ? "https" : "http"));

        await app.Client.GetAsync("/tenants/acme/items");
        await app.Client.GetAsync("/orders/1");
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", "/tenants/{tenant}/items"), ("tenant", "acme"), ("scheme", "http")));
        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", "/orders/{id}"), ("tenant", ""), ("scheme", "http")));
        Assert.Equal(1, samples.Value("http_request_duration_seconds_count", ("tenant", "acme")));
    }

    [Fact]
    public async Task A_request_being_handled_shows_in_progress()
    {
        var entered = new SemaphoreSlim(0);
        var release = new SemaphoreSlim(0);
        await using var app = await StartAsync(endpoints: app => app.MapGet("/slow", async () =>
        {
            entered.Release();
            await release.WaitAsync(TimeSpan.FromSeconds(30));
            return "done";
        }));

        var slow = app.Client.GetAsync("/slow");
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)));
        var during = Exposition.Parse(await app.ScrapeAsync());
        release.Release();
        (await slow).EnsureSuccessStatusCode();
        var after = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, during.Value("http_requests_in_progress", ("route", "/slow"), ("method", "GET")));
        Assert.Equal(0, after.Value("http_requests_in_progress", ("route", "/slow"), ("method", "GET")));
    }

    [Fact]
    public async Task Duration_buckets_are_configurable()
    {
        await using var app = await StartAsync(o => o.DurationBuckets = [0.5, 5]);

        await app.Client.GetAsync("/orders/1");
        var buckets = Exposition.Parse(await app.ScrapeAsync()).Named("http_request_duration_seconds_bucket").Select(s => s.Labels["le"]).ToList();

        Assert.Equal(["0.5", "5", "+Inf"], buckets);
    }

    [Fact]
    public async Task The_duration_histogram_can_keep_native_buckets_too()
    {
        await using var app = await StartAsync(o => o.DurationNativeBucketFactor = 1.1);

        await app.Client.GetAsync("/orders/1");
        var registry = app.Services.GetRequiredService<Registry>();
        var point = registry.Gather().Single(f => f.Name == "http_request_duration_seconds").Metrics.Single();

        Assert.Equal(3, point.NativeSchema); // factor 1.1 → schema 3
        Assert.Equal(1UL, point.Count);
        Assert.Equal(1UL, point.NativeZeroCount + point.PositiveBuckets.Aggregate(0UL, (sum, b) => sum + b.Count));
        // The text exposition is unchanged: classic buckets only.
        Assert.Contains(Exposition.Parse(await app.ScrapeAsync()), s => s.Name == "http_request_duration_seconds_bucket");
    }

    [Fact]
    public async Task Unknown_methods_are_labelled_OTHER()
    {
        await using var app = await StartAsync();

        await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/orders/1"));
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Contains(samples, s => s.Name == "http_requests_received_total" && s.Labels["method"] == "OTHER");
    }

    [Fact]
    public async Task Unordered_duration_buckets_fail_at_start_up_naming_the_metric()
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => StartAsync(o => o.DurationBuckets = [1, 0.5]));

        Assert.Contains("http_request_duration_seconds", ex.Message);
    }

    [Fact]
    public async Task UseHttpMetrics_in_two_pipelines_records_into_the_same_families()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app =>
            {
                app.UseHttpMetrics();
                app.Map("/branch", branch =>
                {
                    branch.UseHttpMetrics();
                    branch.Run(context => context.Response.WriteAsync("branch"));
                });
                app.MapGet("/orders/{id}", (int id) => Results.Ok(id));
                app.MapMetrics();
            });

        await app.Client.GetAsync("/orders/1");
        await app.Client.GetAsync("/branch");
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", "/orders/{id}")));
        // The branch's request passes both middlewares: it is counted twice, once by each.
        Assert.Equal(2, samples.Value("http_requests_received_total", ("route", HttpMetricsOptions.UnmatchedRoute)));
    }

    [Fact]
    public async Task Extra_labels_cannot_reuse_a_built_in_name()
    {
        var options = new HttpMetricsOptions();

        Assert.Throws<ArgumentException>(() => options.AddLabel("route", _ => "x"));
        await Task.CompletedTask;
    }
}
