using System.Text;

namespace Instrumentation.Collectors;

/// <summary>
/// Turns <c>System.Diagnostics.Metrics</c> instrument names, units and tag keys into Prometheus names the way
/// OpenTelemetry's Prometheus exporter does (its "Prometheus and OpenMetrics compatibility" rules), so that
/// dashboards built on that exporter find the same series: <c>http.server.request.duration</c> in <c>s</c> becomes
/// <c>http_server_request_duration_seconds</c>.
/// </summary>
internal static class MeterNaming
{
    /// <summary>
    /// The <c>http_route</c> value of bridged ASP.NET Core requests that matched no endpoint: <c>&lt;unmatched&gt;</c>,
    /// the <c>route</c> value <c>UseHttpMetrics</c> gives them.
    /// </summary>
    public const string UnmatchedRoute = "<unmatched>";

    // UCUM units written out the way Prometheus names spell them.
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds",
        ["ms"] = "milliseconds", ["us"] = "microseconds", ["ns"] = "nanoseconds",
        ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes", ["GiBy"] = "gibibytes", ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes", ["TBy"] = "terabytes",
        ["m"] = "meters", ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules", ["W"] = "watts", ["g"] = "grams",
        ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    // The denominator of a rate ("By/s") in the singular: bytes_per_second.
    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>
    /// The family name of an instrument: the sanitised name, then the unit's suffix unless the name already ends with
    /// it, then <c>_total</c> for a counter.
    /// </summary>
    /// <param name="instrumentName">The instrument's name, e.g. <c>http.server.request.duration</c>.</param>
    /// <param name="unit">The instrument's UCUM unit, e.g. <c>s</c>, <c>By</c>, <c>{request}</c>; null for none.</param>
    /// <param name="type">The Prometheus type the instrument is exposed as.</param>
    /// <param name="unitSuffix">The unit word appended or already present (for OpenMetrics' <c># UNIT</c>), or null.</param>
    public static string FamilyName(string instrumentName, string? unit, MetricType type, out string? unitSuffix)
    {
        var name = SanitizeMetricName(instrumentName);
        var isCounter = type == MetricType.Counter;
        if (isCounter && name.EndsWith("_total", StringComparison.Ordinal) && name.Length > "_total".Length)
        {
            name = name[..^"_total".Length];
        }
        var word = UnitSuffix(unit, type == MetricType.Gauge);
        unitSuffix = null;
        if (word.Length > 0)
        {
            if (!name.EndsWith("_" + word, StringComparison.Ordinal) && name != word)
            {
                name = name + "_" + word;
            }
            unitSuffix = name.EndsWith("_" + word, StringComparison.Ordinal) ? word : null;
        }
        return isCounter ? name + "_total" : name;
    }

    /// <summary>
    /// The name suffix for a UCUM unit: annotations in braces are dropped (<c>{request}</c> → none), known units are
    /// written out (<c>s</c> → <c>seconds</c>), rates become <c>a_per_b</c> (<c>By/s</c> → <c>bytes_per_second</c>),
    /// the dimensionless <c>1</c> becomes <c>ratio</c> for gauges and nothing otherwise, and other units are sanitised.
    /// </summary>
    public static string UnitSuffix(string? unit, bool isGauge)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }
        var stripped = StripAnnotations(unit).Trim();
        if (stripped == "1")
        {
            return isGauge ? "ratio" : "";
        }
        var slash = stripped.IndexOf('/');
        var main = slash < 0 ? stripped : stripped[..slash];
        var per = slash < 0 ? "" : stripped[(slash + 1)..];
        var mainWord = main.Length == 0 || main == "1" ? "" : Units.GetValueOrDefault(main) ?? SanitizeUnit(main);
        var perWord = per.Length == 0 ? "" : PerUnits.GetValueOrDefault(per) ?? SanitizeUnit(per);
        if (perWord.Length == 0)
        {
            return mainWord;
        }
        return mainWord.Length == 0 ? "per_" + perWord : mainWord + "_per_" + perWord;
    }

    /// <summary>
    /// A valid metric name from any text: every character outside <c>[a-zA-Z0-9_:]</c> becomes <c>_</c>, runs of
    /// <c>_</c> shrink to one, leading and trailing ones go, and a leading digit gets a <c>_</c> before it.
    /// </summary>
    public static string SanitizeMetricName(string name)
    {
        var sb = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == ':';
            if (valid)
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }
        while (sb.Length > 0 && sb[^1] == '_')
        {
            sb.Length--;
        }
        if (sb.Length == 0)
        {
            return "_";
        }
        if (char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }
        return sb.ToString();
    }

    /// <summary>
    /// A valid label name from a tag key: every character outside <c>[a-zA-Z0-9_]</c> becomes <c>_</c>; a name that
    /// starts with a digit, or with the reserved <c>__</c>, gets the prefix <c>key_</c> / <c>key</c>.
    /// </summary>
    public static string SanitizeLabelName(string key)
    {
        if (MetricNames.IsLegacyLabelName(key) && !MetricNames.IsReservedLabelName(key))
        {
            return key;
        }
        if (key.Length == 0)
        {
            return "key_";
        }
        var chars = new char[key.Length];
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            chars[i] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
        }
        var name = new string(chars);
        if (char.IsAsciiDigit(name[0]))
        {
            return "key_" + name;
        }
        return name.StartsWith("__", StringComparison.Ordinal) ? "key" + name : name;
    }

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{'))
        {
            return unit;
        }
        var sb = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static string SanitizeUnit(string unit)
    {
        var sb = new StringBuilder(unit.Length);
        foreach (var c in unit)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }
        while (sb.Length > 0 && sb[^1] == '_')
        {
            sb.Length--;
        }
        return sb.ToString();
    }
}
