using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;

namespace SentryCa.Tests;

/// <summary>
/// The example's pusher — the library's <c>AddMetricsPusher()</c> hosted service, configured from <c>Metrics:Push</c> —
/// against a tiny gateway stand-in (HttpListener on 127.0.0.1).
/// </summary>
public sealed class PushGatewayServiceTests : IDisposable
{
    private readonly HttpListener _gateway = new();
    private readonly ConcurrentQueue<(string Method, string Path, string ContentType, string Body)> _requests = new();
    private readonly string _url;

    public PushGatewayServiceTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _url = $"http://127.0.0.1:{port}/";
        _gateway.Prefixes.Add(_url);
        _gateway.Start();
        _ = ServeAsync();
    }

    public void Dispose() => _gateway.Close();

    [Fact]
    public async Task Pushes_the_registry_on_start_and_deletes_the_group_on_stop()
    {
        var app = new SentryCaFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Metrics:Push:Url", _url);
            b.UseSetting("Metrics:Push:GroupingLabels:instance", "ca/one");
            b.UseSetting("Metrics:Push:DeleteOnStop", "true");
        });
        _ = app.Services;

        await SentryCaFactory.WaitUntilAsync(() => _requests.Any(r => r.Method == "PUT"), "the first push arrives");
        await app.DisposeAsync();

        var push = _requests.First(r => r.Method == "PUT");
        Assert.Equal("/metrics/job/sentry/instance@base64/Y2Evb25l", push.Path);
        // Protobuf, the push client's default: family names are plain UTF-8 strings in the body.
        Assert.StartsWith("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", push.ContentType);
        Assert.Contains("sentry_cert_sign_request_received_total", push.Body);
        var delete = _requests.Last();
        Assert.Equal(("DELETE", "/metrics/job/sentry/instance@base64/Y2Evb25l"), (delete.Method, delete.Path));
    }

    private async Task ServeAsync()
    {
        while (_gateway.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _gateway.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            _requests.Enqueue((context.Request.HttpMethod, context.Request.RawUrl ?? "", context.Request.ContentType ?? "", body));
            context.Response.StatusCode = context.Request.HttpMethod == "DELETE" ? 202 : 200;
            context.Response.Close();
        }
    }
}
