namespace Instrumentation.AspNetCore;

/// <summary>The two families the health-check publisher sets, registered once per registry.</summary>
internal sealed class HealthCheckMetrics
{
    /// <summary>prometheus-net's name, help and values, so its users' alerts keep working.</summary>
    public const string StatusHelp = "ASP.NET Core health check status (0 == Unhealthy, 0.5 == Degraded, 1 == Healthy)";

    public HealthCheckMetrics(IRegisterer registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Status = Register(registry, new GaugeVec(new GaugeOptions { Name = "aspnetcore_healthcheck_status", Help = StatusHelp }, ["name"]));
        Duration = Register(registry, new GaugeVec(new GaugeOptions
        {
            Name = "aspnetcore_healthcheck_duration_seconds",
            Help = "How long the ASP.NET Core health check took when it last ran.",
        }, ["name"]));
    }

    public GaugeVec Status { get; }

    public GaugeVec Duration { get; }

    /// <summary>Registers <paramref name="collector"/>, or takes the equal one already there (a second container on one registry).</summary>
    private static T Register<T>(IRegisterer registry, T collector)
        where T : class, ICollector
    {
        try
        {
            registry.Register(collector);
            return collector;
        }
        catch (AlreadyRegisteredException ex) when (ex.ExistingCollector is T existing)
        {
            return existing;
        }
    }
}
