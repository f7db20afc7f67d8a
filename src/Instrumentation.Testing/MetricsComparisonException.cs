namespace Instrumentation.Testing;

/// <summary>
/// Thrown by <see cref="MetricsTestUtil.CollectAndCompare"/> and <see cref="MetricsTestUtil.GatherAndCompare"/> when the
/// collected metrics differ from the expected exposition text. The message lists every difference and ends with the
/// collected metrics as text, ready to be pasted into the test once they are what you want.
/// </summary>
public sealed class MetricsComparisonException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="differences">One description per difference (a missing series, a value that differs, …).</param>
    /// <param name="actualText">The compared metrics as they were collected, in the Prometheus text format.</param>
    public MetricsComparisonException(IReadOnlyList<string> differences, string actualText)
        : base(Format(differences, actualText))
    {
        Differences = differences;
        ActualText = actualText;
    }

    /// <summary>
    /// Every difference found, one description each, such as
    /// <c>series http_requests_total{method="GET"}: value expected 3, got 2</c> or
    /// <c>missing series http_requests_total{method="POST"}; expected: …</c>.
    /// </summary>
    public IReadOnlyList<string> Differences { get; }

    /// <summary>The compared metrics (after filtering by name) as they were collected, in the Prometheus text format.</summary>
    public string ActualText { get; }

    private static string Format(IReadOnlyList<string> differences, string actualText)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentNullException.ThrowIfNull(actualText);
        var header = differences.Count == 1
            ? "The collected metrics differ from the expected text in 1 place:"
            : $"The collected metrics differ from the expected text in {differences.Count} places:";
        var collected = actualText.Length == 0 ? "\n\nNothing was collected." : "\n\nCollected:\n" + actualText.TrimEnd('\n');
        return header + string.Concat(differences.Select(d => "\n- " + d.Replace("\n", "\n  "))) + collected;
    }
}
