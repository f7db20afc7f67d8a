namespace Instrumentation;

/// <summary>Declares a histogram to be injected as <see cref="IHistogram{TDefinition}"/>.</summary>
public interface IHistogramDefinition : IMetricDefinition
{
    /// <summary>Bucket upper bounds, strictly increasing; null (the default) means <see cref="Instrumentation.Buckets.Default"/>.</summary>
    static virtual IReadOnlyList<double>? Buckets => null;
}
