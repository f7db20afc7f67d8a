using System.Net;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Instrumentation.AspNetCore.Grpc.Tests;

/// <summary>A real Kestrel server speaking HTTP/2 on loopback, a real gRPC service on it and a GrpcChannel client.</summary>
public sealed class GrpcMetricsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private CallInvoker _client = null!;

    private CatalogService Service => _app.Services.GetRequiredService<CatalogService>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddMetricsRegistry();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<CatalogService>();
        builder.Services.AddSingleton<IServiceMethodProvider<CatalogService>, CatalogService.Binder>();
        _app = builder.Build();
        _app.UseGrpcMetrics();
        _app.MapGrpcService<CatalogService>();
        _app.MapPost("/plain", () => "not gRPC");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _channel = GrpcChannel.ForAddress(address);
        _client = _channel.CreateCallInvoker();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Calls_are_counted_and_timed_by_service_method_and_status()
    {
        Assert.Equal("item:apple", await _client.AsyncUnaryCall(CatalogService.Lookup, null, default, "apple"));
        Assert.Equal("item:pear", await _client.AsyncUnaryCall(CatalogService.Lookup, null, default, "pear"));
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.AsyncUnaryCall(CatalogService.Lookup, null, default, "missing"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(2, Value("grpc_requests_received_total", ("service", "shop.Catalog"), ("method", "Lookup"), ("status", "OK")));
        Assert.Equal(1, Value("grpc_requests_received_total", ("service", "shop.Catalog"), ("method", "Lookup"), ("status", "NotFound")));
        Assert.Equal(2UL, Point("grpc_request_duration_seconds", ("method", "Lookup"), ("status", "OK")).Count);
        Assert.Equal(1UL, Point("grpc_request_duration_seconds", ("method", "Lookup"), ("status", "NotFound")).Count);
        Assert.Equal(0, Value("grpc_requests_in_progress", ("service", "shop.Catalog"), ("method", "Lookup")));
    }

    [Fact]
    public async Task A_service_exception_is_counted_with_the_status_the_client_sees()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.AsyncUnaryCall(CatalogService.Lookup, null, default, "crash"));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal(1, Value("grpc_requests_received_total", ("method", "Lookup"), ("status", "Unknown")));
    }

    [Fact]
    public async Task A_streaming_call_is_in_progress_until_it_ends_and_its_status_comes_from_the_trailers()
    {
        using var call = _client.AsyncServerStreamingCall(CatalogService.Watch, null, default, "shelf");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("first:shelf", call.ResponseStream.Current);

        Assert.Equal(1, Value("grpc_requests_in_progress", ("service", "shop.Catalog"), ("method", "Watch")));
        Service.ReleaseWatch.SetResult(new Status(StatusCode.ResourceExhausted, "Shelf is full."));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, Value("grpc_requests_in_progress", ("method", "Watch")));
        Assert.Equal(1, Value("grpc_requests_received_total", ("method", "Watch"), ("status", "ResourceExhausted")));
    }

    [Fact]
    public async Task A_call_that_outlives_its_deadline_is_counted_as_DeadlineExceeded()
    {
        // Long enough for the handler to be running (its first message arrived) even on a loaded machine, where a
        // short deadline could pass before the call reached the handler at all.
        var deadline = DateTime.UtcNow.AddSeconds(4);
        using var call = _client.AsyncServerStreamingCall(CatalogService.Watch, null, new CallOptions(deadline: deadline), "stubborn");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        // The handler ignores cancellation; let it finish only once the deadline is behind the server too. The server's
        // deadline runs from when the call reached it, which on a loaded machine can be a good while after the client's.
        var past = deadline.AddSeconds(2) - DateTime.UtcNow;
        if (past > TimeSpan.Zero)
        {
            await Task.Delay(past);
        }
        Service.ReleaseWatch.SetResult(Status.DefaultSuccess);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await RecordedAsync("Watch");
        Assert.Equal(1, Value("grpc_requests_received_total", ("method", "Watch"), ("status", "DeadlineExceeded")));
        Assert.Equal(0, Value("grpc_requests_in_progress", ("method", "Watch")));
    }

    [Fact]
    public async Task A_call_the_client_cancels_is_counted_as_Cancelled()
    {
        using var cancel = new CancellationTokenSource();
        using var call = _client.AsyncServerStreamingCall(CatalogService.Watch, null, new CallOptions(cancellationToken: cancel.Token), "shelf");
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        await cancel.CancelAsync();

        await RecordedAsync("Watch");
        Assert.Equal(1, Value("grpc_requests_received_total", ("method", "Watch"), ("status", "Cancelled")));
        Assert.Equal(0, Value("grpc_requests_in_progress", ("method", "Watch")));
    }

    [Fact]
    public async Task Calls_to_unimplemented_methods_and_plain_requests_add_no_series()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.AsyncUnaryCall(CatalogService.Missing, null, default, "x"));
        using var http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        (await http.PostAsync("/plain", null)).EnsureSuccessStatusCode();

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        var families = _app.Services.GetRequiredService<IGatherer>().Gather().Where(f => f.Name.StartsWith("grpc_", StringComparison.Ordinal));
        Assert.All(families, f => Assert.Empty(f.Metrics));
    }

    [Fact]
    public void Without_AddMetricsRegistry_UseGrpcMetrics_says_what_to_add()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseGrpcMetrics());

        Assert.Contains("AddMetricsRegistry", error.Message);
    }

    [Fact]
    public async Task Recording_a_call_to_a_seen_method_allocates_nothing()
    {
        var registry = new Registry();
        var middleware = new GrpcMetricsMiddleware(static context =>
        {
            context.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        }, new GrpcServerMetrics(registry, new GrpcMetricsOptions()));
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new global::Grpc.AspNetCore.Server.GrpcMethodMetadata(typeof(CatalogService), CatalogService.Lookup)), "lookup"));

        // Warm up past the JIT's first tiers, whose call counting allocates on the calling thread.
        for (var i = 0; i < 1000; i++)
        {
            await middleware.InvokeAsync(context);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await middleware.InvokeAsync(context);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1100UL, registry.Gather().Single(f => f.Name == "grpc_request_duration_seconds").Metrics.Single().Count);
    }

    [Fact]
    public async Task An_exception_that_escapes_the_gRPC_pipeline_is_recorded_as_Unknown()
    {
        var registry = new Registry();
        var middleware = new GrpcMetricsMiddleware(static async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("Broken middleware.");
        }, new GrpcServerMetrics(registry, new GrpcMetricsOptions()));
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new global::Grpc.AspNetCore.Server.GrpcMethodMetadata(typeof(CatalogService), CatalogService.Lookup)), "lookup"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(context));

        var calls = registry.Gather().Single(f => f.Name == "grpc_requests_received_total").Metrics.Single();
        Assert.Equal("Unknown", calls.Labels.GetValue("status"));
        Assert.Equal(1, calls.Value);
        Assert.Equal(0, registry.Gather().Single(f => f.Name == "grpc_requests_in_progress").Metrics.Single().Value);
    }

    [Fact]
    public async Task The_families_pass_the_metric_name_linter()
    {
        await _client.AsyncUnaryCall(CatalogService.Lookup, null, default, "apple");

        var families = _app.Services.GetRequiredService<IGatherer>().Gather().Where(f => f.Name.StartsWith("grpc_", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, families.Count);
        Assert.Empty(Instrumentation.Testing.Linter.Lint(families));
    }

    /// <summary>Waits, at most 30 s, until a call to <paramref name="method"/> has been counted.</summary>
    private async Task RecordedAsync(string method)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_app.Services.GetRequiredService<IGatherer>().Gather().Any(f => f.Name == "grpc_requests_received_total" && f.Metrics.Any(p => p.Labels.GetValue("method") == method))
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private double Value(string family, params (string Name, string Value)[] labels) => Point(family, labels).Value;

    private MetricPoint Point(string family, params (string Name, string Value)[] labels)
    {
        var points = _app.Services.GetRequiredService<IGatherer>().Gather().Single(f => f.Name == family).Metrics
            .Where(p => labels.All(l => p.Labels.GetValue(l.Name) == l.Value))
            .ToList();
        Assert.True(points.Count == 1, $"Expected one {family} series with {string.Join(",", labels)}, found {points.Count}: {string.Join(" ", _app.Services.GetRequiredService<IGatherer>().Gather().Single(f => f.Name == family).Metrics.Select(p => p.Labels.ToString()))}.");
        return points[0];
    }
}
