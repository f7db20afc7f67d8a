using Instrumentation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a hosted Pushgateway pusher to the registry set up by <c>AddMetricsRegistry</c>.</summary>
public static class MetricsPushBuilderExtensions
{
    /// <summary>
    /// Pushes the registry to a Prometheus Pushgateway while the host runs: once at start, every
    /// <see cref="MetricsPushOptions.IntervalSeconds"/>, and once more at stop (or deletes the group then, with
    /// <see cref="MetricsPushOptions.DeleteOnStop"/>). Options come from <c>Metrics:Push</c> and
    /// <paramref name="configure"/>; they are validated when the host starts, naming the bad key (a <c>Url</c> that
    /// already ends in <c>/metrics</c> is refused). An empty <c>Url</c> leaves pushing off. Calling it again is harmless
    /// (it only adds <paramref name="configure"/>).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddMetricsRegistry</c>.</param>
    /// <param name="configure">Changes the push options after configuration is bound.</param>
    /// <returns>The builder.</returns>
    public static IMetricsBuilder AddMetricsPusher(this IMetricsBuilder builder, Action<MetricsPushOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsPushOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricsPushService>());
        if (configure is not null)
        {
            builder.Services.Configure<MetricsOptions>(o => configure(o.Push));
        }
        return builder;
    }
}
