namespace Instrumentation;

/// <summary>Registers and unregisters collectors.</summary>
public interface IRegisterer
{
    /// <summary>
    /// Registers <paramref name="collector"/> after checking its descriptors: each must be valid, must not repeat the
    /// name and const label values of an already registered one, and must agree in help and label names with every
    /// registered descriptor of the same name. On any failure nothing is registered.
    /// </summary>
    /// <exception cref="AlreadyRegisteredException">An equal collector (same set of descriptor ids) is registered.</exception>
    /// <exception cref="InvalidMetricDescriptorException">A descriptor is invalid or conflicts with a registered one.</exception>
    void Register(ICollector collector);

    /// <summary>Registers every collector in order; throws on the first that fails (the earlier stay registered).</summary>
    void MustRegister(params ICollector[] collectors);

    /// <summary>Unregisters the collector equal to <paramref name="collector"/>; returns whether one was removed.</summary>
    bool Unregister(ICollector collector);
}
