// Only the usings a new ASP.NET Core project imports implicitly (Microsoft.NET.Sdk.Web), and a namespace outside
// Instrumentation.*: if this compiles, `builder.Services.AddMetricsRegistry()` and `app.MapMetrics("/metrics")` need no
// extra `using` in a user's Program.cs.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace NoUsingsWebApp;

public class NoUsingsWebAppTests
{
    [Fact]
    public void The_design_card_compiles_with_only_the_web_sdk_implicit_usings()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddMetricsRegistry().AddProcessCollector().AddRuntimeCollector().AddMeter("Example.*");
        var app = builder.Build();
        app.UseHttpMetrics();
        var endpoint = app.MapMetrics("/metrics");

        Assert.NotNull(endpoint);
    }
}
