namespace Instrumentation;

/// <summary>One cumulative histogram bucket in the gathered data model.</summary>
/// <param name="UpperBound">The inclusive upper bound (<c>le</c>); <see cref="double.PositiveInfinity"/> for the last.</param>
/// <param name="CumulativeCount">Observations less than or equal to <paramref name="UpperBound"/>.</param>
/// <param name="Exemplar">The most recent exemplar that fell into this bucket, if any.</param>
public readonly record struct Bucket(double UpperBound, ulong CumulativeCount, Exemplar? Exemplar = null);

/// <summary>One summary quantile in the gathered data model.</summary>
/// <param name="Quantile">The quantile rank, between 0 and 1.</param>
/// <param name="Value">The estimated value at that rank.</param>
public readonly record struct QuantileValue(double Quantile, double Value);

/// <summary>One state of a stateset in the gathered data model.</summary>
/// <param name="Name">The state's name (written as the value of the label named after the family).</param>
/// <param name="Enabled">Whether the state is set.</param>
public readonly record struct StateValue(string Name, bool Enabled);
