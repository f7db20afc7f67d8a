using System.Text;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Instrumentation.AspNetCore.Grpc.Tests;

/// <summary>
/// A gRPC service written by hand — its methods described with <see cref="Method{TRequest,TResponse}"/> and a UTF-8
/// string marshaller, bound by an <see cref="IServiceMethodProvider{TService}"/> — so the tests need no protoc.
/// </summary>
public sealed class CatalogService
{
    public const string ServiceName = "shop.Catalog";

    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    /// <summary>Unary: answers "item:{request}", or fails with NotFound for "missing" and with an exception for "crash".</summary>
    public static readonly Method<string, string> Lookup = new(MethodType.Unary, ServiceName, "Lookup", Utf8, Utf8);

    /// <summary>Server streaming: writes one message, then waits for <see cref="ReleaseWatch"/> (or the call's cancellation) and ends with the status it was given.</summary>
    public static readonly Method<string, string> Watch = new(MethodType.ServerStreaming, ServiceName, "Watch", Utf8, Utf8);

    /// <summary>Not implemented by the server: its calls end Unimplemented.</summary>
    public static readonly Method<string, string> Missing = new(MethodType.Unary, ServiceName, "NoSuchMethod", Utf8, Utf8);

    public TaskCompletionSource<Status> ReleaseWatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> LookupAsync(string request, ServerCallContext context) => request switch
    {
        "missing" => throw new RpcException(new Status(StatusCode.NotFound, "No such item.")),
        "crash" => throw new InvalidOperationException("The catalog is broken."),
        _ => Task.FromResult("item:" + request),
    };

    public async Task WatchAsync(string request, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        await responses.WriteAsync("first:" + request);
        // "stubborn" ignores the call's cancellation: it ends only when the test releases it.
        var status = request == "stubborn" ? await ReleaseWatch.Task : await ReleaseWatch.Task.WaitAsync(context.CancellationToken);
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status);
        }
    }

    public sealed class Binder : IServiceMethodProvider<CatalogService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<CatalogService> context)
        {
            context.AddUnaryMethod(Lookup, [], (service, request, call) => service.LookupAsync(request, call));
            context.AddServerStreamingMethod(Watch, [], (service, request, responses, call) => service.WatchAsync(request, responses, call));
        }
    }
}
