using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Sets each check's status gauge (0 unhealthy, 0.5 degraded, 1 healthy) and duration gauge from every report the
/// health-check publisher service hands it (by default 5 s after start, then every 30 s; see
/// <see cref="HealthCheckPublisherOptions"/>).
/// </summary>
internal sealed class HealthCheckMetricsPublisher : IHealthCheckPublisher
{
    private readonly HealthCheckMetrics _metrics;
    private readonly Func<HealthCheckRegistration, bool>? _predicate;
    private readonly Dictionary<string, HealthCheckRegistration> _registrations;

    public HealthCheckMetricsPublisher(HealthCheckMetrics metrics, IOptions<HealthCheckMetricsOptions> options, IOptions<HealthCheckServiceOptions> checks)
    {
        _metrics = metrics;
        _predicate = options.Value.Predicate;
        _registrations = new Dictionary<string, HealthCheckRegistration>(StringComparer.Ordinal);
        foreach (var registration in checks.Value.Registrations)
        {
            _registrations.TryAdd(registration.Name, registration);
        }
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (name, entry) in report.Entries)
        {
            if (_predicate is not null && !(_registrations.TryGetValue(name, out var registration) && _predicate(registration)))
            {
                continue;
            }
            _metrics.Status.WithLabels(name).Set(StatusValue(entry.Status));
            _metrics.Duration.WithLabels(name).Set(entry.Duration.TotalSeconds);
        }
        return Task.CompletedTask;
    }

    /// <summary>prometheus-net's values: unhealthy 0, degraded 0.5, healthy 1.</summary>
    internal static double StatusValue(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 1,
        HealthStatus.Degraded => 0.5,
        _ => 0,
    };
}
