using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.Hosting;

/// <summary>
/// A collector type added with <c>AddCollector&lt;TCollector&gt;()</c>: resolved (as the one singleton of its type)
/// and registered with the registry when the application starts.
/// </summary>
internal abstract class CollectorRegistration
{
    public abstract ICollector Resolve(IServiceProvider services);
}

internal sealed class CollectorRegistration<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCollector> : CollectorRegistration
    where TCollector : class, ICollector
{
    public override ICollector Resolve(IServiceProvider services) => services.GetRequiredService<TCollector>();
}
