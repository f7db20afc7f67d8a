using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// Checks <see cref="MetricsOptions"/> when the application starts; every failure names the configuration key, so
/// a bad <c>appsettings.json</c> stops the app with a message that says which line to fix.
/// </summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    private const string Section = MetricsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = new List<string>();
        // A number binds to any value of the enum, named or not.
        if (!Enum.IsDefined(options.NameValidation))
        {
            failures.Add($"{Section}:NameValidation: \"{options.NameValidation}\" is not a name validation scheme; use {string.Join(" or ", Enum.GetNames<NameValidationScheme>())}.");
        }
        // The names are checked as the registry will check them: a UTF-8 registry accepts a UTF-8 label or prefix.
        var scheme = options.NameValidation == NameValidationScheme.Utf8 ? NameValidationScheme.Utf8 : NameValidationScheme.Legacy;
        foreach (var (label, value) in options.ConstLabels ?? new Dictionary<string, string>())
        {
            var key = $"{Section}:ConstLabels:{label}";
            if (!MetricNames.IsValidLabelName(label, scheme))
            {
                failures.Add(scheme == NameValidationScheme.Utf8
                    ? $"{key}: \"{label}\" is not a valid label name; it must be non-empty, well-formed UTF-8."
                    : $"{key}: \"{label}\" is not a valid label name; it must match ^[a-zA-Z_][a-zA-Z0-9_]*$.");
            }
            else if (MetricNames.IsReservedLabelName(label))
            {
                failures.Add($"{key}: label names starting with \"__\" are reserved for Prometheus.");
            }
            if (value is null)
            {
                failures.Add($"{key}: the value is missing.");
            }
            else if (!MetricNames.IsWellFormedUtf16(value))
            {
                failures.Add($"{key}: the value is not valid UTF-8.");
            }
        }
        if (!string.IsNullOrEmpty(options.Namespace) && !MetricNames.IsValidMetricName(options.Namespace, scheme))
        {
            failures.Add(scheme == NameValidationScheme.Utf8
                ? $"{Section}:Namespace: \"{options.Namespace}\" is not a valid metric name prefix; it must be well-formed UTF-8."
                : $"{Section}:Namespace: \"{options.Namespace}\" is not a valid metric name prefix; it must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$.");
        }
        var meters = options.Collectors?.Meters ?? [];
        for (var i = 0; i < meters.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(meters[i]))
            {
                failures.Add($"{Section}:Collectors:Meters:{i}: a meter name must not be empty.");
            }
        }
        if (options.Server is { } server)
        {
            if (server.Port is < 1 or > 65535)
            {
                failures.Add($"{Section}:Server:Port: {server.Port} is not a TCP port; use 1 to 65535.");
            }
            if (string.IsNullOrWhiteSpace(server.Host) || server.Host.Contains('/'))
            {
                failures.Add($"{Section}:Server:Host: \"{server.Host}\" is not a host; use + (every interface), localhost, an address or a host name.");
            }
            if (string.IsNullOrEmpty(server.Path) || server.Path[0] != '/')
            {
                failures.Add($"{Section}:Server:Path: \"{server.Path}\" must start with /.");
            }
            if (server.MaxConcurrentScrapes < 0)
            {
                failures.Add($"{Section}:Server:MaxConcurrentScrapes: {server.MaxConcurrentScrapes} is negative; use 0 for no limit.");
            }
            if (server.ScrapeTimeout is { } timeout && timeout <= TimeSpan.Zero)
            {
                failures.Add($"{Section}:Server:ScrapeTimeout: {timeout} is not positive; leave it out for no limit.");
            }
        }
        if (options.Collectors is { MeterMaxSeries: < 0 } collectors)
        {
            failures.Add($"{Section}:Collectors:MeterMaxSeries: {collectors.MeterMaxSeries} is negative; give the most series per meter instrument, or 0 for no limit.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
