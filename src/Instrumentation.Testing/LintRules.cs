namespace Instrumentation.Testing;

/// <summary>
/// The rules <see cref="Linter"/> applies to one metric family: Prometheus' naming conventions as its <c>promlint</c>
/// checks them, with promlint's wording, so that a problem reads the same here as in <c>promtool check metrics</c>.
/// </summary>
/// <remarks>
/// A family is judged as the text format exposes it, because that is what promtool and every scraper see: info and
/// stateset families are gauges there, gauge histograms are histograms, and a stateset's series carry one more label,
/// named after the family, that holds the state.
/// </remarks>
internal static class LintRules
{
    internal const string NoHelp = "no help text";
    internal const string CounterWithoutTotal = "counter metrics should have \"_total\" suffix";
    internal const string NonCounterWithTotal = "non-counter metrics should not have \"_total\" suffix";
    internal const string BucketSuffix = "non-histogram metrics should not have \"_bucket\" suffix";
    internal const string CountSuffix = "non-histogram and non-summary metrics should not have \"_count\" suffix";
    internal const string SumSuffix = "non-histogram and non-summary metrics should not have \"_sum\" suffix";
    internal const string LeLabel = "non-histogram metrics should not have \"le\" label";
    internal const string QuantileLabel = "non-summary metrics should not have \"quantile\" label";
    internal const string Colon = "metric names should not contain ':'";
    internal const string CamelCaseMetric = "metric names should be written in 'snake_case' not 'camelCase'";
    internal const string CamelCaseLabel = "label names should be written in 'snake_case' not 'camelCase'";
    internal const string AbbreviatedUnit = "metric names should not contain abbreviated units";

    /// <summary>Unit words promlint recognises in a name, each with the base unit it should be written in.</summary>
    private static readonly Dictionary<string, string> BaseUnits = new(StringComparer.Ordinal)
    {
        // Base units: nothing to say. Celsius is not SI's base unit but is what Prometheus users measure in.
        ["amperes"] = "amperes",
        ["bytes"] = "bytes",
        ["celsius"] = "celsius",
        ["grams"] = "grams",
        ["joules"] = "joules",
        ["kelvin"] = "kelvin",
        ["meters"] = "meters",
        ["metres"] = "metres",
        ["seconds"] = "seconds",
        ["volts"] = "volts",
        // Other units of the same quantities.
        ["minutes"] = "seconds",
        ["hours"] = "seconds",
        ["days"] = "seconds",
        ["weeks"] = "seconds",
        ["kelvins"] = "kelvin",
        ["fahrenheit"] = "celsius",
        ["rankine"] = "celsius",
        ["inches"] = "meters",
        ["yards"] = "meters",
        ["miles"] = "meters",
        ["bits"] = "bytes",
        ["calories"] = "joules",
        ["pounds"] = "grams",
        ["ounces"] = "grams",
    };

    /// <summary>Scale prefixes: a prefixed base unit ("milliseconds", "kilobytes") is not a base unit.</summary>
    private static readonly string[] UnitPrefixes =
    [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga",
        "gibi", "tera", "tebi", "peta", "pebi",
    ];

    /// <summary>Abbreviations that hide a unit; matched as whole words of the lower-cased name.</summary>
    private static readonly string[] UnitAbbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"];

    /// <summary>
    /// Type names that should not be words of a metric name: the types of Prometheus' data model except untyped
    /// (<c>gauge_histogram</c> included, as promlint takes them from that model).
    /// </summary>
    private static readonly string[] TypeNames = ["counter", "gauge", "histogram", "summary", "gauge_histogram"];

