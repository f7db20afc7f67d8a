namespace Instrumentation.Testing;

/// <summary>
/// One naming or metadata problem that <see cref="Linter"/> found in a metric family: the family's name and what is
/// wrong with it, worded as Prometheus' <c>promlint</c> (and so <c>promtool check metrics</c>) words it.
/// </summary>
/// <param name="MetricName">The name of the family the problem was found in (a counter's name with its <c>_total</c>).</param>
/// <param name="Text">What is wrong, for example <c>counter metrics should have "_total" suffix</c>.</param>
/// <example>
/// <code>
/// foreach (var problem in Linter.Lint(registry))
/// {
///     Console.WriteLine(problem); // "queue_latency_ms metric names should not contain abbreviated units"
/// }
/// </code>
/// </example>
public sealed record LintProblem(string MetricName, string Text)
{
    /// <summary>
    /// The problem as one line, <c>&lt;metric name&gt; &lt;text&gt;</c>: the line <c>promtool check metrics</c> prints for it.
    /// </summary>
    /// <example>
    /// <code>
    /// new LintProblem("uptime_hours", "use base unit \"seconds\" instead of \"hours\"").ToString()
    /// // uptime_hours use base unit "seconds" instead of "hours"
    /// </code>
    /// </example>
    public override string ToString() => $"{MetricName} {Text}";
}
