namespace Instrumentation;

/// <summary>
/// Thrown by <see cref="IGatherer.Gather()"/> when problems were found. It lists all of them in <see cref="Errors"/>
/// and carries in <see cref="Families"/> everything that gathered cleanly, so a scrape can still be served.
/// </summary>
public sealed class GatherException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatherException(IReadOnlyList<string> errors, IReadOnlyList<MetricFamily> families)
        : base(Format(errors))
    {
        Errors = errors;
        Families = families;
    }

    /// <summary>Every problem found, one message each.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The families that gathered cleanly, sorted as <see cref="IGatherer.Gather()"/> sorts them.</summary>
    public IReadOnlyList<MetricFamily> Families { get; }

    private static string Format(IReadOnlyList<string> errors) =>
        errors.Count == 1
            ? "Gathering metrics failed: " + errors[0]
            : $"Gathering metrics failed with {errors.Count} errors:" + string.Concat(errors.Select(e => "\n* " + e));
}
