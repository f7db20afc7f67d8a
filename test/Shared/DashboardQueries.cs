using System.Text.Json;
using System.Text.RegularExpressions;

namespace Instrumentation.TestShared;

/// <summary>
/// Reads a Grafana dashboard of examples/dashboards: its panels' PromQL and the metric names that PromQL selects, so a
/// test can check every one of them against a real scrape of the example app.
/// </summary>
internal static partial class DashboardQueries
{
    /// <summary>Series Prometheus makes itself for every target; a dashboard may query them without the app exposing them.</summary>
    public static readonly IReadOnlySet<string> PrometheusSeries = new HashSet<string>(StringComparer.Ordinal)
    {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
    };

    /// <summary>The dashboard file, found from the repository root (the folder holding the solution).</summary>
    public static string File(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Instrumentation.AspNetCore.sln")))
            {
                return Path.Combine(dir.FullName, "examples", "dashboards", name);
            }
        }
        throw new FileNotFoundException($"No repository root above {AppContext.BaseDirectory}.");
    }

    /// <summary>Every panel target's expression, with the panel title, from the dashboard JSON (rows' nested panels too).</summary>
    public static IReadOnlyList<(string Panel, string Expr)> Expressions(string path)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        var found = new List<(string, string)>();
        Walk(document.RootElement.GetProperty("panels"), found);
        return found;
    }

    private static void Walk(JsonElement panels, List<(string, string)> found)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    found.Add((title, target.GetProperty("expr").GetString() ?? ""));
                }
            }
            if (panel.TryGetProperty("panels", out var nested))
            {
                Walk(nested, found);
            }
        }
    }

    /// <summary>
    /// The metric (sample) names an expression selects: identifiers left once strings, label matchers, ranges and the
    /// label lists of <c>by</c>/<c>without</c>/<c>on</c>/<c>ignoring</c>/<c>group_*</c> are removed, that are neither
    /// functions (followed by <c>(</c>) nor keywords nor numbers.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = LabelLists().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(text))
        {
            var rest = text[(m.Index + m.Length)..].TrimStart();
            if (rest.StartsWith('(') || Keywords.Contains(m.Value.ToLowerInvariant()))
            {
                continue;
            }
            names.Add(m.Value);
        }
        return names;
    }

    /// <summary>The sample names of a text exposition.</summary>
    public static IReadOnlySet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
