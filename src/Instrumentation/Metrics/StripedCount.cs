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
/// <para>
/// The count never wraps: <see cref="TryAdd"/> refuses (returns false, adds nothing) a delta that would take the word
/// past <see cref="long.MaxValue"/> or a cell past <see cref="CounterCells.CellLimit"/>, and the owner keeps that
/// part elsewhere (a counter in its double). The total is summed in 128 bits, so the word and the cells together
/// may exceed a long.
/// </para>
/// </remarks>
internal struct StripedCount
{
    /// <summary>The largest delta <see cref="TryAdd"/> takes (2^53, the doubles' exact-integer range).</summary>
    public const long MaxDelta = 1L << 53;

    private long _single;
    private CounterCells.Cell[]? _cells;

    /// <summary>
    /// Adds <paramref name="delta"/> (0 to <see cref="MaxDelta"/>) unless that would overflow; returns whether it was
    /// added.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(long delta)
    {
        var cells = Volatile.Read(ref _cells);
        if (cells is not null)
        {
            return CounterCells.TryAdd(cells, delta);
        }
        var current = Volatile.Read(ref _single);
        var next = current + delta;
        if (next < current)
        {
            return false; // past long.MaxValue: the compare-and-swap would store a wrapped, negative count
        }
        if (Interlocked.CompareExchange(ref _single, next, current) != current)
        {
            return AddContended(delta);
        }
        return true;
    }

    /// <summary>Adds <paramref name="delta"/> (0 to <see cref="MaxDelta"/>); past 2^62 per cell it is dropped rather than wrapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long delta) => TryAdd(delta);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool AddContended(long delta)
    {
        var cells = Volatile.Read(ref _cells);
        if (cells is null)
        {
            var created = CounterCells.Create();
            cells = Interlocked.CompareExchange(ref _cells, created, null) ?? created;
        }
        return CounterCells.TryAdd(cells, delta);
    }

    /// <summary>Switches to the per-core cells now, as the first collision would (for tests).</summary>
    internal void SwitchToCells() => Interlocked.CompareExchange(ref _cells, CounterCells.Create(), null);

    /// <summary>The total so far, exactly.</summary>
    public readonly Int128 Total()
    {
        var cells = Volatile.Read(ref Unsafe.AsRef(in _cells));
        return Volatile.Read(ref Unsafe.AsRef(in _single)) + (cells is null ? Int128.Zero : CounterCells.Sum(cells));
    }

    /// <summary>The total so far, for counts that stay within a long (an in-flight gauge's).</summary>
    public readonly long Read() => (long)Total();
}
