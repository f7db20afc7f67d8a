using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>ASP.NET Core's own meters, bridged into Prometheus families on a running app.</summary>
public class FrameworkMeterTests
{
    [Fact]
    public async Task Hosting_request_duration_is_bridged_with_route_template_after_real_requests()
    {
        // A route template no other test uses, so series from apps running in parallel cannot be confused with ours.
        var template = "/bridge-" + Guid.NewGuid().ToString("N")[..8] + "/{id}";
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app =>
            {
                app.MapGet(template, (string id) => Results.Ok(id));
                app.MapMetrics();
            },
            new Dictionary<string, string?> { ["Metrics:Collectors:Meters:0"] = "Microsoft.AspNetCore.*" });

        for (var i = 0; i < 3; i++)
        {
            var response = await app.Client.GetAsync(template.Replace("{id}", i.ToString()));
            Assert.True(response.IsSuccessStatusCode);
        }

        var text = await app.ScrapeAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
        var samples = Exposition.Parse(text);
        var count = samples.Single(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Has(("http_route", template), ("http_request_method", "GET"), ("http_response_status_code", "200")));
        Assert.Equal(3, count.Value);
        var infBucket = samples.Single(s => s.Name == "http_server_request_duration_seconds_bucket"
            && s.Has(("http_route", template), ("le", "+Inf")));
        Assert.Equal(3, infBucket.Value);
        // ASP.NET Core advises its own buckets for this histogram (0.005 ... 10); they must be the ones exposed.
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Has(("http_route", template), ("le", "0.005")));
        // Kestrel is not used by the test server, but the hosting meter's other instruments are.
        Assert.Contains(samples, s => s.Name == "http_server_active_requests");
    }

    [Fact]
    public async Task Bridged_hosting_requests_that_match_no_route_are_labelled_unmatched_like_UseHttpMetrics()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app =>
            {
                app.UseHttpMetrics();
                app.MapMetrics();
            },
            new Dictionary<string, string?> { ["Metrics:Collectors:Meters:0"] = "Microsoft.AspNetCore.Hosting" });

        var response = await app.Client.GetAsync("/no-route-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);

        var samples = Exposition.Parse(await app.ScrapeAsync());
        var bridged = samples.Where(s => s.Name == "http_server_request_duration_seconds_count" && s.Has(("http_response_status_code", "404"))).ToList();
        Assert.NotEmpty(bridged);
        Assert.All(bridged, s => Assert.Equal(HttpMetricsOptions.UnmatchedRoute, s.Labels.GetValueOrDefault("http_route")));
        Assert.Equal(1, samples.Value("http_requests_received_total", ("route", HttpMetricsOptions.UnmatchedRoute), ("code", "404")));
    }
}
