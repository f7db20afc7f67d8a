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

    /// <summary>
    /// The hash of one value's characters and length. Every read is one word: strings of up to three characters are
    /// read with their terminating NUL (a .NET string always has one, so the word is fully defined), and the last
    /// partial word of a longer one is the final eight bytes, overlapping the word before instead of being assembled
    /// character by character.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong OfString(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        ref var start = ref Unsafe.As<char, byte>(ref MemoryMarshal.GetReference(value.AsSpan()));
        var length = value.Length;
        var hash = (ulong)length * Multiplier;
        switch (length)
        {
            case 0:
                return hash;
            case 1 or 2:
                // One character and the NUL, or two characters: one 32-bit read.
                return Mix(hash ^ Unsafe.ReadUnaligned<uint>(ref start));
            case 3:
                // Three characters and the NUL: one 64-bit read.
                return Mix(hash ^ Unsafe.ReadUnaligned<ulong>(ref start));
        }
        return OfLongString(ref start, (nuint)length * sizeof(char), hash);
    }

    private static ulong OfLongString(ref byte start, nuint bytes, ulong hash)
    {
        nuint offset = 0;
        for (; offset + sizeof(ulong) < bytes; offset += sizeof(ulong))
        {
            hash = Mix(hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
        }
        return Mix(hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, bytes - sizeof(ulong))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong value)
    {
        value *= Multiplier;
        return value ^ (value >> 29);
    }
}
