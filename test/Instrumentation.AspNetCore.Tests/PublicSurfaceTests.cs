using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>The design fixes where the ASP.NET Core entry points live: one <c>using Instrumentation.AspNetCore;</c> finds them all.</summary>
public class PublicSurfaceTests
{
    [Fact]
    public void Entry_points_and_options_are_in_the_Instrumentation_AspNetCore_namespace()
    {
        Type[] types =
        [
            typeof(MetricsServiceCollectionExtensions),
            typeof(MetricsBuilderExtensions),
            typeof(MetricsEndpointRouteBuilderExtensions),
            typeof(HttpMetricsApplicationBuilderExtensions),
            typeof(IMetricsBuilder),
            typeof(MetricsOptions),
            typeof(MetricsEndpointOptions),
            typeof(HttpMetricsOptions),
        ];

        Assert.All(types, type => Assert.Equal("Instrumentation.AspNetCore", type.Namespace));
    }

    [Fact]
    public void Entry_points_have_the_designed_shapes()
    {
        // Called as static methods, fully qualified: the signatures the design names compile as written.
        var services = new ServiceCollection();
        IMetricsBuilder builder = Instrumentation.AspNetCore.MetricsServiceCollectionExtensions.AddMetricsRegistry(services, configure: null);
        Assert.Same(services, builder.Services);

        var web = WebApplication.CreateBuilder();
        Instrumentation.AspNetCore.MetricsServiceCollectionExtensions.AddMetricsRegistry(web.Services);
        var app = web.Build();
        IEndpointConventionBuilder endpoint = Instrumentation.AspNetCore.MetricsEndpointRouteBuilderExtensions.MapMetrics(app, "/metrics");
        IApplicationBuilder pipeline = Instrumentation.AspNetCore.HttpMetricsApplicationBuilderExtensions.UseHttpMetrics(app);
        Assert.NotNull(endpoint);
        Assert.Same(app, pipeline);
    }
}
