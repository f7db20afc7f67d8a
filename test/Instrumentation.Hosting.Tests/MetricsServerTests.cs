using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Instrumentation.Hosting.Tests;

/// <summary>The standalone metrics server on a bare Generic Host, on a free loopback port.</summary>
public sealed class MetricsServerTests
{
    private const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static IHost Build(int port, Dictionary<string, string?>? settings = null, Action<MetricsServerOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Server:Host"] = "127.0.0.1",
            ["Metrics:Server:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Metrics:Collectors:Process"] = "false",
            ["Metrics:Collectors:Runtime"] = "false",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddMetricsRegistry().AddMetricsServer(configure);
        return builder.Build();
    }

    private static HttpClient Client(int port) => new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    };

    [Fact]
    public async Task Serves_the_registry_on_the_configured_port_and_path()
    {
        var port = FreePort();
        using var host = Build(port);
        await host.StartAsync();
        host.Services.GetRequiredService<ICounter<WorkItems>>().Add(5);
        using var client = Client(port);

        var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("work_items_total 5", body);
        Assert.Contains("metrics_handler_requests_in_flight 1", body);
        await host.StopAsync();
    }

    [Fact]
    public async Task Answers_like_the_endpoint_head_405_404_gzip_and_name_filter()
    {
        var port = FreePort();
        using var host = Build(port);
        await host.StartAsync();
        host.Services.GetRequiredService<ICounter<WorkItems>>().Inc();
        using var client = Client(port);

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        var post = await client.PostAsync("/metrics", null);
        var other = await client.GetAsync("/other");
        var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "/metrics?name[]=work_items_total");
        gzipRequest.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        var gzipped = await client.SendAsync(gzipRequest);
        await using var gzip = new GZipStream(await gzipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var filtered = await new StreamReader(gzip).ReadToEndAsync();

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        Assert.Equal("# HELP work_items_total Work items done.\n# TYPE work_items_total counter\nwork_items_total 1\n", filtered);
        await host.StopAsync();
    }

    [Fact]
    public async Task Stops_with_the_host()
    {
        var port = FreePort();
        using var host = Build(port);
        await host.StartAsync();
        using var client = Client(port);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);

        await host.StopAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(port).GetAsync("/metrics"));
    }

    [Fact]
    public async Task A_port_in_use_fails_start_up_naming_the_address()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;
            using var host = Build(port);

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

            Assert.Contains($"http://127.0.0.1:{port}/metrics", ex.Message);
        }
        finally
        {
            busy.Stop();
        }
    }

    [Fact]
    public async Task Created_samples_follow_the_Metrics_configuration_key_and_are_off_by_default()
    {
        var offPort = FreePort();
        using var off = Build(offPort);
        await off.StartAsync();
        var onPort = FreePort();
        using var on = Build(onPort, new() { ["Metrics:OpenMetricsCreatedSamples"] = "true" });
        await on.StartAsync();
        off.Services.GetRequiredService<ICounter<WorkItems>>().Inc();
        on.Services.GetRequiredService<ICounter<WorkItems>>().Inc();

        var offBody = await ScrapeOpenMetricsAsync(offPort);
        var onBody = await ScrapeOpenMetricsAsync(onPort);

        Assert.DoesNotContain("work_items_created", offBody);
        Assert.Contains("work_items_created", onBody);
        await off.StopAsync();
        await on.StopAsync();
    }

    [Fact]
    public async Task Server_options_come_from_code_too_and_bad_ones_fail_start_up_naming_the_key()
    {
        var port = FreePort();
        using var host = Build(port, configure: o => o.Path = "/internal/metrics");
        await host.StartAsync();
        using var client = Client(port);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/internal/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        await host.StopAsync();

        using var bad = Build(FreePort(), new() { ["Metrics:Server:Port"] = "70000" });
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => bad.StartAsync());
        Assert.Contains("Metrics:Server:Port", ex.Message);
    }

    private static async Task<string> ScrapeOpenMetricsAsync(int port)
    {
        using var client = Client(port);
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", OpenMetricsAccept);
        return await (await client.SendAsync(request)).Content.ReadAsStringAsync();
    }
}
