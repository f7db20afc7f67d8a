namespace Instrumentation.AspNetCore;

/// <summary>The two families the health-check publisher sets, registered once per registry.</summary>
internal sealed class HealthCheckMetrics
{
    /// <summary>prometheus-net's name, help and values, so its users' alerts keep working.</summary>
    public const string StatusHelp = "ASP.NET Core health check status (0 == Unhealthy, 0.5 == Degraded, 1 == Healthy)";

    public HealthCheckMetrics(IRegisterer registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Status = registry.RegisterOrGetExisting(new GaugeVec(new GaugeOptions { Name = "aspnetcore_healthcheck_status", Help = StatusHelp }, ["name"]));
        Duration = registry.RegisterOrGetExisting(new GaugeVec(new GaugeOptions
        {
            Name = "aspnetcore_healthcheck_duration_seconds",
            Help = "How long the ASP.NET Core health check took when it last ran.",
        }, ["name"]));
    }

    public GaugeVec Status { get; }

    public GaugeVec Duration { get; }
}
