using Instrumentation;
using Instrumentation.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Publishes health-check results as metrics.</summary>
public static class HealthCheckMetricsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Publishes each check's last result as <c>aspnetcore_healthcheck_status{name}</c> (0 unhealthy, 0.5 degraded,
    /// 1 healthy — prometheus-net's name and values) and <c>aspnetcore_healthcheck_duration_seconds{name}</c>, set by an
    /// <see cref="IHealthCheckPublisher"/> each time the checks run in the background (<see cref="HealthCheckPublisherOptions"/>:
    /// first after <c>Delay</c>, 5 s by default, then every <c>Period</c>, 30 s). Calling it again only adds
    /// <paramref name="configure"/>. Needs <c>services.AddMetricsRegistry()</c>; without it the host fails to start with an
    /// <see cref="InvalidOperationException"/> saying so.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Chooses which checks are published (<see cref="HealthCheckMetricsOptions.Predicate"/>).</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder ForwardToMetrics(this IHealthChecksBuilder builder, Action<HealthCheckMetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HealthCheckMetricsOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }
        builder.Services.TryAddSingleton(static sp => new HealthCheckMetrics(
            sp.GetService<IRegisterer>() ?? throw new InvalidOperationException(
                $"Unable to find the required services for {nameof(ForwardToMetrics)}. Add them by calling 'services.AddMetricsRegistry()' " +
                "(builder.Services.AddMetricsRegistry()) when configuring the application's services.")));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthCheckPublisher, HealthCheckMetricsPublisher>());
        return builder;
    }
}
