using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>Registerers that add a name prefix or const labels to everything registered through them, and get-or-register.</summary>
public static class RegistererExtensions
{
    /// <summary>
    /// Registers <paramref name="collector"/> and returns it, or, when an equal collector of the same type is already
    /// registered (<see cref="AlreadyRegisteredException"/>), returns that one — so code that may run twice against one
    /// registry (a second pipeline, a second test host) shares the first one's metrics instead of failing.
    /// </summary>
    /// <exception cref="AlreadyRegisteredException">An equal collector of another type is registered.</exception>
    /// <exception cref="ArgumentException">The collector's descriptors are invalid or inconsistent with registered ones.</exception>
    public static T RegisterOrGetExisting<T>(this IRegisterer registerer, T collector)
        where T : class, ICollector
    {
        ArgumentNullException.ThrowIfNull(registerer);
        try
        {
            registerer.Register(collector);
            return collector;
        }
        catch (AlreadyRegisteredException ex) when (ex.ExistingCollector is T existing)
        {
            return existing;
        }
    }

    /// <summary>
    /// Returns a registerer that registers collectors with <paramref name="registerer"/> under names prefixed with
    /// <paramref name="prefix"/> (include the trailing <c>_</c> yourself, as in <c>"myapp_"</c>).
    /// </summary>
    public static IRegisterer WrapWithPrefix(this IRegisterer registerer, string prefix)
    {
        ArgumentNullException.ThrowIfNull(registerer);
        ArgumentNullException.ThrowIfNull(prefix);
        return new WrappingRegisterer(registerer, prefix, new Dictionary<string, string>());
    }

    /// <summary>
    /// Returns a registerer that registers collectors with <paramref name="registerer"/> with <paramref name="labels"/>
    /// added as const labels to every series. A collector that already has one of the labels fails to register.
    /// </summary>
    public static IRegisterer WrapWithLabels(this IRegisterer registerer, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(registerer);
        ArgumentNullException.ThrowIfNull(labels);
        return new WrappingRegisterer(registerer, "", labels);
    }
}
