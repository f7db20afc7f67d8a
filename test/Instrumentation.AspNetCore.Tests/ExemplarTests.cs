using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>UseHttpMetrics' duration histogram and typed counters carry the request's trace as an exemplar.</summary>
public sealed class ExemplarTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ParentSpanId = "00f067aa0ba902b7";

    private static Task<TestApp> StartAsync(IDictionary<string, string?>? configuration = null) =>
        TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app =>
            {
                app.UseHttpMetrics();
                app.MapGet("/orders/{id}", (int id, ICounter<OrdersLookedUp> lookups) =>
                {
                    lookups.Inc();
                    return Results.Ok(id);
                });
                app.MapMetrics();
            },
            configuration);

    private static async Task<string> OpenMetricsScrapeAsync(TestApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));
        using var response = await app.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task SendTracedAsync(TestApp app, string flags)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/7");
        request.Headers.Add("traceparent", $"00-{TraceId}-{ParentSpanId}-{flags}");
        (await app.Client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_request_with_a_sampled_traceparent_leaves_its_trace_id_on_the_duration_bucket_and_the_counter()
    {
        await using var app = await StartAsync();

        await SendTracedAsync(app, "01");
        var text = await OpenMetricsScrapeAsync(app);

        var bucket = text.Split('\n').Where(l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("/orders/{id}"));
        Assert.Single(bucket, l => l.Contains($"trace_id=\"{TraceId}\"", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("orders_looked_up_total ", StringComparison.Ordinal) && l.Contains($"trace_id=\"{TraceId}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unsampled_traceparent_or_Metrics_Exemplars_Off_leaves_no_exemplar()
    {
        await using (var app = await StartAsync())
        {
            await SendTracedAsync(app, "00");
            Assert.DoesNotContain(" # {", await OpenMetricsScrapeAsync(app));
        }
        await using (var app = await StartAsync(new Dictionary<string, string?> { ["Metrics:Exemplars"] = "Off" }))
        {
            await SendTracedAsync(app, "01");
            Assert.DoesNotContain(" # {", await OpenMetricsScrapeAsync(app));
        }
    }

    private sealed class OrdersLookedUp : ICounterDefinition
    {
        public static string Name => "orders_looked_up_total";

        public static string Help => "Order lookups.";
    }
}
