namespace Instrumentation;

/// <summary>One populated bucket of a native histogram in the gathered data model.</summary>
/// <param name="Index">
/// The bucket's index at the point's schema: positive bucket <c>i</c> holds values in <c>(base^(i−1), base^i]</c> with
/// <c>base = 2^(2^−schema)</c>; negative bucket <c>i</c> holds the values whose negation would go there.
/// </param>
/// <param name="Count">Observations in this bucket alone (not cumulative).</param>
public readonly record struct NativeBucket(int Index, ulong Count);
