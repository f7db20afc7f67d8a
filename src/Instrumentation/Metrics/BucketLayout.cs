using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Instrumentation;

/// <summary>
/// A histogram's bucket bounds and the search that maps an observation to its bucket, shared by every child of a
/// labelled family.
/// </summary>
/// <remarks>
/// The bucket of a value is the first bound at or above it, which for strictly increasing bounds is the number of
/// bounds below it. Up to <see cref="VectorCountLimit"/> bounds that number is counted with vector compares over all
/// bounds: no branch depends on the value, so a stream of values spread over the buckets costs no mispredictions (a
/// linear scan mispredicts its exit about once per observation). Above that, a binary search whose steps compile
/// to conditional moves does the same in log2(n) steps.
/// </remarks>
internal sealed class BucketLayout
{
    // With 4 doubles per compare, 32 bounds are 8 compares: still cheaper than the 5 dependent steps of a search.
    private const int VectorCountLimit = 32;
    private const int PadMultiple = 4;

    // The bounds followed by +Inf up to a multiple of the vector width: +Inf is never below a value, so the padding
    // never counts and a +Inf observation lands after the last real bound, in the +Inf bucket.
    private readonly double[] _padded;

    public BucketLayout(double[] upperBounds)
    {
        UpperBounds = upperBounds;
        var length = Math.Max(PadMultiple, (upperBounds.Length + PadMultiple - 1) / PadMultiple * PadMultiple);
        _padded = new double[length];
        upperBounds.CopyTo(_padded, 0);
        _padded.AsSpan(upperBounds.Length).Fill(double.PositiveInfinity);
    }

    /// <summary>The bucket upper bounds without the implied <c>+Inf</c>: strictly increasing, no NaN.</summary>
    public double[] UpperBounds { get; }

    /// <summary>Number of buckets, the <c>+Inf</c> one included.</summary>
    public int BucketCount => UpperBounds.Length + 1;

    /// <summary>The index of the bucket <paramref name="value"/> falls into; NaN goes to the <c>+Inf</c> bucket.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IndexOf(double value)
    {
        if (double.IsNaN(value))
        {
            return UpperBounds.Length;
        }
        return _padded.Length <= VectorCountLimit ? CountBelow(_padded, value) : LowerBound(UpperBounds, value);
    }

    private static int CountBelow(double[] padded, double value)
    {
        ref var start = ref MemoryMarshal.GetArrayDataReference(padded);
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            var below = Vector256<long>.Zero;
            for (nuint i = 0; i < (nuint)padded.Length; i += 4)
            {
                // A true lane is all ones, i.e. -1.
                below -= Vector256.LessThan(Vector256.LoadUnsafe(ref start, i), v).AsInt64();
            }
            return (int)Vector256.Sum(below);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var v = Vector128.Create(value);
            var below = Vector128<long>.Zero;
            for (nuint i = 0; i < (nuint)padded.Length; i += 2)
            {
                below -= Vector128.LessThan(Vector128.LoadUnsafe(ref start, i), v).AsInt64();
            }
            return (int)Vector128.Sum(below);
        }
        var count = 0;
        foreach (var bound in padded)
        {
            count += bound < value ? 1 : 0;
        }
        return count;
    }

    /// <summary>The first index whose bound is not below <paramref name="value"/> (the bucket's <c>le</c> is inclusive).</summary>
    private static int LowerBound(double[] bounds, double value)
    {
        ref var start = ref MemoryMarshal.GetArrayDataReference(bounds);
        nint first = 0;
        nint length = bounds.Length;
        while (length > 1)
        {
            var half = length >> 1;
            // Both outcomes are computed and one is selected: a conditional move, not a branch.
            first = Unsafe.Add(ref start, first + half) < value ? first + half : first;
            length -= half;
        }
        return (int)first + (Unsafe.Add(ref start, first) < value ? 1 : 0);
    }
}
