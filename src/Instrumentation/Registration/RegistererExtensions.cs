using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>Registerers that add a name prefix or const labels to everything registered through them.</summary>
public static class RegistererExtensions
{
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
