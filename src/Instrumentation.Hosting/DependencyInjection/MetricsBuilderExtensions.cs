using System.Diagnostics.CodeAnalysis;
using Instrumentation;
using Instrumentation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds collectors and meters to the registry set up by <c>AddMetricsRegistry</c>.</summary>
public static class MetricsBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TCollector"/> as a singleton (resolvable by its type) and registers it with the
    /// registry when the application starts.
    /// </summary>
    public static IMetricsBuilder AddCollector<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCollector>(this IMetricsBuilder builder)
        where TCollector : class, ICollector
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TCollector>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<CollectorRegistration, CollectorRegistration<TCollector>>());
        return builder;
    }

    /// <summary>Registers <paramref name="collector"/> with the registry when the application starts.</summary>
    public static IMetricsBuilder AddCollector(this IMetricsBuilder builder, ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(collector);
        builder.Services.AddSingleton(collector);
        return builder;
    }

    /// <summary>Turns the process collector on, whatever <c>Metrics:Collectors:Process</c> says.</summary>
    public static IMetricsBuilder AddProcessCollector(this IMetricsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<MetricsOptions>(o => o.Collectors.Process = true);
        return builder;
    }

    /// <summary>Turns the .NET runtime collector on, whatever <c>Metrics:Collectors:Runtime</c> says.</summary>
    public static IMetricsBuilder AddRuntimeCollector(this IMetricsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<MetricsOptions>(o => o.Collectors.Runtime = true);
        return builder;
    }

    /// <summary>
    /// Exposes the <c>System.Diagnostics.Metrics</c> meter <paramref name="name"/> (<c>*</c> is a wildcard, as in
    /// <c>Microsoft.AspNetCore.*</c>), in addition to those listed in <c>Metrics:Collectors:Meters</c>.
    /// </summary>
    public static IMetricsBuilder AddMeter(this IMetricsBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.Configure<MetricsOptions>(o =>
        {
            if (!o.Collectors.Meters.Contains(name))
            {
                o.Collectors.Meters.Add(name);
            }
        });
        return builder;
    }
}
