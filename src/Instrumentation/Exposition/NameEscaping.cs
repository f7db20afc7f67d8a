using System.Globalization;
using System.Text;

namespace Instrumentation.Exposition;

/// <summary>
/// Applies an <see cref="EscapingScheme"/> to metric and label names, following the rules of the Prometheus
/// <c>model</c> package: a legacy-valid name is left alone, any other name is rewritten by the scheme.
/// </summary>
internal static class NameEscaping
{
    /// <summary>The value of the <c>escaping</c> content-type parameter for a scheme.</summary>
    public static string ToParameterValue(EscapingScheme scheme) => scheme switch
    {
        EscapingScheme.Dots => "dots",
        EscapingScheme.Values => "values",
        EscapingScheme.AllowUtf8 => "allow-utf-8",
        _ => "underscores",
    };

    /// <summary>Parses the value of an <c>escaping</c> parameter; false for anything unknown.</summary>
    public static bool TryParseParameterValue(ReadOnlySpan<char> value, out EscapingScheme scheme)
    {
        if (value.Equals("underscores", StringComparison.Ordinal))
        {
            scheme = EscapingScheme.Underscores;
        }
        else if (value.Equals("dots", StringComparison.Ordinal))
        {
            scheme = EscapingScheme.Dots;
        }
        else if (value.Equals("values", StringComparison.Ordinal))
        {
            scheme = EscapingScheme.Values;
        }
        else if (value.Equals("allow-utf-8", StringComparison.Ordinal))
        {
            scheme = EscapingScheme.AllowUtf8;
        }
        else
        {
            scheme = default;
            return false;
        }
        return true;
    }

    /// <summary>The metric name to write under <paramref name="scheme"/>.</summary>
    public static string EscapeMetricName(string name, EscapingScheme scheme) =>
        scheme == EscapingScheme.AllowUtf8 || MetricNames.IsLegacyMetricName(name) ? name : Escape(name, scheme, allowColon: true);

    /// <summary>The label name to write under <paramref name="scheme"/>.</summary>
    /// <remarks>
    /// Unlike the Go model package (which checks label names against the metric-name rule), a colon counts as
    /// disallowed here: a label name with a colon is not a legacy label name, and a legacy scraper would reject it.
    /// </remarks>
    public static string EscapeLabelName(string name, EscapingScheme scheme) =>
        scheme == EscapingScheme.AllowUtf8 || MetricNames.IsLegacyLabelName(name) ? name : Escape(name, scheme, allowColon: false);

    private static string Escape(string name, EscapingScheme scheme, bool allowColon)
    {
        if (name.Length == 0)
        {
            return name;
        }
        var builder = new StringBuilder(name.Length + 8);
        if (scheme == EscapingScheme.Values)
        {
            builder.Append("U__");
        }
        var index = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            var allowed = IsLegacyRune(rune, index, allowColon);
            switch (scheme)
            {
                case EscapingScheme.Dots:
                    if (rune.Value == '_')
                    {
                        builder.Append("__");
                    }
                    else if (rune.Value == '.')
                    {
                        builder.Append("_dot_");
                    }
                    else if (allowed)
                    {
                        builder.Append((char)rune.Value);
                    }
                    else
                    {
                        builder.Append("__");
                    }
                    break;
                case EscapingScheme.Values:
                    if (rune.Value == '_')
                    {
                        builder.Append("__");
                    }
                    else if (allowed)
                    {
                        builder.Append((char)rune.Value);
                    }
                    else
                    {
                        builder.Append('_').Append(rune.Value.ToString("x", CultureInfo.InvariantCulture)).Append('_');
                    }
                    break;
                default:
                    builder.Append(allowed ? (char)rune.Value : '_');
                    break;
            }
            index++;
        }
        return builder.ToString();
    }

    private static bool IsLegacyRune(Rune rune, int index, bool allowColon)
    {
        var v = rune.Value;
        return (v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || v == '_' || (allowColon && v == ':') || (v >= '0' && v <= '9' && index > 0);
    }
}
