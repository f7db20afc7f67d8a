namespace Instrumentation.AspNetCore.Grpc;

/// <summary>The three families <c>UseGrpcMetrics</c> records into, registered once per registry.</summary>
internal sealed class GrpcServerMetrics
{
    public GrpcServerMetrics(IRegisterer registry, GrpcMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        string[] labels = ["service", "method", "status"];
        Requests = Register(registry, new CounterVec(new CounterOptions
        {
            Name = "grpc_requests_received_total",
            Help = "gRPC calls handled, by service, method and gRPC status.",
        }, labels));
        Duration = Register(registry, new HistogramVec(new HistogramOptions
        {
            Name = "grpc_request_duration_seconds",
            Help = "Time taken to handle gRPC calls (a streaming call's whole life), by service, method and gRPC status.",
            Buckets = options.DurationBuckets,
        }, labels));
        InProgress = Register(registry, new GaugeVec(new GaugeOptions
        {
            Name = "grpc_requests_in_progress",
            Help = "gRPC calls being handled right now, by service and method.",
        }, ["service", "method"]));
    }

    public CounterVec Requests { get; }

    public HistogramVec Duration { get; }

    public GaugeVec InProgress { get; }

    /// <summary>Registers <paramref name="collector"/>, or takes the equal one already there (a second pipeline on one registry).</summary>
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
