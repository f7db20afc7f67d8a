namespace Instrumentation.Collectors;

/// <summary>Options of a <see cref="ProcessCollector"/>.</summary>
public sealed class ProcessCollectorOptions
{
    /// <summary>
    /// A prefix for every metric name, joined with <c>_</c> (<c>"app"</c> gives <c>app_process_cpu_seconds_total</c>);
    /// null or empty for the standard names that dashboards expect.
    /// </summary>
    public string? Namespace { get; set; }
}
