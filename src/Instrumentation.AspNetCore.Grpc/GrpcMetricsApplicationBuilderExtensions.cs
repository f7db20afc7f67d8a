using Instrumentation;
using Instrumentation.AspNetCore.Grpc;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gRPC server metrics middleware.</summary>
public static class GrpcMetricsApplicationBuilderExtensions
{
    /// <summary>
    /// Records <c>grpc_requests_received_total{service,method,status}</c>, <c>grpc_request_duration_seconds{service,method,status}</c>
    /// and <c>grpc_requests_in_progress{service,method}</c> for every call to a gRPC method mapped with
    /// <c>MapGrpcService</c>. <c>service</c> and <c>method</c> come from the method's descriptor (<c>greet.Greeter</c>,
    /// <c>SayHello</c>), <c>status</c> is the name of the gRPC status code the server sent (<c>OK</c>, <c>NotFound</c>, …).
    /// Put it after routing (in a <c>WebApplication</c>, anywhere: routing runs first) and before the endpoints.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <param name="configure">Changes the options (duration buckets).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddMetricsRegistry()</c> was not called.</exception>
    public static IApplicationBuilder UseGrpcMetrics(this IApplicationBuilder app, Action<GrpcMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.ApplicationServices.GetService<IRegisterer>() ?? throw new InvalidOperationException(
            $"Unable to find the required services for {nameof(UseGrpcMetrics)}. Add them by calling 'services.AddMetricsRegistry()' " +
            "(builder.Services.AddMetricsRegistry()) when configuring the application's services.");
        var options = new GrpcMetricsOptions();
        configure?.Invoke(options);
        return app.UseMiddleware<GrpcMetricsMiddleware>(new GrpcServerMetrics(registry, options));
    }
}
