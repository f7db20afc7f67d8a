using System.Text;

namespace Instrumentation.Push;

/// <summary>
/// The job name and grouping labels that identify one group of metrics on a Pushgateway, and the URL path that
/// addresses it: <c>/metrics/job/&lt;job&gt;{/&lt;label&gt;/&lt;value&gt;}</c>.
/// </summary>
/// <remarks>
/// A value that the plain path form cannot carry is written in the <c>@base64</c> form the Pushgateway defines: a value
/// containing <c>/</c> (which would split the path) becomes <c>&lt;label&gt;@base64/&lt;base64url, unpadded&gt;</c>, an
/// empty value (whose <c>//</c> would be collapsed) becomes <c>&lt;label&gt;@base64/=</c>, and so do <c>.</c> and
/// <c>..</c> (<c>Li4</c>): as path segments they are dot segments, which <see cref="Uri"/> removes (RFC 3986 §5.2.4),
/// so <c>instance=".."</c> would address — and replace or delete — another group. Every other value is
/// percent-encoded, so it stays readable in logs. The job name follows the same rules.
/// </remarks>
public sealed class GroupingKey
{
    private const string JobLabel = "job";

    /// <summary>Creates a grouping key.</summary>
    /// <param name="job">The job name; must not be empty.</param>
    /// <param name="labels">Further grouping labels; names must be valid label names and not <c>job</c>.</param>
    /// <exception cref="ArgumentException">The job is empty, or a label name is invalid, reserved or <c>job</c>.</exception>
    public GroupingKey(string job, IEnumerable<KeyValuePair<string, string>>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Length == 0)
        {
            throw new ArgumentException("The Pushgateway job name must not be empty.", nameof(job));
        }
        var pairs = new List<LabelPair>();
        foreach (var (name, value) in labels ?? [])
        {
            if (name == JobLabel)
            {
                throw new ArgumentException(
                    "Grouping label \"job\" is not allowed: the job is given by the job name.", nameof(labels));
            }
            if (!MetricNames.IsValidLabelName(name) || MetricNames.IsReservedLabelName(name))
            {
                throw new ArgumentException($"Grouping label name \"{name}\" is not a valid label name.", nameof(labels));
            }
            if (pairs.Exists(p => p.Name == name))
            {
                throw new ArgumentException($"Grouping label \"{name}\" is given twice.", nameof(labels));
            }
            pairs.Add(new LabelPair(name, value ?? throw new ArgumentException($"Grouping label \"{name}\" has a null value.", nameof(labels))));
        }
        Job = job;
        // Sorted so the same grouping always yields the same URL.
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Labels = pairs;
    }

    /// <summary>The job name.</summary>
    public string Job { get; }

    /// <summary>The grouping labels other than the job, sorted by name.</summary>
    public IReadOnlyList<LabelPair> Labels { get; }

    /// <summary>Whether <paramref name="labelName"/> is part of this key (the job included).</summary>
    public bool Contains(string labelName) =>
        labelName == JobLabel || Labels.Any(p => p.Name == labelName);

    /// <summary>The path of this group below the gateway's base URL, starting with <c>metrics/job</c> (no leading slash).</summary>
    public string ToPath()
    {
        var path = new StringBuilder("metrics");
        AppendComponent(path, JobLabel, Job);
        foreach (var pair in Labels)
        {
            AppendComponent(path, pair.Name, pair.Value);
        }
        return path.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToPath();

    private static void AppendComponent(StringBuilder path, string name, string value)
    {
        path.Append('/').Append(name);
        if (value.Length == 0)
        {
            path.Append("@base64/=");
        }
        else if (value.Contains('/') || value is "." or "..")
        {
            path.Append("@base64/").Append(Base64Url(value));
        }
        else
        {
            path.Append('/').Append(Uri.EscapeDataString(value));
        }
    }

    /// <summary>RFC 4648 §5 (URL- and filename-safe alphabet) without padding, which the Pushgateway accepts.</summary>
    internal static string Base64Url(string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
