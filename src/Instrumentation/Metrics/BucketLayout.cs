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
/// linear scan mispredicts its exit about once per observation).
/// <para>
/// Larger layouts first narrow the bounds to a window by the value's sign and binary exponent (the top 12 bits of
/// the double): a table built once per layout gives, for each of the 4096 possible keys, the few bounds that values
/// with that key can fall between — about 9 per power of two for 128 exponential buckets over 1 ms..20 s. The window is
/// then counted like a small layout, or, if it is still wide (linear buckets crowd into one power of two), searched
/// by a binary search whose steps compile to conditional moves.
/// </para>
/// </remarks>
internal sealed class BucketLayout
{
    // With 4 doubles per compare, 32 bounds are 8 compares: still cheaper than the 5 dependent steps of a search.
    private const int VectorCountLimit = 32;
    private const int VectorWidth = 4;
    private const int KeyCount = 1 << 12;

    // The bounds followed by +Inf up to a multiple of the vector width and one more vector: +Inf is never below a
    // value, so the padding never counts, a +Inf observation lands after the last real bound (in the +Inf bucket), and
    // a count over a window may read up to a vector past the window's end.
    private readonly double[] _padded;
    private readonly int _vectors;

    // For layouts above VectorCountLimit: per sign+exponent key, the window's first bound index (high 16 bits) and
    // width (low 16 bits). Null when there are too many bounds to pack; then the whole layout is binary searched.
    private readonly int[]? _windows;

    public BucketLayout(double[] upperBounds)
    {
        UpperBounds = upperBounds;
        _vectors = Math.Max(1, (upperBounds.Length + VectorWidth - 1) / VectorWidth);
        _padded = new double[(_vectors + 1) * VectorWidth];
        upperBounds.CopyTo(_padded, 0);
        _padded.AsSpan(upperBounds.Length).Fill(double.PositiveInfinity);
        if (upperBounds.Length > VectorCountLimit && upperBounds.Length < ushort.MaxValue)
        {
            _windows = BuildWindows(upperBounds);
        }
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
        if (UpperBounds.Length <= VectorCountLimit)
        {
            return CountBelow(ref MemoryMarshal.GetArrayDataReference(_padded), _vectors, value);
        }
        return IndexOfLarge(value);
    }

    private int IndexOfLarge(double value)
    {
        if (_windows is not { } windows)
        {
            return LowerBound(ref MemoryMarshal.GetArrayDataReference(UpperBounds), UpperBounds.Length, value);
        }
        var key = (int)((ulong)BitConverter.DoubleToInt64Bits(value) >> 52);
        var window = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(windows), key);
        var first = window >>> 16;
        var width = window & 0xFFFF;
        ref var start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_padded), first);
        return first + (width <= VectorCountLimit
            ? CountBelow(ref start, (width + VectorWidth - 1) / VectorWidth, value)
            : LowerBound(ref start, width, value));
    }

    /// <summary>For every sign+exponent key, the bounds a value with that key can lie between.</summary>
    private static int[] BuildWindows(double[] bounds)
    {
        var windows = new int[KeyCount];
        for (var key = 0; key < KeyCount; key++)
        {
            // The smallest and largest magnitude with this key; for negative keys the order of values is reversed.
            var near = BitConverter.Int64BitsToDouble((long)key << 52);
            var far = BitConverter.Int64BitsToDouble(((long)key << 52) | 0x000F_FFFF_FFFF_FFFF);
            if (double.IsNaN(far))
            {
                far = near; // exponent all ones: only ±Inf is a number there
            }
            var (low, high) = near <= far ? (near, far) : (far, near);
            var first = LowerBound(ref MemoryMarshal.GetArrayDataReference(bounds), bounds.Length, low);
            var last = LowerBound(ref MemoryMarshal.GetArrayDataReference(bounds), bounds.Length, high);
            // Every bound before `first` is below every value with this key and every bound from `last` on is at or
            // above it, so only bounds[first..last) need comparing.
            windows[key] = (first << 16) | (last - first);
        }
        return windows;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountBelow(ref double start, int vectors, double value)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            var below = Vector256<long>.Zero;
            for (nuint i = 0; i < (nuint)vectors * 4; i += 4)
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
            for (nuint i = 0; i < (nuint)vectors * 4; i += 2)
            {
                below -= Vector128.LessThan(Vector128.LoadUnsafe(ref start, i), v).AsInt64();
            }
            return (int)Vector128.Sum(below);
        }
        var count = 0;
        for (var i = 0; i < vectors * 4; i++)
        {
            count += Unsafe.Add(ref start, i) < value ? 1 : 0;
        }
        return count;
    }

    /// <summary>The first of <paramref name="length"/> bounds that is not below <paramref name="value"/> (the bucket's <c>le</c> is inclusive).</summary>
    private static int LowerBound(ref double start, int length, double value)
    {
        if (length == 0)
        {
            return 0;
        }
        nint first = 0;
        nint remaining = length;
        while (remaining > 1)
        {
            var half = remaining >> 1;
            // Both outcomes are computed and one is selected: a conditional move, not a branch.
            first = Unsafe.Add(ref start, first + half) < value ? first + half : first;
            remaining -= half;
        }
        return (int)first + (Unsafe.Add(ref start, first) < value ? 1 : 0);
    }
}
