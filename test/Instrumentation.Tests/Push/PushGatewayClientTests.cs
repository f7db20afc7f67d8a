using System.Net;
using Instrumentation.Exposition;
using Instrumentation.Push;

namespace Instrumentation.Tests.Push;

public class PushGatewayClientTests
{
    private static readonly Uri Gateway = new("http://127.0.0.1:9091");

    private static (PushGatewayClient Client, FakeGateway Gateway) Create(GroupingKey? key = null, Uri? url = null, TimeSpan? timeout = null,
        ExpositionFormatKind format = ExpositionFormatKind.Protobuf)
    {
        var fake = new FakeGateway();
        var client = new PushGatewayClient(url ?? Gateway, key ?? new GroupingKey("batch", new Dictionary<string, string> { ["instance"] = "host1" }),
            new HttpClient(fake), timeout) { Format = format };
        return (client, fake);
    }

    private static Registry RegistryWithCounter(double value = 3, IDictionary<string, string>? constLabels = null)
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "batch_items_total", Help = "Items processed.", ConstLabels = constLabels });
        counter.Add(value);
        registry.MustRegister(counter);
        return registry;
    }

    [Fact]
    public void Url_is_gateway_base_plus_group_path()
    {
        var (client, _) = Create();

        Assert.Equal("http://127.0.0.1:9091/metrics/job/batch/instance/host1", client.Url.ToString());
    }

    [Fact]
    public void Url_keeps_a_path_prefix_of_the_gateway()
    {
        var (client, _) = Create(url: new Uri("http://127.0.0.1:9091/pushgateway"));

        Assert.Equal("http://127.0.0.1:9091/pushgateway/metrics/job/batch/instance/host1", client.Url.ToString());
    }

    [Fact]
    public void Url_with_base64_grouping_value_is_kept_verbatim()
    {
        var (client, _) = Create(new GroupingKey("backup", new Dictionary<string, string> { ["path"] = "/var/tmp", ["shard"] = "" }));

        Assert.Equal("http://127.0.0.1:9091/metrics/job/backup/path@base64/L3Zhci90bXA/shard@base64/=", client.Url.AbsoluteUri);
    }

    [Fact]
    public void Non_http_url_throws()
    {
        Assert.Throws<ArgumentException>(() => new PushGatewayClient(new Uri("ftp://127.0.0.1/"), new GroupingKey("j")));
    }

    [Fact]
    public async Task Push_in_text_format_sends_PUT_with_text_format_body()
    {
        var (client, fake) = Create(format: ExpositionFormatKind.PrometheusText);
        var registry = RegistryWithCounter();

        await client.PushAsync(registry);

        var request = Assert.Single(fake.Requests);
        Assert.Equal("PUT", request.Method);
        var expected = new MemoryStream();
        Instrumentation.Exposition.TextFormat.Write(expected, registry.Gather());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.ToArray()), request.Body);
        Assert.Equal(client.Url, request.Url);
        Assert.StartsWith("text/plain; version=0.0.4", request.ContentType);
        Assert.Contains("# TYPE batch_items_total counter\n", request.Body);
        Assert.Contains("batch_items_total 3\n", request.Body);
    }

    [Fact]
    public async Task Add_sends_POST()
    {
        var (client, fake) = Create();

        await client.AddAsync(RegistryWithCounter());

        var request = Assert.Single(fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(PushGatewayClient.ProtobufContentType, request.ContentType);
    }

    [Fact]
    public async Task Delete_sends_DELETE_without_body()
    {
        var (client, fake) = Create();

        await client.DeleteAsync();

        var request = Assert.Single(fake.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal(client.Url, request.Url);
        Assert.Null(request.Body);
    }

    [Fact]
    public async Task Accepted_status_is_success()
    {
        var (client, fake) = Create();
        fake.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted));

        await client.DeleteAsync();

        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Non_2xx_answer_throws_naming_url_status_and_body()
    {
        var (client, fake) = Create();
        fake.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("pushed metrics are invalid or inconsistent with existing metrics"),
        });

        var e = await Assert.ThrowsAsync<PushGatewayException>(() => client.PushAsync(RegistryWithCounter()));

        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal(client.Url, e.Url);
        Assert.Contains("PUT http://127.0.0.1:9091/metrics/job/batch/instance/host1", e.Message);
        Assert.Contains("400", e.Message);
        Assert.Contains("pushed metrics are invalid or inconsistent with existing metrics", e.Message);
    }

    [Fact]
    public async Task Server_error_on_delete_throws_with_status()
    {
        var (client, fake) = Create();
        fake.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var e = await Assert.ThrowsAsync<PushGatewayException>(() => client.DeleteAsync());

        Assert.Equal("DELETE", e.Method);
        Assert.Contains("503", e.Message);
    }

    [Fact]
    public async Task Gateway_that_does_not_answer_in_time_throws_timeout_naming_url()
    {
        var (client, fake) = Create(timeout: TimeSpan.FromMilliseconds(50));
        fake.Respond = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.PushAsync(RegistryWithCounter()));

        Assert.Contains(client.Url.ToString(), e.Message);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_timeout()
    {
        var (client, fake) = Create();
        fake.Respond = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };
        using var cts = new CancellationTokenSource();
        var push = client.PushAsync(RegistryWithCounter(), cts.Token);
        await fake.WaitForRequestsAsync(1);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
    }

    [Fact]
    public async Task Metric_carrying_a_grouping_label_is_refused_before_sending()
    {
        var (client, fake) = Create();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.PushAsync(RegistryWithCounter(constLabels: new Dictionary<string, string> { ["instance"] = "other" })));

        Assert.Contains("batch_items_total", e.Message);
        Assert.Contains("\"instance\"", e.Message);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Metric_carrying_a_job_label_is_refused()
    {
        var (client, fake) = Create();

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.PushAsync(RegistryWithCounter(constLabels: new Dictionary<string, string> { ["job"] = "x" })));

        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Unreachable_gateway_throws_http_error_naming_url()
    {
        var client = new PushGatewayClient(new Uri("http://127.0.0.1:1"), new GroupingKey("j"), timeout: TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.DeleteAsync());

        Assert.Contains("http://127.0.0.1:1/metrics/job/j", e.Message);
    }
}
