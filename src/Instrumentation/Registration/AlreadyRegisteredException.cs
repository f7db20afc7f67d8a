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
