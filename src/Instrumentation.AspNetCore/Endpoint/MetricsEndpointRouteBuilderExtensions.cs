using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Prometheus metrics endpoint.</summary>
public static class MetricsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps an endpoint at <paramref name="pattern"/> that serves the registry's metrics to <c>GET</c> and <c>HEAD</c>
    /// requests (other methods get <c>405</c>), in the format the scraper's <c>Accept</c> header asks for.
    /// </summary>
    /// <param name="endpoints">The route builder (<c>app</c> in a minimal API).</param>
    /// <param name="pattern">The route pattern. Default: <c>/metrics</c>.</param>
    /// <param name="configure">Sets the endpoint's options (<see cref="MetricsEndpointOptions.OpenMetricsCreatedSamples"/> starts from <c>Metrics:OpenMetricsCreatedSamples</c>).</param>
    /// <returns>
    /// A builder for endpoint conventions: <c>.RequireAuthorization()</c>, <c>.RequireHost("*:9102")</c>,
    /// <c>.WithName(...)</c> and the like.
    /// </returns>
    /// <exception cref="InvalidOperationException"><c>services.AddMetricsRegistry()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics", Action<MetricsEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        if (endpoints.ServiceProvider.GetService<MetricsMarkerService>() is null)
        {
            throw MetricsMarkerService.Missing(nameof(MapMetrics));
        }

        // Defaults from configuration (Metrics:OpenMetricsCreatedSamples), then the code's own settings.
        var options = new MetricsEndpointOptions
        {
            OpenMetricsCreatedSamples = endpoints.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.OpenMetricsCreatedSamples,
        };
        configure?.Invoke(options);
        var pipeline = endpoints.CreateApplicationBuilder()
            .UseMiddleware<MetricsEndpointMiddleware>(Options.Create(options))
            .Build();

        return endpoints.Map(pattern, pipeline)
            .WithDisplayName("Prometheus metrics")
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]), MetricsEndpointMetadata.Instance);
    }
}
