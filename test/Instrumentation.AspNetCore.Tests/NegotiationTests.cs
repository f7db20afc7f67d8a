using Microsoft.AspNetCore.Builder;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

public sealed class NegotiationTests
{
    private const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private const string ProtobufAccept = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5";

    private static Task<TestApp> StartAsync(Action<MetricsEndpointOptions>? configure = null) =>
        TestApp.StartAsync(b => b.Services.AddMetricsRegistry(), app => app.MapMetrics("/metrics", configure),
            new Dictionary<string, string?> { ["Metrics:Collectors:Process"] = "false", ["Metrics:Collectors:Runtime"] = "false" });

    private static async Task<HttpResponseMessage> GetAsync(TestApp app, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task OpenMetrics_is_served_when_the_scraper_prefers_it()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();

        var response = await GetAsync(app, OpenMetricsAccept);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("# EOF\n", body);
        Assert.Contains("test_requests_served_total 1", body);
    }

    [Fact]
    public async Task The_text_format_is_served_when_OpenMetrics_is_off()
    {
        await using var app = await StartAsync(o => o.EnableOpenMetrics = false);

        var response = await GetAsync(app, OpenMetricsAccept);

        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        Assert.DoesNotContain("# EOF", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Protobuf_is_served_when_asked_and_enabled()
    {
        await using var app = await StartAsync();

        var response = await GetAsync(app, ProtobufAccept);

        Assert.StartsWith("application/vnd.google.protobuf", response.Content.Headers.ContentType!.ToString());
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Protobuf_off_falls_back_to_the_next_preference()
    {
        await using var app = await StartAsync(o => o.EnableProtobuf = false);

        var response = await GetAsync(app, ProtobufAccept);

        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task OpenMetrics_created_samples_are_off_by_default_and_follow_the_endpoint_option()
    {
        await using var withCreated = await StartAsync(o => o.OpenMetricsCreatedSamples = true);
        await using var withoutCreated = await StartAsync();
        withCreated.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();
        withoutCreated.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();

        var on = await (await GetAsync(withCreated, OpenMetricsAccept)).Content.ReadAsStringAsync();
        var off = await (await GetAsync(withoutCreated, OpenMetricsAccept)).Content.ReadAsStringAsync();

        Assert.Contains("test_requests_served_created", on);
        Assert.DoesNotContain("test_requests_served_created", off);
    }
}
