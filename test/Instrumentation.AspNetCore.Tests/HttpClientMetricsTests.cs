using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore.Tests;

public sealed class HttpClientMetricsTests
{
    [Fact]
    public async Task Calls_to_a_loopback_server_are_counted_by_client_method_host_and_code_never_the_path()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var services = Services.Build(configure: s => s.AddHttpClient("billing", c => c.BaseAddress = server.Address).UseHttpClientMetrics());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        (await client.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        (await client.GetAsync("/orders/2")).EnsureSuccessStatusCode();
        (await client.PostAsync("/orders/3", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nothing/here")).StatusCode);
        var samples = services.Scrape();

        (string, string)[] getOk = [("client", "billing"), ("method", "GET"), ("host", "127.0.0.1"), ("code", "200")];
        Assert.Equal(2, samples.Value("httpclient_requests_sent_total", getOk));
        Assert.Equal(2, samples.Value("httpclient_request_duration_seconds_count", getOk));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("method", "POST"), ("code", "200")));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("method", "GET"), ("code", "404")));
        Assert.Equal(0, samples.Value("httpclient_requests_in_progress", ("client", "billing"), ("method", "GET"), ("host", "127.0.0.1")));
        var families = samples.Where(s => s.Name.StartsWith("httpclient_", StringComparison.Ordinal)).ToList();
        Assert.All(families, s => Assert.DoesNotContain(s.Labels.Values, v => v.Contains('/')));
        Assert.All(samples.Named("httpclient_requests_sent_total"), s => Assert.Equal(["client", "code", "host", "method"], s.Labels.Keys.Order()));
    }

    [Fact]
    public async Task A_call_made_inside_a_sampled_trace_leaves_its_trace_id_on_the_duration_bucket()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var services = Services.Build(configure: s => s.AddHttpClient("billing", c => c.BaseAddress = server.Address).UseHttpClientMetrics());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");
        using var activity = new System.Diagnostics.Activity("caller");
        activity.SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = System.Diagnostics.ActivityTraceFlags.Recorded;
        activity.Start();

        (await client.GetAsync("/orders/1")).EnsureSuccessStatusCode();
        activity.Stop();

        var histogram = services.GetRequiredService<Registry>().Gather().Single(f => f.Name == "httpclient_request_duration_seconds");
        var exemplars = histogram.Metrics.SelectMany(p => p.Buckets).Select(b => b.Exemplar).OfType<Exemplar>().ToList();
        Assert.Contains(exemplars, e => e.Labels.GetValue("trace_id") == activity.TraceId.ToHexString());
    }

    [Fact]
    public async Task Two_clients_share_the_families_and_are_told_apart_by_the_client_label()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var services = Services.Build(configure: s =>
        {
            s.AddHttpClient("billing", c => c.BaseAddress = server.Address).UseHttpClientMetrics();
            s.AddHttpClient<InventoryClient>(c => c.BaseAddress = server.Address).UseHttpClientMetrics();
        });

        await services.GetRequiredService<IHttpClientFactory>().CreateClient("billing").GetAsync("/orders/1");
        await services.GetRequiredService<InventoryClient>().Http.GetAsync("/orders/1");
        await services.GetRequiredService<InventoryClient>().Http.GetAsync("/orders/2");
        var samples = services.Scrape();

        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("client", "billing")));
        Assert.Equal(2, samples.Value("httpclient_requests_sent_total", ("client", nameof(InventoryClient))));
    }

    [Fact]
    public async Task Under_ConfigureHttpClientDefaults_every_client_is_recorded_with_its_own_name()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var services = Services.Build(configure: s =>
        {
            s.ConfigureHttpClientDefaults(b => b.UseHttpClientMetrics());
            s.AddHttpClient("billing", c => c.BaseAddress = server.Address);
            s.AddHttpClient("shipping", c => c.BaseAddress = server.Address);
        });
        var factory = services.GetRequiredService<IHttpClientFactory>();

        await factory.CreateClient("billing").GetAsync("/orders/1");
        await factory.CreateClient("shipping").GetAsync("/orders/1");
        await factory.CreateClient().GetAsync(new Uri(server.Address, "/orders/2"));
        var samples = services.Scrape();

        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("client", "billing")));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("client", "shipping")));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("client", Options.DefaultName)));
    }

    [Fact]
    public async Task A_refused_connection_is_counted_with_code_connection_error()
    {
        // A port that was just free: nothing listens there, so the connection is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{port}/orders/1"));
        var samples = services.Scrape();

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("client", "billing"), ("host", "127.0.0.1"), ("code", "connection_error")));
        Assert.Equal(1, samples.Value("httpclient_request_duration_seconds_count", ("code", "connection_error")));
        Assert.Equal(0, samples.Value("httpclient_requests_in_progress", ("client", "billing")));
    }

    [Fact]
    public async Task A_connect_timeout_is_counted_with_code_timeout()
    {
        // SocketsHttpHandler applies ConnectTimeout to its ConnectCallback; this one never connects.
        using var services = Services.Build(configure: s => s.AddHttpClient("billing")
            .UseHttpClientMetrics()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromMilliseconds(100),
                ConnectCallback = async (_, token) =>
                {
                    await Task.Delay(Timeout.Infinite, token);
                    throw new System.Diagnostics.UnreachableException();
                },
            }));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("http://billing.test/orders/1"));
        var samples = services.Scrape();

        Assert.Contains(Chain(error), e => e is TimeoutException);
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("host", "billing.test"), ("code", "timeout")));
    }

    [Fact]
    public async Task A_call_cut_off_by_HttpClient_Timeout_is_counted_with_code_canceled()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var services = Services.Build(configure: s => s.AddHttpClient("billing", c =>
        {
            c.BaseAddress = server.Address;
            c.Timeout = TimeSpan.FromMilliseconds(200);
        }).UseHttpClientMetrics());
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync("/hang"));
        var samples = services.Scrape();

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("code", "canceled")));
        Assert.Equal(0, samples.Value("httpclient_requests_in_progress", ("client", "billing")));
    }

    [Fact]
    public async Task A_call_is_in_progress_until_its_response_headers_arrive()
    {
        var inner = new StubHandler();
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        var call = client.GetAsync("http://billing.test/invoices/7");
        await inner.Received.Task;
        Assert.Equal(1, services.Scrape().Value("httpclient_requests_in_progress", ("client", "billing"), ("host", "billing.test"), ("method", "GET")));
        inner.Respond.SetResult(new HttpResponseMessage(HttpStatusCode.Accepted));
        await call;
        var samples = services.Scrape();

        Assert.Equal(0, samples.Value("httpclient_requests_in_progress", ("client", "billing")));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("code", "202")));
    }

    public static TheoryData<Exception, string> Failures => new()
    {
        { new HttpRequestException(HttpRequestError.NameResolutionError, "No such host is known."), "name_resolution_error" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "TLS failed."), "secure_connection_error" },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "Ended."), "response_ended" },
        { new HttpRequestException("Unclassified."), "error" },
        { new OperationCanceledException(), "canceled" },
        { new TaskCanceledException("Connect timed out.", new TimeoutException()), "timeout" },
        { new InvalidOperationException("Something else."), "error" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_call_that_fails_without_a_response_is_counted_with_a_code_naming_the_failure(Exception failure, string code)
    {
        var inner = new StubHandler();
        inner.Respond.SetException(failure);
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("http://billing.test/"));

        Assert.Equal(1, services.Scrape().Value("httpclient_requests_sent_total", ("client", "billing"), ("code", code)));
    }

    [Fact]
    public async Task Made_up_methods_share_the_OTHER_method_label()
    {
        var inner = new StubHandler();
        inner.Respond.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        await client.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), "http://billing.test/cache"));

        Assert.Equal(1, services.Scrape().Value("httpclient_requests_sent_total", ("method", "OTHER")));
    }

    [Fact]
    public void Synchronous_Send_is_recorded_too()
    {
        var inner = new StubHandler();
        inner.Respond.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner));
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        client.Send(new HttpRequestMessage(HttpMethod.Delete, "http://billing.test/orders/1"));

        Assert.Equal(1, services.Scrape().Value("httpclient_requests_sent_total", ("method", "DELETE"), ("code", "200")));
    }

    [Fact]
    public void The_duration_buckets_and_series_cap_come_from_the_shared_options()
    {
        var inner = new StubHandler();
        inner.Respond.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        using var services = Services.Build(configure: s =>
        {
            s.Configure<HttpClientMetricsOptions>(o =>
            {
                o.DurationBuckets = [0.1, 1];
                o.MaxSeries = 1;
            });
            s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner);
        });
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("billing");

        client.Send(new HttpRequestMessage(HttpMethod.Get, "http://a.test/"));
        client.Send(new HttpRequestMessage(HttpMethod.Get, "http://b.test/"));
        var samples = services.Scrape();

        Assert.Equal(["+Inf", "0.1", "1"], samples.Named("httpclient_request_duration_seconds_bucket").Select(s => s.Labels["le"]).Order(StringComparer.Ordinal).Distinct());
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("host", "a.test")));
        Assert.Equal(1, samples.Value("httpclient_requests_sent_total", ("host", MetricVec<Counter>.OverflowLabelValue)));
    }

    [Fact]
    public void Without_AddMetricsRegistry_creating_the_client_says_what_to_add()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("billing").UseHttpClientMetrics();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("billing"));

        Assert.Contains("AddMetricsRegistry", error.Message);
    }

    [Fact]
    public void Recording_a_call_with_seen_labels_allocates_nothing()
    {
        var registry = new Registry();
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        var handler = new HttpClientMetricsHandler(new HttpClientMetrics(registry, new HttpClientMetricsOptions()), "billing")
        {
            InnerHandler = new FixedResponseHandler(response),
        };
        using var invoker = new HttpMessageInvoker(handler);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://billing.test/orders/1");

        // Warm up past the JIT's first tiers, whose call counting allocates on the calling thread.
        for (var i = 0; i < 1000; i++)
        {
            invoker.Send(request, CancellationToken.None);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            invoker.Send(request, CancellationToken.None);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1100, Exposition.Parse(Exposition.Text(registry.Gather())).Value("httpclient_requests_sent_total", ("code", "200")));
    }

    [Fact]
    public void The_families_pass_the_metric_name_linter()
    {
        var inner = new StubHandler();
        inner.Respond.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        using var services = Services.Build(configure: s => s.AddHttpClient("billing").UseHttpClientMetrics().ConfigurePrimaryHttpMessageHandler(() => inner));
        services.GetRequiredService<IHttpClientFactory>().CreateClient("billing").Send(new HttpRequestMessage(HttpMethod.Get, "http://billing.test/"));

        var families = services.GetRequiredService<Registry>().Gather().Where(f => f.Name.StartsWith("httpclient_", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, families.Count);
        Assert.Empty(Instrumentation.Testing.Linter.Lint(families));
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    /// <summary>A typed client: its name (and so its <c>client</c> label) is its type name.</summary>
    private sealed class InventoryClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }

    /// <summary>The innermost handler: tells when a request reached it and answers when the test says so.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<HttpResponseMessage> Respond { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Received.TrySetResult();
            return Respond.Task;
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Respond.Task.GetAwaiter().GetResult();
    }

    private sealed class FixedResponseHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(response);

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => response;
    }

    /// <summary>A real Kestrel server on a free loopback port: <c>/orders/{id}</c> answers, <c>/hang</c> never does.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private LoopbackServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<LoopbackServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/orders/{id}", (int id) => Results.Ok(id));
            app.MapPost("/orders/{id}", (int id) => Results.Ok(id));
            app.MapGet("/hang", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new LoopbackServer(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
