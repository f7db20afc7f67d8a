using System.Text;
using Instrumentation.Push;

namespace Instrumentation.Tests.Push;

/// <summary>
/// Every group is addressed exactly (issue 11, item 14): System.Uri removes dot segments, so a job or grouping value of
/// <c>.</c> or <c>..</c> must not reach the URL as a plain path segment.
/// </summary>
public class PushAddressingTests
{
    private static Registry RegistryWithCounter()
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "backup_files_total", Help = "Files." });
        counter.Inc();
        registry.MustRegister(counter);
        return registry;
    }

    [Theory]
    [InlineData(".", "Lg")]
    [InlineData("..", "Li4")]
    public void Dot_segment_values_use_the_base64_form(string value, string base64)
    {
        Assert.Equal($"metrics/job/backup/instance@base64/{base64}", new GroupingKey("backup", [new("instance", value)]).ToPath());
        Assert.Equal($"metrics/job@base64/{base64}", new GroupingKey(value).ToPath());
    }

    [Fact]
    public void Values_that_merely_contain_dots_stay_readable()
    {
        Assert.Equal("metrics/job/backup/instance/.../v/a..b/w/.x", new GroupingKey("backup", [new("instance", "..."), new("v", "a..b"), new("w", ".x")]).ToPath());
    }

    [Fact]
    public void Dot_dot_instance_does_not_address_the_job_group()
    {
        using var dotDot = new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("backup", [new("instance", "..")]));
        using var jobOnly = new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("backup"));

        Assert.Equal("/metrics/job/backup/instance@base64/Li4", dotDot.Url.AbsolutePath);
        Assert.NotEqual(jobOnly.Url, dotDot.Url);
    }

    [Fact]
    public async Task Push_and_delete_of_a_dot_dot_group_arrive_at_its_exact_path_on_the_wire()
    {
        await using var gateway = new LoopbackGateway();
        using var client = new PushGatewayClient(gateway.BaseUrl, new GroupingKey("backup", [new("instance", "..")]));

        await client.PushAsync(RegistryWithCounter());
        await client.DeleteAsync();

        Assert.Equal(
            ["PUT /metrics/job/backup/instance@base64/Li4 HTTP/1.1", "DELETE /metrics/job/backup/instance@base64/Li4 HTTP/1.1"],
            gateway.Requests.Select(r => r.RequestLine));
    }

    [Fact]
    public async Task Dot_job_arrives_at_its_exact_path_below_a_path_prefix()
    {
        await using var gateway = new LoopbackGateway();
        using var client = new PushGatewayClient(new Uri(gateway.BaseUrl, "/gw"), new GroupingKey(".", [new("zone", ".")]));

        await client.DeleteAsync();

        Assert.Equal("/gw/metrics/job@base64/Lg/zone@base64/Lg", Assert.Single(gateway.Requests).Target);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("./")]
    [InlineData("../x")]
    [InlineData("a/..")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("%2e%2e")]
    [InlineData("%2F")]
    [InlineData(".%2e")]
    [InlineData("\\..")]
    [InlineData("..\\")]
    [InlineData("?#&=+;")]
    [InlineData("ä 😀")]
    public void Every_value_reads_back_from_the_url_path_as_the_gateway_decodes_it(string value)
    {
        var job = value.Length == 0 ? "j" : value; // a job name must not be empty
        var key = new GroupingKey(job, [new("instance", value), new("zone", "eu")]);
        using var client = new PushGatewayClient(new Uri("http://127.0.0.1:9091/prefix/"), key);

        var decoded = DecodeGroup(client.Url.AbsolutePath, "/prefix/metrics/");

        Assert.Equal([("job", job), ("instance", value), ("zone", "eu")], decoded);
    }

    /// <summary>Reads a group path the way the Pushgateway does: name/value pairs, <c>name@base64</c> for base64url values.</summary>
    private static List<(string Name, string Value)> DecodeGroup(string path, string prefix)
    {
        Assert.StartsWith(prefix, path, StringComparison.Ordinal);
        var segments = path[prefix.Length..].Split('/');
        Assert.True(segments.Length % 2 == 0, $"odd number of segments in {path}");
        var pairs = new List<(string, string)>();
        for (var i = 0; i < segments.Length; i += 2)
        {
            var name = segments[i];
            var value = segments[i + 1];
            if (name.EndsWith("@base64", StringComparison.Ordinal))
            {
                var text = value.TrimEnd('=').Replace('-', '+').Replace('_', '/');
                text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
                pairs.Add((name[..^"@base64".Length], Encoding.UTF8.GetString(Convert.FromBase64String(text))));
            }
            else
            {
                pairs.Add((name, Uri.UnescapeDataString(value)));
            }
        }
        return pairs;
    }
}
