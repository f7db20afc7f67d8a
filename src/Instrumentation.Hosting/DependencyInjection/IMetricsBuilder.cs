using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.Hosting;

/// <summary>
/// Returned by <see cref="MetricsServiceCollectionExtensions.AddMetricsRegistry"/>: further features
/// (<c>AddCollector</c>, <c>AddProcessCollector</c>, <c>AddRuntimeCollector</c>, <c>AddMeter</c>) are extension
/// methods on it (<see cref="MetricsBuilderExtensions"/>).
/// </summary>
public interface IMetricsBuilder
{
    /// <summary>The service collection the metrics services are registered in.</summary>
    IServiceCollection Services { get; }
}

internal sealed class MetricsBuilder(IServiceCollection services) : IMetricsBuilder
{
    public IServiceCollection Services { get; } = services;
}
