namespace Instrumentation;

/// <summary>One summary quantile in the gathered data model.</summary>
/// <param name="Quantile">The quantile rank, between 0 and 1.</param>
/// <param name="Value">The estimated value at that rank.</param>
public readonly record struct QuantileValue(double Quantile, double Value);
