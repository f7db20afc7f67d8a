namespace Instrumentation;

/// <summary>Declares a summary to be injected as <see cref="ISummary{TDefinition}"/>.</summary>
public interface ISummaryDefinition : IMetricDefinition
{
    /// <summary>
    /// Quantile ranks mapped to their allowed absolute error (<c>{ [0.5] = 0.05, [0.99] = 0.001 }</c>); null (the
    /// default) means the summary keeps only its count and sum.
    /// </summary>
    static virtual IReadOnlyDictionary<double, double>? Objectives => null;
}
