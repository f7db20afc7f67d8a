using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Instrumentation.AspNetCore.Grpc;

/// <summary>
/// Records every call to a gRPC method endpoint: in progress while it runs, then counted and timed with the status
/// the server sent. Service and method come from the endpoint's <see cref="GrpcMethodMetadata"/> (the service's own
/// descriptor, not the request path), so they are a fixed set; requests to other endpoints — plain HTTP, or gRPC calls
/// to methods the server does not implement — pass through unrecorded.
/// </summary>
/// <remarks>
/// The status is read after the gRPC pipeline has finished, from what it wrote (trailer or, for trailers-only responses,
/// header), so it covers every way a call ends: a returned response, an <see cref="RpcException"/>, any other exception
/// (<c>Unknown</c>), an exceeded deadline or a cancelled call. Label values are strings that already exist (the method
/// descriptor's names, cached status names): recording a call to a seen method allocates nothing.
/// </remarks>
internal sealed class GrpcMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GrpcServerMetrics _metrics;

    public GrpcMetricsMiddleware(RequestDelegate next, GrpcServerMetrics metrics)
    {
        _next = next;
        _metrics = metrics;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>();
        return metadata is null ? _next(context) : RecordAsync(context, metadata.Method);
    }

    private Task RecordAsync(HttpContext context, IMethod method)
    {
        var inProgress = _metrics.InProgress.WithLabels(method.ServiceName, method.Name);
        inProgress.Inc();
        var start = Stopwatch.GetTimestamp();
        Task next;
        try
        {
            next = _next(context);
        }
        catch
        {
            inProgress.Dec();
            Record(method, nameof(StatusCode.Unknown), start);
            throw;
        }
        if (next.IsCompletedSuccessfully)
        {
            // Finished without suspending: no state machine at all.
            inProgress.Dec();
            Record(method, GrpcStatusLabels.Read(context), start);
            return Task.CompletedTask;
        }
        return AwaitAndRecordAsync(next, context, method, inProgress, start);
    }

    private async Task AwaitAndRecordAsync(Task next, HttpContext context, IMethod method, Gauge inProgress, long start)
    {
        var failed = false;
        try
        {
            await next;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            inProgress.Dec();
            // Grpc.AspNetCore turns a service's exceptions into a status itself; one that escapes it came from
            // elsewhere in the pipeline (an HTTP 500 or a reset stream to the client) and is recorded as Unknown.
            Record(method, failed ? nameof(StatusCode.Unknown) : GrpcStatusLabels.Read(context), start);
        }
    }

    /// <summary>Outside the async method, so that the label span lives on the stack rather than in an array.</summary>
    private void Record(IMethod method, string status, long start)
    {
        var seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        ReadOnlySpan<string> labels = [method.ServiceName, method.Name, status];
        _metrics.Requests.WithLabels(labels).Inc();
        _metrics.Duration.WithLabels(labels).Observe(seconds);
    }
}
