using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Instrumentation;

/// <summary>
/// The per-core copies of a histogram's bucket counts and sum that it switches to once two threads have collided on
/// its sum: each core then updates its own cache lines instead of passing the histogram's back and forth. A scrape
/// adds each bucket over the histogram and its shards, and still derives the count from those same bucket numbers.
/// </summary>
/// <remarks>
/// A shard is one <c>long[]</c>: a line of padding, the non-cumulative bucket counts, the sum (a double's bits), a line
/// of padding — so no two shards, and nothing else, share a line with a shard's counters. Shards are chosen by
/// <see cref="Thread.GetCurrentProcessorId"/> and updated with interlocked operations, as <see cref="CounterCells"/>
/// are: a thread that migrates mid-update costs speed, never an observation.
/// </remarks>
internal static class HistogramShards
{
    private const int Padding = 8; // longs: 64 bytes
    private static readonly int ShardCount = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 2, 64));

    public static long[][] Create(int bucketCount)
    {
        var shards = new long[ShardCount][];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new long[Padding + bucketCount + 1 + Padding];
        }
        return shards;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Observe(long[][] shards, int bucket, double value)
    {
        var shard = Mine(shards);
        Interlocked.Increment(ref shard[Padding + bucket]);
        AtomicDouble.Add(ref shard[^(Padding + 1)], value);
    }

    public static void AddSum(long[][] shards, double value) => AtomicDouble.Add(ref Mine(shards)[^(Padding + 1)], value);

    /// <summary>The count of <paramref name="bucket"/> over all shards.</summary>
    public static long Count(long[][] shards, int bucket)
    {
        long total = 0;
        foreach (var shard in shards)
        {
            total += Volatile.Read(ref shard[Padding + bucket]);
        }
        return total;
    }

    /// <summary>The sum over all shards.</summary>
    public static double Sum(long[][] shards)
    {
        var total = 0.0;
        foreach (var shard in shards)
        {
            total += AtomicDouble.Read(ref shard[^(Padding + 1)]);
        }
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long[] Mine(long[][] shards) =>
        // The length is a power of two, so the masked index is always in range: skip the bounds check.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(shards), Thread.GetCurrentProcessorId() & (shards.Length - 1));
}
