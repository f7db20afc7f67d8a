using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>
/// The design fixes where the entry points live: the extension classes in the namespaces a new web project already
/// imports (<c>Microsoft.Extensions.DependencyInjection</c>, <c>Microsoft.AspNetCore.Builder</c>), as health checks and
/// <c>IHttpClientFactory</c> do; options and other types in <c>Instrumentation.Hosting</c> /
/// <c>Instrumentation.AspNetCore</c>.
/// </summary>
public class PublicSurfaceTests
{
    [Fact]
    public void Add_extensions_are_in_the_dependency_injection_namespace()
    {
        Type[] types = [typeof(MetricsServiceCollectionExtensions), typeof(MetricsBuilderExtensions), typeof(MetricsPushBuilderExtensions)];

        Assert.All(types, type => Assert.Equal("Microsoft.Extensions.DependencyInjection", type.Namespace));
        Assert.All(types, type => Assert.Equal("Instrumentation.Hosting", type.Assembly.GetName().Name));
    }

    [Fact]
    public void Map_and_use_extensions_are_in_the_aspnetcore_builder_namespace()
    {
        Type[] types = [typeof(MetricsEndpointRouteBuilderExtensions), typeof(HttpMetricsApplicationBuilderExtensions)];

        Assert.All(types, type => Assert.Equal("Microsoft.AspNetCore.Builder", type.Namespace));
        Assert.All(types, type => Assert.Equal("Instrumentation.AspNetCore", type.Assembly.GetName().Name));
    }

    [Fact]
    public void Options_and_builder_are_in_the_instrumentation_namespaces()
    {
        Assert.Equal("Instrumentation.Hosting", typeof(IMetricsBuilder).Namespace);
        Assert.Equal("Instrumentation.Hosting", typeof(MetricsOptions).Namespace);
        Assert.Equal("Instrumentation.Hosting", typeof(MetricsCollectorsOptions).Namespace);
        Assert.Equal("Instrumentation.Hosting", typeof(MetricsPushOptions).Namespace);
        Assert.Equal("Instrumentation.AspNetCore", typeof(MetricsEndpointOptions).Namespace);
        Assert.Equal("Instrumentation.AspNetCore", typeof(HttpMetricsOptions).Namespace);
        // Metric types and the typed interfaces stay in the core namespace.
        Assert.Equal("Instrumentation", typeof(ICounter<>).Namespace);
        Assert.Equal("Instrumentation", typeof(IMetricFactory).Namespace);
    }

    [Fact]
    public void The_hosting_assembly_does_not_reference_aspnetcore()
    {
        var references = typeof(MetricsOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Entry_points_have_the_designed_shapes()
    {
        // Called as static methods, fully qualified: the signatures the design names compile as written.
        var services = new ServiceCollection();
        IMetricsBuilder builder = Microsoft.Extensions.DependencyInjection.MetricsServiceCollectionExtensions.AddMetricsRegistry(services, configure: null);
        Assert.Same(services, builder.Services);

        var web = WebApplication.CreateBuilder();
        Microsoft.Extensions.DependencyInjection.MetricsServiceCollectionExtensions.AddMetricsRegistry(web.Services);
        var app = web.Build();
        IEndpointConventionBuilder endpoint = Microsoft.AspNetCore.Builder.MetricsEndpointRouteBuilderExtensions.MapMetrics(app, "/metrics");
        IApplicationBuilder pipeline = Microsoft.AspNetCore.Builder.HttpMetricsApplicationBuilderExtensions.UseHttpMetrics(app);
        Assert.NotNull(endpoint);
        Assert.Same(app, pipeline);
    }
}
