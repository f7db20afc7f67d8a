namespace SentryCa.Hosting;

/// <summary>The <c>Sentry:Push</c> section: push metrics to a Pushgateway as well as serving <c>/metrics</c>.</summary>
public sealed class PushOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sentry:Push";

    /// <summary>The Pushgateway's URL, such as <c>http://127.0.0.1:9091</c>; pushing is off when empty.</summary>
    public string? Url { get; set; }

    /// <summary>The job name of the group.</summary>
    public string Job { get; set; } = "sentry";

    /// <summary>The <c>instance</c> grouping label; default the machine name.</summary>
    public string? Instance { get; set; }

    /// <summary>Seconds between pushes.</summary>
    public double IntervalSeconds { get; set; } = 15;

    /// <summary>Whether the group is deleted from the gateway when the service stops (after the final push otherwise).</summary>
    public bool DeleteOnStop { get; set; }
}
