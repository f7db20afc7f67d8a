namespace Instrumentation;

/// <summary>One cumulative histogram bucket in the gathered data model.</summary>
/// <param name="UpperBound">The inclusive upper bound (<c>le</c>); <see cref="double.PositiveInfinity"/> for the last.</param>
/// <param name="CumulativeCount">Observations less than or equal to <paramref name="UpperBound"/>.</param>
/// <param name="Exemplar">The most recent exemplar that fell into this bucket, if any.</param>
public readonly record struct Bucket(double UpperBound, ulong CumulativeCount, Exemplar? Exemplar = null);
