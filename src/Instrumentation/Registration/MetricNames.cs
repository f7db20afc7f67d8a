using System.Text;

namespace Instrumentation;

/// <summary>Which characters metric and label names may use.</summary>
public enum NameValidationScheme
{
    /// <summary>
    /// The classic Prometheus rules: metric names match <c>^[a-zA-Z_:][a-zA-Z0-9_:]*$</c>, label names
    /// <c>^[a-zA-Z_][a-zA-Z0-9_]*$</c>. Every scraper understands these names.
    /// </summary>
    Legacy,

    /// <summary>
    /// Prometheus 3 rules: any non-empty, well-formed UTF-8 text. Names outside the legacy set are quoted in formats
    /// that allow it and escaped for scrapers that did not ask for UTF-8.
    /// </summary>
    Utf8,
}

/// <summary>Validation of metric and label names.</summary>
public static class MetricNames
{
    /// <summary>Label names starting with this prefix are reserved for Prometheus' internal use.</summary>
    public const string ReservedLabelPrefix = "__";

    /// <summary>Whether <paramref name="name"/> is a valid metric name under <paramref name="scheme"/>.</summary>
    public static bool IsValidMetricName(string? name, NameValidationScheme scheme = NameValidationScheme.Legacy)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        return scheme == NameValidationScheme.Utf8 ? IsWellFormedUtf16(name) : IsLegacyMetricName(name);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a valid label name under <paramref name="scheme"/>. Names with the reserved
    /// <c>__</c> prefix are valid label names for Prometheus itself but not for instrumentation; see
    /// <see cref="IsReservedLabelName"/>.
    /// </summary>
    public static bool IsValidLabelName(string? name, NameValidationScheme scheme = NameValidationScheme.Legacy)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        return scheme == NameValidationScheme.Utf8 ? IsWellFormedUtf16(name) : IsLegacyLabelName(name);
    }

    /// <summary>Whether <paramref name="name"/> starts with the reserved <c>__</c> prefix.</summary>
    public static bool IsReservedLabelName(string name) => name.StartsWith(ReservedLabelPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> matches <c>^[a-zA-Z_:][a-zA-Z0-9_:]*$</c>.</summary>
    public static bool IsLegacyMetricName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="name"/> matches <c>^[a-zA-Z_][a-zA-Z0-9_]*$</c>.</summary>
    public static bool IsLegacyLabelName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether a .NET string encodes to well-formed UTF-8 (it has no lone surrogate).</summary>
    public static bool IsWellFormedUtf16(string value)
    {
        foreach (var c in value)
        {
            if (char.IsSurrogate(c))
            {
                // Slow path only for text that has surrogates at all.
                return IsWellFormedSlow(value);
            }
        }
        return true;
    }

    private static bool IsWellFormedSlow(string value)
    {
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
            span = span[consumed..];
        }
        return true;
    }
}
