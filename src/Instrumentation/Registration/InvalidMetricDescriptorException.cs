namespace Instrumentation;

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
