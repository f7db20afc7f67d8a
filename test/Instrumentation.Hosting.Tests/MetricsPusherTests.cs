using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting.Tests;

/// <summary><c>AddMetricsPusher()</c> in a Generic Host, against a small gateway stand-in (HttpListener on 127.0.0.1).</summary>
public sealed class MetricsPusherTests : IDisposable
{
    private readonly HttpListener _gateway = new();
    private readonly ConcurrentQueue<(string Method, string Path, string Body)> _requests = new();
    private readonly string _url;

    public MetricsPusherTests()
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

    private static IHost Build(Dictionary<string, string?> configuration, Action<MetricsPushOptions>? configure = null, string applicationName = "billing")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = applicationName });
        configuration.TryAdd("Metrics:Collectors:Process", "false");
        configuration.TryAdd("Metrics:Collectors:Runtime", "false");
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddMetricsRegistry().AddMetricsPusher(configure);
        return builder.Build();
    }

    [Fact]
    public async Task Pushes_at_start_with_job_and_grouping_labels_and_deletes_the_group_at_stop()
    {
        using var host = Build(new()
        {
            ["Metrics:Push:Url"] = _url,
            ["Metrics:Push:Job"] = "nightly",
            ["Metrics:Push:GroupingLabels:instance"] = "worker/1",
            ["Metrics:Push:DeleteOnStop"] = "true",
            ["Metrics:Push:Format"] = "PrometheusText",
        });
        host.Services.GetRequiredService<IMetricFactory>().CreateCounter(new CounterOptions { Name = "jobs_done_total", Help = "Jobs done." }).Inc();

        await host.StartAsync();
        await WaitUntilAsync(() => _requests.Any(r => r.Method == "PUT"));
        await host.StopAsync();

        var push = _requests.First(r => r.Method == "PUT");
        Assert.Equal("/metrics/job/nightly/instance@base64/d29ya2VyLzE", push.Path);
        Assert.Contains("jobs_done_total 1", push.Body);
        var last = _requests.Last();
        Assert.Equal(("DELETE", "/metrics/job/nightly/instance@base64/d29ya2VyLzE"), (last.Method, last.Path));
    }

    [Fact]
    public async Task Pushes_protobuf_by_default()
    {
        using var host = Build(new() { ["Metrics:Push:Url"] = _url, ["Metrics:Push:Job"] = "nightly" });
        host.Services.GetRequiredService<IMetricFactory>().CreateCounter(new CounterOptions { Name = "jobs_done_total", Help = "Jobs done." }).Inc();

        await host.StartAsync();
        await WaitUntilAsync(() => _requests.Any(r => r.Method == "PUT"));
        await host.StopAsync();

        // Length-delimited MetricFamily messages: the name is there, the text format's sample line is not.
        var body = _requests.First(r => r.Method == "PUT").Body;
        Assert.Contains("jobs_done_total", body);
        Assert.DoesNotContain("jobs_done_total 1", body);
        Assert.DoesNotContain("# TYPE", body);
    }

    [Fact]
    public async Task The_job_defaults_to_the_application_name_and_code_configuration_applies()
    {
        using var host = Build(new() { ["Metrics:Push:Url"] = "http://127.0.0.1:1/" }, o =>
        {
            o.Url = _url;
            o.GroupingLabels["zone"] = "a";
        }, applicationName: "billing-worker");

        await host.StartAsync();
        await WaitUntilAsync(() => _requests.Any(r => r.Method == "PUT"));
        await host.StopAsync();

        Assert.Equal("/metrics/job/billing-worker/zone/a", _requests.First(r => r.Method == "PUT").Path);
        // Without DeleteOnStop, stopping pushes the final state instead of deleting it.
        Assert.DoesNotContain(_requests, r => r.Method == "DELETE");
        Assert.Equal("PUT", _requests.Last().Method);
    }

    [Theory]
    [InlineData("http://gateway:9091/metrics", "http://gateway:9091/")]
    [InlineData("http://gateway:9091/metrics/", "http://gateway:9091/")]
    [InlineData("http://proxy/gw/metrics", "http://proxy/gw/")]
    public async Task A_url_ending_in_metrics_fails_start_up_with_the_base_url_to_use(string url, string expectedBase)
    {
        using var host = Build(new() { ["Metrics:Push:Url"] = url });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Metrics:Push:Url", ex.Message);
        Assert.Contains("ends in /metrics", ex.Message);
        Assert.Contains($"\"{expectedBase}\"", ex.Message);
    }

    [Fact]
    public async Task Credentials_in_the_url_are_not_echoed_in_the_message()
    {
        using var host = Build(new() { ["Metrics:Push:Url"] = "http://user:s3cret@gateway:9091/metrics" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Metrics:Push:Url", ex.Message);
        Assert.DoesNotContain("s3cret", ex.Message);
    }

    [Theory]
    [InlineData("Metrics:Push:Url", "gateway:9091/x", "Metrics:Push:Url")]
    [InlineData("Metrics:Push:IntervalSeconds", "0", "Metrics:Push:IntervalSeconds")]
    [InlineData("Metrics:Push:GroupingLabels:bad-name", "x", "Metrics:Push:GroupingLabels")]
    [InlineData("Metrics:Push:GroupingLabels:job", "x", "Metrics:Push:GroupingLabels")]
    public async Task Invalid_push_options_fail_start_up_naming_the_key(string key, string value, string named)
    {
        var configuration = new Dictionary<string, string?> { ["Metrics:Push:Url"] = "http://127.0.0.1:1/", [key] = value };
        using var host = Build(configuration);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public async Task Push_options_are_not_checked_without_the_pusher()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Metrics:Push:Url"] = "http://gateway:9091/metrics" });
        builder.Services.AddMetricsRegistry();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task An_empty_url_leaves_pushing_off()
    {
        using var host = Build(new());

        await host.StartAsync();
        await host.StopAsync();

        Assert.Empty(_requests);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            _requests.Enqueue((context.Request.HttpMethod, context.Request.RawUrl ?? "", body));
            context.Response.StatusCode = context.Request.HttpMethod == "DELETE" ? 202 : 200;
            context.Response.Close();
        }
    }
}
