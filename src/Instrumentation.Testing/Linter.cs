namespace Instrumentation.Testing;

/// <summary>
/// Checks gathered metric families against Prometheus' naming conventions, the way Prometheus' own linter
/// (<c>promlint</c>, run by <c>promtool check metrics</c>) does: help text, <c>_total</c> on counters and only on
/// counters, the suffixes and labels reserved for histograms and summaries, base units, unit abbreviations, type names
/// and colons in names, camelCase metric and label names. Meant for unit tests: a name is cheap to change before its
/// first release and expensive after, when dashboards and alerts query it.
/// </summary>
/// <remarks>
/// <para>Problems are worded as promlint words them and sorted by metric name, then text. Unlike promlint, a problem
/// found in several series of a family (a camelCase label, say) is reported once, not once per series.</para>
/// <para>A family is judged as the text format exposes it: info and stateset families as gauges (a stateset's state
/// label, named after the family, included), gauge histograms as histograms. Only series that exist are seen, so a
/// labelled family with no children yet has no labels to check (its name is still checked).</para>
/// <para>The rules cannot tell a deliberate exception from a mistake; filter the result by <see cref="LintProblem.Text"/>
/// for the names you keep on purpose.</para>
/// </remarks>
/// <example>
/// <code>
/// [Fact]
/// public void Metrics_follow_the_naming_conventions()
/// {
///     var registry = new Registry();
///     ShopMetrics.Register(registry);
///     Assert.Empty(Linter.Lint(registry));
/// }
/// </code>
/// </example>
public static class Linter
{
    /// <summary>Lints <paramref name="families"/> (as <see cref="IGatherer.Gather()"/> returns them, or built by hand).</summary>
    /// <param name="families">The families to check.</param>
    /// <returns>Every problem found, each once, sorted by metric name and then text; empty when all is well.</returns>
    /// <example>
    /// <code>
    /// var problems = Linter.Lint(registry.Gather());
    /// </code>
    /// </example>
    public static IReadOnlyList<LintProblem> Lint(IReadOnlyList<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var problems = new List<LintProblem>();
        foreach (var family in families)
        {
            LintRules.Check(family, problems);
        }
        problems.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.MetricName, b.MetricName);
            return byName != 0 ? byName : string.CompareOrdinal(a.Text, b.Text);
        });
        // Sorted, so repeats are neighbours: the same problem from several series (or from two families of one
        // name, as merged gatherers may hand over) is said once.
        var unique = new List<LintProblem>(problems.Count);
        foreach (var problem in problems)
        {
            if (unique.Count == 0 || unique[^1] != problem)
            {
                unique.Add(problem);
            }
        }
        return unique;
    }

    /// <summary>Gathers from <paramref name="gatherer"/> (a <see cref="Registry"/>, say) and lints what it returns.</summary>
    /// <param name="gatherer">The gatherer to lint.</param>
    /// <returns>Every problem found, each once, sorted by metric name and then text; empty when all is well.</returns>
    /// <exception cref="GatherException">The gather itself failed; nothing is linted then, as the failure comes first.</exception>
    /// <example>
    /// <code>
    /// Assert.Empty(Linter.Lint(registry));
    /// </code>
    /// </example>
    public static IReadOnlyList<LintProblem> Lint(IGatherer gatherer)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        return Lint(gatherer.Gather());
    }

    /// <summary>
    /// Registers <paramref name="collector"/> with a new, empty <see cref="Registry"/>, gathers it and lints the result:
    /// one metric or one custom collector checked on its own.
    /// </summary>
    /// <param name="collector">The collector to lint.</param>
    /// <returns>Every problem found, each once, sorted by metric name and then text; empty when all is well.</returns>
    /// <exception cref="ArgumentException">The collector cannot be registered (an invalid name or label, say).</exception>
    /// <exception cref="GatherException">The collector's metrics cannot be gathered.</exception>
    /// <example>
    /// <code>
    /// var latency = new Histogram(new HistogramOptions { Name = "queue_latency_ms", Help = "Time in the queue." });
    /// var problems = Linter.Lint(latency);
    /// // queue_latency_ms metric names should not contain abbreviated units
    /// </code>
    /// </example>
    public static IReadOnlyList<LintProblem> Lint(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        var registry = new Registry();
        registry.Register(collector);
        return Lint(registry);
    }
}
