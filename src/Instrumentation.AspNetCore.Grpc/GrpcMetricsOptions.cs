namespace Instrumentation.AspNetCore.Grpc;

/// <summary>
/// Options of the gRPC server metrics recorded by <c>UseGrpcMetrics</c>:
/// <c>grpc_requests_received_total{service,method,status}</c>, <c>grpc_request_duration_seconds{service,method,status}</c>
/// and <c>grpc_requests_in_progress{service,method}</c>.
/// </summary>
public sealed class GrpcMetricsOptions
{
    /// <summary>
    /// Upper bounds (seconds) of the duration histogram's buckets. Default: 5 ms to 10 s, as for
    /// <c>http_request_duration_seconds</c>. A streaming call's duration is its whole life, so services with long
    /// streams want larger bounds.
    /// </summary>
    public double[] DurationBuckets { get; set; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
}
