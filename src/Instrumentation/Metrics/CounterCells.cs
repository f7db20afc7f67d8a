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
/// A cell is chosen by <see cref="Thread.GetCurrentProcessorId"/>, which the runtime caches and refreshes cheaply.
/// Two threads can still land on one cell (a thread migrates, or more threads than cores), so cells are updated
/// with interlocked adds: sharing a cell costs speed, never counts. Each cell has a 128-byte line pair to itself,
/// which also keeps the adjacent-line prefetcher from pairing two cells.
/// </remarks>
internal sealed class CounterCells
{
    private static readonly int CellCount = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 2, 64));

    private readonly Cell[] _cells = new Cell[CellCount];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long delta)
    {
        var cells = _cells;
        Interlocked.Add(ref cells[Thread.GetCurrentProcessorId() & (cells.Length - 1)].Value, delta);
    }

    /// <summary>The total of all cells; each cell only grows, so successive sums never decrease.</summary>
    public long Sum()
    {
        long total = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            total += Volatile.Read(ref _cells[i].Value);
        }
        return total;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
