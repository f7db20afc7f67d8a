using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// The native (sparse, exponential) buckets of one histogram series: a zero bucket and one counter per populated
/// positive or negative bucket index.
/// </summary>
/// <remarks>
/// <para>An observation into a bucket that already exists is a lock-free dictionary lookup and one interlocked
/// increment. The first observation into a bucket allocates its counter and takes a lock to publish it (once per bucket
/// and series).</para>
/// <para>Every counter ever created also sits in an append-only list per sign, which is what a scrape reads: it reads
/// each counter once and derives the total from exactly those numbers, so the scraped count always equals the zero
/// bucket plus the buckets, and no enumerator or lock is needed.</para>
/// <para>Halving the resolution (when <see cref="NativeHistogramSettings.MaxBuckets"/> is exceeded) happens under the
/// same lock: a new generation with schema − 1 replaces the current one, and observers move to it on their next
/// observation. The old generation is not folded in and emptied — an observer that read it just before the switch may
/// still increment one of its counters — but kept, linked from the new one, and a scrape adds each old counter into
/// the bucket its index maps to at the current schema. Nothing is lost and observers never wait. There are at most 12
/// such steps (schema 8 to −4), so the chain stays short; a scrape of a series that has been halved builds its buckets
/// in a temporary dictionary (it allocates), which the common, never-halved series does not.</para>
/// </remarks>
internal sealed class NativeBuckets
{
    private readonly double _zeroThreshold;
    private readonly int _maxBuckets;
    private readonly Lock _growth = new();
    private Generation _current;
    private long _nanCount;

    public NativeBuckets(NativeHistogramSettings settings)
    {
        _zeroThreshold = settings.ZeroThreshold;
        _maxBuckets = settings.MaxBuckets;
        _current = new Generation(settings.Schema, null);
        NativeBucketIndex.Prepare(settings.Schema);
    }

    /// <summary>The current schema (lowered by one each time the resolution is halved).</summary>
    public int Schema => Volatile.Read(ref _current).Schema;

    /// <summary>
    /// Counts <paramref name="value"/> in its bucket. NaN has no bucket; it is counted apart and included in the
    /// scraped count (as in the reference client, whose count includes NaN observations while no bucket does).
    /// </summary>
    /// <remarks>Not forced inline: the classic-only <see cref="Histogram.Observe"/> stays as small as before.</remarks>
    public void Observe(double value)
    {
        var generation = Volatile.Read(ref _current);
        if (value > _zeroThreshold)
        {
            Increment(generation.Positive, generation.Schema, value, positive: true);
        }
        else if (value < -_zeroThreshold)
        {
            Increment(generation.Negative, generation.Schema, -value, positive: false);
        }
        else if (double.IsNaN(value))
        {
            Interlocked.Increment(ref _nanCount);
        }
        else
        {
            Interlocked.Increment(ref generation.ZeroCount);
        }
    }

    private void Increment(Side side, int schema, double magnitude, bool positive)
    {
        var index = NativeBucketIndex.IndexOf(magnitude, schema);
        if (!side.Lookup.TryGetValue(index, out var cell))
        {
            cell = AddCell(magnitude, positive);
        }
        Interlocked.Increment(ref cell.Count);
    }

    /// <summary>
    /// The counter for a bucket not found: found or created in the <em>current</em> generation, under the lock. An
    /// observer that read a generation just before it was retired would otherwise add a bucket to it that the limit
    /// never counted; the index is recomputed at the current schema instead, so retired generations never grow.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Cell AddCell(double magnitude, bool positive)
    {
        lock (_growth)
        {
            var current = _current;
            var side = positive ? current.Positive : current.Negative;
            var index = NativeBucketIndex.IndexOf(magnitude, current.Schema);
            if (side.Lookup.TryGetValue(index, out var existing))
            {
                return existing;
            }
            var cell = Append(side, index);
            while (_maxBuckets > 0 && _current.Populated > _maxBuckets && _current.Schema > NativeBucketIndex.MinSchema)
            {
                Halve();
            }
            // The cell is returned even if its generation was just retired by that halving: its increment is still
            // scraped, folded into the new schema.
            return cell;
        }
    }

    /// <summary>Adds a counter for <paramref name="index"/> to <paramref name="side"/>; called under the lock.</summary>
    private static Cell Append(Side side, int index)
    {
        var cell = new Cell(index);
        var count = side.Count;
        var cells = side.Cells;
        if (count == cells.Length)
        {
            var grown = new Cell[count * 2];
            Array.Copy(cells, grown, count);
            grown[count] = cell;
            Volatile.Write(ref side.Cells, grown);
        }
        else
        {
            cells[count] = cell;
        }
        // Listed before it can be found: every increment goes to a counter a scrape will read.
        Volatile.Write(ref side.Count, count + 1);
        side.Lookup[index] = cell;
        return cell;
    }

