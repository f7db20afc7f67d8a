using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Instrumentation;

/// <summary>
/// Asks the processor to start loading an object's memory before the code that reads it gets there.
/// </summary>
/// <remarks>
/// A gather reads a labelled family's children in scrape order (their label values' order), not in the order they
/// were allocated, so above a few ten thousand series almost every child is a cache miss, and the per-series work
/// between two children is too long for the processor to reach the next miss on its own: the misses came one after
/// another. Prefetching a child a few series ahead overlaps them (gather of 100k series, ns per series: 61–64 → 20–25;
/// docs/performance.md). The address is read from the reference without pinning: if a garbage collection moves the
/// object in between, the hint names memory that is no longer the object's, which costs one useless load and nothing
/// else — a prefetch never faults and changes no state. A no-op where the instruction is not available (Arm).
/// </remarks>
internal static class CachePrefetch
{
    /// <summary>How many series ahead of the one being read the gather prefetches.</summary>
    public const int Distance = 8;

    /// <summary>Prefetches the cache lines around <paramref name="target"/>'s start (the line before it holds what was
    /// allocated with it just before, such as its label set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Object(object target)
    {
        if (Sse.IsSupported)
        {
            var address = *(byte**)Unsafe.AsPointer(ref target);
            Sse.Prefetch0(address - 64);
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
        }
    }
}
