namespace Instrumentation.Hosting;

/// <summary>Registered by <c>AddMetricsRegistry</c>, so the endpoint and middleware can tell it was called.</summary>
internal sealed class MetricsMarkerService
{
    public static InvalidOperationException Missing(string caller) => new(
        $"Unable to find the required services for {caller}. Add them by calling 'services.AddMetricsRegistry()' " +
        "(builder.Services.AddMetricsRegistry()) when configuring the application's services.");
}
