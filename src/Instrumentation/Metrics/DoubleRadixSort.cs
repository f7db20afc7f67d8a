using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// Sorts a summary's batch of observations (no NaN) ascending with a least-significant-digit radix sort on the doubles'
/// bit patterns, a byte per pass.
/// </summary>
/// <remarks>
/// A comparison sort of a few hundred random latencies mispredicts about every other branch and cost a summary a
/// third of its observation time; the radix sort has no data-dependent branch. Each double becomes an unsigned key
/// whose order is the numeric order (the sign bit flipped for positives, every bit flipped for negatives), and passes
/// whose byte is the same in every key — the high bytes of values of one magnitude — are skipped. Scratch space is
/// per thread, so summaries need no extra memory per series.
/// </remarks>
internal static class DoubleRadixSort
{
    private const int Passes = sizeof(ulong);

    [ThreadStatic]
    private static ulong[]? t_keys;

    [ThreadStatic]
    private static ulong[]? t_swap;

    /// <summary>Sorts <paramref name="values"/> ascending; it must not contain NaN.</summary>
    public static void Sort(Span<double> values)
    {
        if (values.Length < 2)
        {
            return;
        }
        var keys = Rent(ref t_keys, values.Length);
        var swap = Rent(ref t_swap, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            keys[i] = ToKey(values[i]);
        }

        Span<int> counts = stackalloc int[Passes * 256];
        counts.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            var key = keys[i];
            for (var pass = 0; pass < Passes; pass++)
            {
                counts[(pass << 8) | (int)((key >> (pass * 8)) & 0xFF)]++;
            }
        }

        var from = keys.AsSpan(0, values.Length);
        var to = swap.AsSpan(0, values.Length);
        for (var pass = 0; pass < Passes; pass++)
        {
            var passCounts = counts.Slice(pass << 8, 256);
            if (passCounts[(int)((from[0] >> (pass * 8)) & 0xFF)] == values.Length)
            {
                continue; // every key has the same byte here: the pass would not move anything
            }
            var offset = 0;
            for (var digit = 0; digit < 256; digit++)
            {
                var count = passCounts[digit];
                passCounts[digit] = offset;
                offset += count;
            }
            foreach (var key in from)
            {
                to[passCounts[(int)((key >> (pass * 8)) & 0xFF)]++] = key;
            }
            var done = to;
            to = from;
            from = done;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = FromKey(from[i]);
        }
    }

    private static ulong[] Rent(ref ulong[]? cached, int length)
    {
        if (cached is null || cached.Length < length)
        {
            cached = new ulong[Math.Max(length, 512)];
        }
        return cached;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToKey(double value)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(value);
        // Negative: flip everything (larger magnitude, smaller key); positive: set the sign bit (above all negatives).
        return (bits & 0x8000_0000_0000_0000) != 0 ? ~bits : bits | 0x8000_0000_0000_0000;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FromKey(ulong key)
    {
        var bits = (key & 0x8000_0000_0000_0000) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFF : ~key;
        return BitConverter.Int64BitsToDouble((long)bits);
    }
}
