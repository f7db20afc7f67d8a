using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Options of the health-check metrics that <c>ForwardToMetrics</c> publishes:
/// <c>aspnetcore_healthcheck_status{name}</c> and <c>aspnetcore_healthcheck_duration_seconds{name}</c>.
/// </summary>
public sealed class HealthCheckMetricsOptions
{
    /// <summary>
    /// Which checks are published, given each check's registration (name, tags, …) — the same kind of filter as
    /// <c>HealthCheckOptions.Predicate</c> of <c>MapHealthChecks</c>. Null (the default): every check the publisher
    /// runs (all of them, unless <see cref="HealthCheckPublisherOptions.Predicate"/> narrows that for every publisher).
    /// </summary>
    public Func<HealthCheckRegistration, bool>? Predicate { get; set; }
}
