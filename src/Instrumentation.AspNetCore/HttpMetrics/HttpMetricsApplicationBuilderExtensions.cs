using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the HTTP request metrics middleware.</summary>
public static class HttpMetricsApplicationBuilderExtensions
{
    /// <summary>
    /// Records <c>http_requests_received_total{code,method,route}</c>, <c>http_request_duration_seconds{code,method,route}</c>
    /// and <c>http_requests_in_progress{method,route}</c> for every request that passes this point of the pipeline.
    /// <c>route</c> is the matched endpoint's route template (<c>/orders/{id}</c>), or <c>&lt;unmatched&gt;</c>. Put it
    /// early (after <c>UseRouting</c> when you call that yourself) so the duration covers the rest of the pipeline.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>services.AddMetricsRegistry()</c> was not called.</exception>
    public static IApplicationBuilder UseHttpMetrics(this IApplicationBuilder app, Action<HttpMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<MetricsMarkerService>() is null)
        {
            throw MetricsMarkerService.Missing(nameof(UseHttpMetrics));
        }
        var options = new HttpMetricsOptions();
        configure?.Invoke(options);
        return app.UseMiddleware<HttpMetricsMiddleware>(Options.Create(options));
    }
}
