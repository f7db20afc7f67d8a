using Instrumentation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the standalone metrics server to a metrics registry.</summary>
public static class MetricsServerBuilderExtensions
{
    /// <summary>
    /// Serves the registry over HTTP from a listener of its own (BCL <c>HttpListener</c>, no ASP.NET Core), for workers,
    /// console apps and services that have no web server: <c>GET</c>/<c>HEAD</c> on <c>Metrics:Server:Path</c>
    /// (default <c>/metrics</c>) at <c>Metrics:Server:Host</c> (default <c>+</c>, every interface) and
    /// <c>Metrics:Server:Port</c> (default 9464), with exactly the behaviour of <c>MapMetrics</c> (the same scrape
    /// handler); other paths get <c>404</c>. It starts and stops with the host; a port already in use fails start-up
    /// with an exception naming the address. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder <c>AddMetricsRegistry()</c> returned.</param>
    /// <param name="configure">Changes the server options after configuration is bound.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IMetricsBuilder AddMetricsServer(this IMetricsBuilder builder, Action<MetricsServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricsServer>());
        if (configure is not null)
        {
            builder.Services.Configure<MetricsOptions>(o => configure(o.Server));
        }
        return builder;
    }
}
