using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Instrumentation;

/// <summary>
/// The per-core cells a counter spreads its whole increments over once two threads have collided on it: each core
/// adds to its own cache line, so concurrent increments stop passing one line between cores. The value is the sum
/// of the cells (read at scrape time).
/// </summary>
/// <remarks>
/// A cell is chosen by <see cref="Thread.GetCurrentProcessorId"/>, which the runtime caches and refreshes cheaply;
/// two threads running at the same moment are on different processors, so they never share a cell however many
/// threads there are. A thread can still migrate between reading its processor and adding, so cells are updated with
/// interlocked adds: sharing a cell costs speed, never counts. Each cell has a 128-byte line pair to itself, which
/// also keeps the adjacent-line prefetcher from pairing two cells. The counter holds the array itself (no wrapper
/// object) so an increment is one dependent load shorter.
/// </remarks>
internal static class CounterCells
{
    private static readonly int CellCount = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 2, 64));

    public static Cell[] Create() => new Cell[CellCount];

    /// <summary>
    /// The most a cell holds. A cell refuses a delta (at most <see cref="StripedCount.MaxDelta"/> = 2^53) that would take
    /// it past this, checked before the interlocked add; the 2^63 − 2^62 of headroom above it absorbs the adds of up
    /// to 512 threads that passed the check on the same cell at once, so a cell never wraps.
    /// </summary>
    public const long CellLimit = 1L << 62;

    /// <summary>Adds <paramref name="delta"/> to this core's cell unless the cell would pass <see cref="CellLimit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryAdd(Cell[] cells, long delta)
    {
        // The length is a power of two, so the masked index is always in range: skip the bounds check.
        var index = Thread.GetCurrentProcessorId() & (cells.Length - 1);
        ref var cell = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(cells), index).Value;
        if (Volatile.Read(ref cell) > CellLimit - delta)
        {
            return false;
        }
        Interlocked.Add(ref cell, delta);
        return true;
    }

    /// <summary>
    /// The total of all cells, in 128 bits (up to 64 cells of up to 2^63 each); each cell only grows, so successive
    /// sums never decrease.
    /// </summary>
    public static Int128 Sum(Cell[] cells)
    {
        Int128 total = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            total += Volatile.Read(ref cells[i].Value);
        }
        return total;
    }

    /// <summary>One cell: its value alone on its 64-byte line, with a whole line of padding on either side.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    internal struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
