namespace Instrumentation;

/// <summary>
/// Thrown by <see cref="IRegisterer.Register"/> when an equal collector is already registered. The registered one is
/// in <see cref="ExistingCollector"/>, so callers can use it instead: <c>catch (AlreadyRegisteredException e) { c = (Counter)e.ExistingCollector; }</c>.
/// </summary>
public sealed class AlreadyRegisteredException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public AlreadyRegisteredException(ICollector existingCollector, ICollector newCollector, string description)
        : base($"Duplicate metrics collector registration attempted: {description} is already registered.")
    {
        ExistingCollector = existingCollector;
        NewCollector = newCollector;
    }

    /// <summary>The collector already registered.</summary>
    public ICollector ExistingCollector { get; }

    /// <summary>The collector whose registration was refused.</summary>
    public ICollector NewCollector { get; }
}

/// <summary>
/// Thrown by <see cref="IRegisterer.Register"/> when a descriptor is invalid or conflicts with a registered one.
/// </summary>
public sealed class InvalidMetricDescriptorException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidMetricDescriptorException(string message, Desc desc)
        : base(message)
    {
        Desc = desc;
    }

    /// <summary>The offending descriptor.</summary>
    public Desc Desc { get; }
}

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
