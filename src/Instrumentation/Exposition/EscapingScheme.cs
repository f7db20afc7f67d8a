namespace Instrumentation.Exposition;

/// <summary>
/// How metric and label names outside the legacy character set are written for a scraper (the <c>escaping</c>
/// parameter of the Prometheus content types). Names that already are legacy-valid are written unchanged by every
/// scheme.
/// </summary>
public enum EscapingScheme
{
    /// <summary>
    /// <c>escaping=underscores</c> (the default for scrapers that did not ask for UTF-8): every character that is not
    /// allowed in a legacy name becomes <c>_</c>. <c>my.metric</c> → <c>my_metric</c>.
    /// </summary>
    Underscores,

    /// <summary>
    /// <c>escaping=dots</c>: <c>.</c> becomes <c>_dot_</c>, <c>_</c> becomes <c>__</c>, any other disallowed
    /// character <c>__</c>. <c>my.metric_x</c> → <c>my_dot_metric__x</c>.
    /// </summary>
    Dots,

    /// <summary>
    /// <c>escaping=values</c>: the name is prefixed with <c>U__</c>, <c>_</c> becomes <c>__</c> and any disallowed
    /// character becomes <c>_</c>, its Unicode code point in lower-case hex, <c>_</c>. <c>my.metric</c> →
    /// <c>U__my_2e_metric</c>. Reversible.
    /// </summary>
    Values,

    /// <summary>
    /// <c>escaping=allow-utf-8</c>: names are written as they are, quoted where the legacy syntax cannot carry them
    /// (<c>{"my.metric","label.name"="v"}</c>).
    /// </summary>
    AllowUtf8,
}
