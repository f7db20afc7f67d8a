using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Instrumentation;

/// <summary>
/// Hashes a span of label values for a labelled family's child lookup: four UTF-16 characters per multiply, so
/// hashing three short values costs a few nanoseconds (string hash codes, randomised Marvin, cost several times that).
/// </summary>
/// <remarks>
/// The seed is random per process, so which values collide cannot be known in advance; a family's size is bounded by
/// its label cardinality (and <see cref="MetricOptions.MaxSeries"/>), and collisions only lengthen a bucket's chain.
/// </remarks>
internal static class LabelValuesHash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>The hash of <paramref name="values"/>, order-sensitive; a null value hashes like an empty one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Of(ReadOnlySpan<string> values)
    {
        var hash = Seed;
        foreach (var value in values)
        {
            hash = Mix(hash + OfString(value));
        }
        return (int)hash ^ (int)(hash >> 32);
    }

    private static ulong OfString(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value.AsSpan()));
        var bytes = (nuint)value.Length * sizeof(char);
        var hash = (ulong)bytes * Multiplier;
        nuint offset = 0;
        for (; offset + sizeof(ulong) <= bytes; offset += sizeof(ulong))
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
        }
        if (offset < bytes)
        {
            // One to three characters left: pack them into one word.
            ulong tail = 0;
            for (; offset < bytes; offset += sizeof(char))
            {
                tail = (tail << 16) | Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, offset));
            }
            hash = Mix(hash ^ tail);
        }
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong value)
    {
        value *= Multiplier;
        return value ^ (value >> 29);
    }
}