    /// <summary>Adds every problem of <paramref name="family"/> to <paramref name="problems"/> (possibly the same one twice).</summary>
    internal static void Check(MetricFamily family, List<LintProblem> problems)
    {
        var name = family.Name;
        var type = ExposedType(family.Type);
        var labelNames = LabelNames(family);

        void Report(string text) => problems.Add(new LintProblem(name, text));

        // Help: every family says what it measures. promtool reads a HELP line of blanks as no help at all.
        if (string.IsNullOrWhiteSpace(family.Help))
        {
            Report(NoHelp);
        }

        // Units: the first unit word of the name must be a base unit.
        if (FindUnit(name) is var (unit, baseUnit) && unit != baseUnit)
        {
            Report($"use base unit \"{baseUnit}\" instead of \"{unit}\"");
        }

        // _total belongs to counters (untyped families may be anything, so they are left alone).
        var hasTotal = name.EndsWith("_total", StringComparison.Ordinal);
        if (type == MetricType.Counter && !hasTotal)
        {
            Report(CounterWithoutTotal);
        }
        else if (type != MetricType.Counter && type != MetricType.Untyped && hasTotal)
        {
            Report(NonCounterWithTotal);
        }

        // Suffixes and labels that histograms and summaries add to their own samples would collide with theirs.
        if (type != MetricType.Untyped)
        {
            var isHistogram = type == MetricType.Histogram;
            var isSummary = type == MetricType.Summary;
            if (!isHistogram && name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                Report(BucketSuffix);
            }
            if (!isHistogram && !isSummary && name.EndsWith("_count", StringComparison.Ordinal))
            {
                Report(CountSuffix);
            }
            if (!isHistogram && !isSummary && name.EndsWith("_sum", StringComparison.Ordinal))
            {
                Report(SumSuffix);
            }
            if (!isHistogram && labelNames.Contains("le"))
            {
                Report(LeLabel);
            }
            if (!isSummary && labelNames.Contains("quantile"))
            {
                Report(QuantileLabel);
            }
        }

        // The type is already in the metadata; in the name it is noise.
        var lowerName = name.ToLowerInvariant();
        foreach (var typeName in TypeNames)
        {
            if (HasWord(lowerName, typeName))
            {
                Report($"metric name should not include type '{typeName}'");
            }
        }

        // Colons are legal but reserved, by convention, for the names of recording rules.
        if (name.Contains(':'))
        {
            Report(Colon);
        }

        if (IsCamelCase(name))
        {
            Report(CamelCaseMetric);
        }
        foreach (var labelName in labelNames)
        {
            if (IsCamelCase(labelName))
            {
                Report(CamelCaseLabel);
            }
        }

        foreach (var abbreviation in UnitAbbreviations)
        {
            if (HasWord(lowerName, abbreviation))
            {
                Report(AbbreviatedUnit);
            }
        }
    }

    /// <summary>The type the family has in the text format, the one format every Prometheus tool reads.</summary>
    private static MetricType ExposedType(MetricType type) => type switch
    {
        MetricType.Info or MetricType.StateSet => MetricType.Gauge,
        MetricType.GaugeHistogram => MetricType.Histogram,
        _ => type,
    };

    /// <summary>Every label name used by a series of the family, a stateset's state label included.</summary>
    private static HashSet<string> LabelNames(MetricFamily family)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in family.Metrics)
        {
            foreach (var pair in point.Labels.AsSpan())
            {
                names.Add(pair.Name);
            }
        }
        if (family.Type == MetricType.StateSet && family.Metrics.Count > 0)
        {
            names.Add(family.Name);
        }
        return names;
    }

    /// <summary>
    /// The first word of <paramref name="name"/> (split at underscores) that is a known unit, bare or with a scale
    /// prefix, and the base unit it should be; null when the name has none.
    /// </summary>
    private static (string Unit, string BaseUnit)? FindUnit(string name)
    {
        foreach (var word in name.Split('_'))
        {
            if (BaseUnits.TryGetValue(word, out var baseUnit))
            {
                return (word, baseUnit);
            }
            foreach (var prefix in UnitPrefixes)
            {
                if (word.StartsWith(prefix, StringComparison.Ordinal) && BaseUnits.TryGetValue(word[prefix.Length..], out baseUnit))
                {
                    return (word, baseUnit);
                }
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="word"/> appears in <paramref name="name"/> after an underscore and before another or the end.</summary>
    private static bool HasWord(string name, string word)
    {
        for (var at = name.IndexOf(word, StringComparison.Ordinal); at >= 0; at = name.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if (at > 0 && name[at - 1] == '_' && (end == name.Length || name[end] == '_'))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a lower-case ASCII letter is directly followed by an upper-case one ("cacheHits").</summary>
    private static bool IsCamelCase(string name)
    {
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsAsciiLetterLower(name[i - 1]) && char.IsAsciiLetterUpper(name[i]))
            {
                return true;
            }
        }
        return false;
    }
}
