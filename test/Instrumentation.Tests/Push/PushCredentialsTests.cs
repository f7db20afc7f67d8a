using System.Net;
using System.Text;
using Instrumentation.Push;

namespace Instrumentation.Tests.Push;

/// <summary>
/// Credentials reach the gateway as HTTP Basic authentication and never anything else (issue 11, item 15): not the URL
/// the client keeps, not an exception message, not a property.
/// </summary>
public class PushCredentialsTests
{
    private const string Secret = "s3cr3t-Pa55";

    private static Registry RegistryWithCounter(IDictionary<string, string>? constLabels = null)
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "batch_items_total", Help = "Items.", ConstLabels = constLabels });
        counter.Inc();
        registry.MustRegister(counter);
        return registry;
    }

    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private static (PushGatewayClient Client, FakeGateway Gateway) Create(string url, NetworkCredential? basicAuth = null, TimeSpan? timeout = null)
    {
        var fake = new FakeGateway();
        var client = new PushGatewayClient(new Uri(url), new GroupingKey("batch", [new("instance", "host1")]), new HttpClient(fake), timeout)
        {
            BasicAuth = basicAuth,
        };
        return (client, fake);
    }

    private static void AssertNoSecret(string? text) =>
        Assert.DoesNotContain(Secret, text ?? "", StringComparison.Ordinal);

    [Fact]
    public async Task Url_credentials_arrive_as_basic_authorization_on_the_wire()
    {
        await using var gateway = new LoopbackGateway();
        var url = new UriBuilder(gateway.BaseUrl) { UserName = "user", Password = Secret }.Uri;
        using var client = new PushGatewayClient(url, new GroupingKey("batch"));

        await client.PushAsync(RegistryWithCounter());
        await client.DeleteAsync();

        Assert.All(gateway.Requests, r => Assert.Equal(Basic("user:" + Secret), r.Headers["Authorization"]));
        Assert.All(gateway.Requests, r => AssertNoSecret(r.RequestLine));
        Assert.Equal(2, gateway.Requests.Count);
    }

    [Fact]
    public async Task Percent_encoded_url_credentials_are_sent_decoded()
    {
        var (client, fake) = Create("http://us%40er:p%3A%40ss@127.0.0.1:9091");

        await client.DeleteAsync();

        Assert.Equal(Basic("us@er:p:@ss"), Assert.Single(fake.Requests).Authorization);
    }

    [Fact]
    public async Task User_without_password_is_sent_with_an_empty_password()
    {
        var (client, fake) = Create("http://robot@127.0.0.1:9091");

        await client.DeleteAsync();

        Assert.Equal(Basic("robot:"), Assert.Single(fake.Requests).Authorization);
    }

    [Fact]
    public async Task Explicit_basic_auth_is_sent_and_wins_over_url_credentials()
    {
        var (explicitOnly, fake1) = Create("http://127.0.0.1:9091", new NetworkCredential("pusher", Secret));
        var (both, fake2) = Create("http://url-user:url-pass@127.0.0.1:9091", new NetworkCredential("pusher", Secret));

        await explicitOnly.PushAsync(RegistryWithCounter());
        await both.PushAsync(RegistryWithCounter());

        Assert.Equal(Basic("pusher:" + Secret), Assert.Single(fake1.Requests).Authorization);
        Assert.Equal(Basic("pusher:" + Secret), Assert.Single(fake2.Requests).Authorization);
    }

    [Fact]
    public async Task No_credentials_no_authorization_header()
    {
        var (client, fake) = Create("http://127.0.0.1:9091");

        await client.PushAsync(RegistryWithCounter());

        Assert.Null(Assert.Single(fake.Requests).Authorization);
    }

    [Fact]
    public async Task Url_and_request_uri_carry_no_user_information()
    {
        var (client, fake) = Create($"http://user:{Secret}@127.0.0.1:9091/prefix");

        await client.DeleteAsync();

        Assert.Equal("http://127.0.0.1:9091/prefix/metrics/job/batch/instance/host1", client.Url.AbsoluteUri);
        Assert.Equal("", client.Url.UserInfo);
        AssertNoSecret(client.Url.ToString());
        AssertNoSecret(client.ToString());
        var request = Assert.Single(fake.Requests);
        Assert.Equal("", request.Url.UserInfo);
        AssertNoSecret(request.Url.OriginalString);
    }

    [Fact]
    public async Task Gateway_refusal_names_the_url_without_the_secret()
    {
        var (client, fake) = Create($"http://user:{Secret}@127.0.0.1:9091");
        fake.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("unauthorized") });

        var e = await Assert.ThrowsAsync<PushGatewayException>(() => client.PushAsync(RegistryWithCounter()));

        Assert.Contains("PUT http://127.0.0.1:9091/metrics/job/batch/instance/host1", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e.Message);
        AssertNoSecret(e.ToString());
        AssertNoSecret(e.Url.OriginalString);
    }

    [Fact]
    public async Task Timeout_names_the_url_without_the_secret()
    {
        var (client, fake) = Create($"http://user:{Secret}@127.0.0.1:9091", timeout: TimeSpan.FromMilliseconds(50));
        fake.Respond = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.PushAsync(RegistryWithCounter()));

        Assert.Contains("127.0.0.1:9091/metrics/job/batch", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e.ToString());
    }

    [Fact]
    public async Task Unreachable_gateway_error_has_no_secret()
    {
        using var client = new PushGatewayClient(new Uri($"http://user:{Secret}@127.0.0.1:1"), new GroupingKey("j"), timeout: TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.DeleteAsync());

        Assert.Contains("http://127.0.0.1:1/metrics/job/j", e.Message, StringComparison.Ordinal);
        AssertNoSecret(e.ToString());
    }

    [Fact]
    public async Task Grouping_label_refusal_has_no_secret()
    {
        var (client, _) = Create($"http://user:{Secret}@127.0.0.1:9091");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.PushAsync(RegistryWithCounter(new Dictionary<string, string> { ["instance"] = "other" })));

        AssertNoSecret(e.ToString());
    }

    [Theory]
    [InlineData("ftp://user:" + Secret + "@127.0.0.1/")]
    [InlineData("user:" + Secret + "@127.0.0.1:9091")]
    public void Refused_url_is_not_echoed(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => new PushGatewayClient(new Uri(url, UriKind.RelativeOrAbsolute), new GroupingKey("j")));

        AssertNoSecret(e.ToString());
    }

    [Fact]
    public void Relative_url_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new PushGatewayClient(new Uri("/metrics", UriKind.Relative), new GroupingKey("j")));

        Assert.Contains("relative", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_built_with_a_url_holding_credentials_strips_them()
    {
        var e = new PushGatewayException("PUT", new Uri($"http://user:{Secret}@gw:9091/metrics/job/j"), HttpStatusCode.BadRequest, "no");

        Assert.Equal("http://gw:9091/metrics/job/j", e.Url.AbsoluteUri);
        AssertNoSecret(e.Message);
        AssertNoSecret(e.Url.OriginalString);
    }

    [Fact]
    public void User_name_with_a_colon_is_refused_without_echoing_the_password()
    {
        var e = Assert.Throws<ArgumentException>(() => Create("http://127.0.0.1:9091", new NetworkCredential("a:b", Secret)));

        AssertNoSecret(e.ToString());
    }
}
