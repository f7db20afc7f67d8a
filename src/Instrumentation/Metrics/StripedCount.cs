using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// A whole-number count that scales with the threads adding to it: one compare-and-swap on a single word until the
/// first collision, then per-core cells (<see cref="CounterCells"/>). Held by value inside the metric that owns it,
/// so an uncontended count costs no extra object.
/// </summary>
/// <remarks>
/// Counts only grow: the total is the word plus the cells, and a reader summing them while others add sees a value
/// between the totals before and after its read. Used for counters' whole increments and for the two sides of an
/// in-flight gauge.
/// </remarks>
internal struct StripedCount
{
    private long _single;
    private CounterCells.Cell[]? _cells;

    /// <summary>Adds <paramref name="delta"/> (zero or positive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long delta)
    {
        var cells = Volatile.Read(ref _cells);
        if (cells is not null)
        {
            CounterCells.Add(cells, delta);
            return;
        }
        var current = Volatile.Read(ref _single);
        if (Interlocked.CompareExchange(ref _single, current + delta, current) != current)
        {
            AddContended(delta);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddContended(long delta)
    {
        var cells = Volatile.Read(ref _cells);
        if (cells is null)
        {
            var created = CounterCells.Create();
            cells = Interlocked.CompareExchange(ref _cells, created, null) ?? created;
        }
        CounterCells.Add(cells, delta);
    }

    /// <summary>The total so far.</summary>
    public readonly long Read()
    {
        var cells = Volatile.Read(ref Unsafe.AsRef(in _cells));
        return Volatile.Read(ref Unsafe.AsRef(in _single)) + (cells is null ? 0 : CounterCells.Sum(cells));
    }
}
