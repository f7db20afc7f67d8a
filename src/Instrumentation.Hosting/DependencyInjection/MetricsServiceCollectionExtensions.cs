using Instrumentation;
using Instrumentation.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the metrics registry and its companions in a service collection.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, the <see cref="Registry"/> (also as <see cref="IRegisterer"/> and
    /// <see cref="IGatherer"/>), the <see cref="IMetricFactory"/> and the typed metrics <see cref="ICounter{TDefinition}"/>,
    /// <see cref="IGauge{TDefinition}"/>, <see cref="IHistogram{TDefinition}"/>, <see cref="ISummary{TDefinition}"/>; binds <see cref="MetricsOptions"/>
    /// to the <c>Metrics</c> configuration section (when the container has an <c>IConfiguration</c>; a bare
    /// <see cref="ServiceCollection"/> takes its options from <paramref name="configure"/> only) and validates them
    /// when the host starts (or, without a host, when the options are first read). Collectors
    /// registered in the container as <see cref="ICollector"/> are registered with the registry at start-up.
    /// Calling it again is harmless (it only adds <paramref name="configure"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>A builder for adding collectors and meters.</returns>
    public static IMetricsBuilder AddMetricsRegistry(this IServiceCollection services, Action<MetricsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        if (!services.Any(d => d.ServiceType == typeof(MetricsMarkerService)))
        {
            services.AddSingleton<MetricsMarkerService>();
            // Bound once only: binding twice would append the configured meter list twice.
            // Bound from IConfiguration when the container has one; a bare ServiceCollection takes options from code.
            services.AddSingleton<IConfigureOptions<MetricsOptions>, MetricsOptionsSetup>();
            services.AddOptions<MetricsOptions>().ValidateOnStart();
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<MetricsOptions>>().Value;
            return new Registry(new RegistryOptions
            {
                NameValidation = options.NameValidation,
                ConstLabels = new Dictionary<string, string>(options.ConstLabels, StringComparer.Ordinal),
                Exemplars = options.Exemplars == ExemplarMode.Off ? ExemplarProvider.None : null,
            });
        });
        services.TryAddSingleton<IRegisterer>(static sp => sp.GetRequiredService<Registry>());
        services.TryAddSingleton<IGatherer>(static sp => sp.GetRequiredService<Registry>());
        services.TryAddSingleton<IMetricFactory>(static sp =>
            new MetricFactory(sp.GetRequiredService<IRegisterer>(), sp.GetRequiredService<IOptions<MetricsOptions>>().Value.Namespace));

        services.TryAddSingleton(typeof(ICounter<>), typeof(TypedCounter<>));
        services.TryAddSingleton(typeof(IGauge<>), typeof(TypedGauge<>));
        services.TryAddSingleton(typeof(IHistogram<>), typeof(TypedHistogram<>));
        services.TryAddSingleton(typeof(ISummary<>), typeof(TypedSummary<>));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CollectorRegistrationService>());
        return new MetricsBuilder(services);
    }
}
