using Instrumentation.Exposition;
using Instrumentation.Push;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// Checks <see cref="MetricsOptions.Push"/> when the host starts (registered by <c>AddMetricsPusher()</c> only); every
/// failure names its <c>Metrics:Push:…</c> key. URLs are quoted without their credentials.
/// </summary>
internal sealed class MetricsPushOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<MetricsOptions>
{
    private const string Section = MetricsOptions.SectionName + ":Push";

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var push = options.Push;
        if (push is null || string.IsNullOrWhiteSpace(push.Url))
        {
            return ValidateOptionsResult.Success;   // pushing is off
        }
        var failures = new List<string>();
        if (!Uri.TryCreate(push.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Section}:Url: \"{Redact(push.Url)}\" is not an absolute http or https URL.");
        }
        else if (url.AbsolutePath.TrimEnd('/').EndsWith("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:Url: \"{Redact(url)}\" ends in /metrics; give the Pushgateway's base URL " +
                $"(\"{Redact(BaseOf(url))}\"): the group path /metrics/job/… is added to it.");
        }
        if (!(push.IntervalSeconds > 0) || double.IsInfinity(push.IntervalSeconds) || push.IntervalSeconds > int.MaxValue / 1000.0)
        {
            failures.Add($"{Section}:IntervalSeconds: {push.IntervalSeconds} is not a positive number of seconds.");
        }
        if (!Enum.IsDefined(push.Method))
        {
            failures.Add($"{Section}:Method: \"{push.Method}\" is not a push method; use {string.Join(" or ", Enum.GetNames<PushMethod>())}.");
        }
        if (push.Format is not (ExpositionFormatKind.Protobuf or ExpositionFormatKind.PrometheusText))
        {
            failures.Add($"{Section}:Format: \"{push.Format}\" cannot be pushed; use Protobuf or PrometheusText.");
        }
        var job = JobOf(push, environment);
        if (string.IsNullOrEmpty(job))
        {
            failures.Add($"{Section}:Job: the job name is missing.");
        }
        else
        {
            try
            {
                _ = new GroupingKey(job, push.GroupingLabels);
            }
            catch (ArgumentException e)
            {
                failures.Add($"{Section}:GroupingLabels: {e.Message.Split(" (Parameter")[0]}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configured job, or the host's application name.</summary>
    public static string? JobOf(MetricsPushOptions push, IHostEnvironment? environment) =>
        string.IsNullOrWhiteSpace(push.Job) ? environment?.ApplicationName : push.Job;

    /// <summary>The URL as text without user name and password, for messages and logs.</summary>
    public static string Redact(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();

    private static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? Redact(parsed) : url.Contains('@') ? "(a URL with credentials)" : url;

    private static Uri BaseOf(Uri url)
    {
        var path = url.AbsolutePath.TrimEnd('/');
        return new UriBuilder(url) { Path = path[..^"/metrics".Length] + "/", Query = "", Fragment = "" }.Uri;
    }
}
