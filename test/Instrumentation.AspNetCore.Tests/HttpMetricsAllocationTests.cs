using Instrumentation.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore.Tests;

public sealed class HttpMetricsAllocationTests
{
    [Fact]
    public async Task Recording_a_request_to_a_seen_route_allocates_nothing()
    {
        var registry = new Registry();
        var middleware = new HttpMetricsMiddleware(_ => Task.CompletedTask, Options.Create(new HttpMetricsOptions()), registry);
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Response.StatusCode = 200;
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/orders/{id}"), 0, EndpointMetadataCollection.Empty, "orders"));

        // The first request creates the series; the ones after find them. Warm up past the JIT's first tiers, whose
        // call counting allocates on the calling thread.
        for (var i = 0; i < 1000; i++)
        {
            await middleware.InvokeAsync(context);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await middleware.InvokeAsync(context);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1100, Exposition.Parse(Scrape(registry)).Value("http_requests_received_total", ("route", "/orders/{id}")));
    }

    private static string Scrape(Registry registry) => Exposition.Text(registry.Gather());
}