    /// <summary>Replaces the current generation by one with half the resolution; called under the lock.</summary>
    private void Halve()
    {
        var old = _current;
        var next = new Generation(old.Schema - 1, old);
        NativeBucketIndex.Prepare(next.Schema);
        // Pre-create the coarser buckets the existing observations map to, so that the new generation's bucket count
        // is the number of buckets a scrape will show.
        for (var generation = old; generation is not null; generation = generation.Previous)
        {
            var steps = generation.Schema - next.Schema;
            Carry(generation.Positive, next.Positive, steps);
            Carry(generation.Negative, next.Negative, steps);
        }
        Volatile.Write(ref _current, next);
    }

    private static void Carry(Side from, Side to, int steps)
    {
        for (var i = 0; i < from.Count; i++)
        {
            var index = NativeBucketIndex.Coarsen(from.Cells[i].Index, steps);
            if (!to.Lookup.ContainsKey(index))
            {
                Append(to, index);
            }
        }
    }

    /// <summary>
    /// Fills the native members of <paramref name="point"/> from one read of every counter and returns the total they
    /// add up to (zero bucket included).
    /// </summary>
    public ulong Write(MetricPoint point)
    {
        var generation = Volatile.Read(ref _current);
        point.NativeSchema = generation.Schema;
        point.NativeZeroThreshold = _zeroThreshold;
        // NaN observations have no bucket but are part of the count (the sum is then NaN, which is how Prometheus
        // accepts a count above the buckets' total).
        var nan = (ulong)Volatile.Read(ref _nanCount);
        if (generation.Previous is null)
        {
            var zero = (ulong)Volatile.Read(ref generation.ZeroCount);
            point.NativeZeroCount = zero;
            return nan + zero + Read(generation.Positive, point, positive: true) + Read(generation.Negative, point, positive: false);
        }
        return nan + WriteHalved(generation, point);
    }

    private static ulong Read(Side side, MetricPoint point, bool positive)
    {
        var count = Volatile.Read(ref side.Count);
        var cells = Volatile.Read(ref side.Cells);
        var buckets = positive ? point.RentPositiveBuckets(count) : point.RentNegativeBuckets(count);
        ulong total = 0;
        for (var i = 0; i < count; i++)
        {
            var cell = cells[i];
            var observed = (ulong)Volatile.Read(ref cell.Count);
            buckets[i] = new NativeBucket(cell.Index, observed);
            total += observed;
        }
        buckets.AsSpan().Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return total;
    }

    private static ulong WriteHalved(Generation current, MetricPoint point)
    {
        ulong zero = 0;
        var positive = new Dictionary<int, ulong>();
        var negative = new Dictionary<int, ulong>();
        for (var generation = current; generation is not null; generation = generation.Previous)
        {
            var steps = generation.Schema - current.Schema;
            zero += (ulong)Volatile.Read(ref generation.ZeroCount);
            Gather(generation.Positive, positive, steps);
            Gather(generation.Negative, negative, steps);
        }
        point.NativeZeroCount = zero;
        return zero + Fill(positive, point.RentPositiveBuckets(positive.Count)) + Fill(negative, point.RentNegativeBuckets(negative.Count));
    }

    private static void Gather(Side side, Dictionary<int, ulong> into, int steps)
    {
        var count = Volatile.Read(ref side.Count);
        var cells = Volatile.Read(ref side.Cells);
        for (var i = 0; i < count; i++)
        {
            var index = NativeBucketIndex.Coarsen(cells[i].Index, steps);
            into[index] = into.GetValueOrDefault(index) + (ulong)Volatile.Read(ref cells[i].Count);
        }
    }

    private static ulong Fill(Dictionary<int, ulong> counts, NativeBucket[] buckets)
    {
        ulong total = 0;
        var i = 0;
        foreach (var (index, count) in counts)
        {
            buckets[i++] = new NativeBucket(index, count);
            total += count;
        }
        buckets.AsSpan().Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return total;
    }

    /// <summary>One bucket's counter.</summary>
    private sealed class Cell(int index)
    {
        public readonly int Index = index;
        public long Count;
    }

    /// <summary>The buckets of one sign: a lookup for observers and an append-only list for scrapes.</summary>
    private sealed class Side
    {
        public readonly ConcurrentDictionary<int, Cell> Lookup = new();
        public Cell[] Cells = new Cell[4];
        public int Count;
    }

    /// <summary>The buckets at one schema; <see cref="Previous"/> is the generation it replaced, if any.</summary>
    private sealed class Generation(int schema, Generation? previous)
    {
        public readonly int Schema = schema;
        public readonly Generation? Previous = previous;
        public readonly Side Positive = new();
        public readonly Side Negative = new();
        public long ZeroCount;

        public int Populated => Positive.Count + Negative.Count;
    }
}
