namespace Instrumentation.AspNetCore;

/// <summary>
/// Endpoint metadata that marks an endpoint mapped by <c>MapMetrics</c>, so that <c>UseHttpMetrics</c> can leave
/// scrapes out of the request metrics.
/// </summary>
public sealed class MetricsEndpointMetadata
{
    /// <summary>The shared instance.</summary>
    public static MetricsEndpointMetadata Instance { get; } = new();

    private MetricsEndpointMetadata()
    {
    }
}
