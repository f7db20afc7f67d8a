namespace Instrumentation;

/// <summary>
/// A streaming summary that answers chosen quantile queries within chosen rank errors, after Cormode, Korn,
/// Muthukrishnan and Srivastava, "Effective computation of biased quantiles over data streams" (ICDE 2005), targeted
/// quantiles variant. Not thread-safe: <see cref="Summary"/> uses it under its lock.
/// </summary>
/// <remarks>
/// <para>
/// The stream keeps a sorted list of entries (value v, width g, uncertainty Δ). The sum of the widths before an entry
/// is r; r + g is the least rank its value can have (rmin), rmin + Δ the greatest (rmax). For targets (φⱼ, εⱼ) — "the
/// φⱼ-quantile within εⱼ·n ranks" — the allowed uncertainty at rank r among n observations is f(r, n) = minⱼ fⱼ(r, n),
/// where fⱼ grows linearly away from φⱼ·n: 2εⱼ·r/φⱼ above it and 2εⱼ·(n − r)/(1 − φⱼ) below it, 2εⱼ·n at φⱼ·n itself.
/// Neighbouring entries are merged while the merged entry keeps g + Δ ≤ f, so the stream keeps many entries near the
/// targeted ranks and few elsewhere.
/// </para>
/// <para>
/// Three choices differ from the paper's pseudo-code, all on the side of accuracy. The paper checks f only at the rank
/// where an entry starts; with a large εⱼ/(1 − φⱼ) that lets one entry grow across a targeted rank far wider than 2εⱼ·n
/// (a query for q0.92 ± 0.043 then answered the minimum in our randomised tests). Here an entry must satisfy f at every
/// rank it covers, r to rmax — the least of f over that span — which is exactly what the query's error argument needs.
/// A value inserted between two entries takes the uncertainty its successor already proves (Δ = g + Δ of the
/// successor, minus 1, as in Greenwald–Khanna) instead of f(r, n) − 1: always a valid bound, never a larger one. And
/// the first entry is never merged away, so it is always the exact minimum, which makes "inserted before the first
/// entry" mean "new minimum, rank known exactly". Observations arrive in sorted batches (<see cref="InsertSorted"/>),
/// merged into the entries in one pass and compressed once per batch.
/// </para>
/// <para>
/// A query for φ returns the value of the entry before the first one whose rmax exceeds r + f(r, n)/2, r = ⌈φ·n⌉. Every
/// entry covering r has g + Δ ≤ f(r, n), so the answer's true rank lies within r ± max(f(r, n)/2, 1), that is within
/// φ·n ± εⱼ·n (plus rounding) for a targeted φⱼ = φ. Ranks 0 and 1 are handled as limits: the minimum and maximum are
/// kept exactly.
/// </para>
/// </remarks>
internal sealed class QuantileStream
{
    private readonly Target[] _targets;
    private Entry[] _entries = new Entry[16];
    private Entry[] _scratch = new Entry[16];
    private int _length;
    private long _count;

    /// <summary>Creates an empty stream for the given targets (ranks in [0, 1], errors zero or positive).</summary>
    public QuantileStream(ReadOnlySpan<double> ranks, ReadOnlySpan<double> errors)
    {
        _targets = new Target[ranks.Length];
        for (var i = 0; i < ranks.Length; i++)
        {
            _targets[i] = new Target(ranks[i], errors[i]);
        }
    }

    /// <summary>Number of observations inserted since the last reset.</summary>
    public long Count => _count;

    /// <summary>Number of entries kept: the memory the stream uses, for tests.</summary>
    public int EntryCount => _length;

    /// <summary>Forgets every observation (keeps the arrays, so a reset stream allocates nothing when refilled).</summary>
    public void Reset()
    {
        _length = 0;
        _count = 0;
    }

    /// <summary>Inserts observations, which must be sorted ascending and contain no NaN.</summary>
    public void InsertSorted(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            return;
        }
        var needed = _length + sorted.Length;
        if (_scratch.Length < needed)
        {
            _scratch = new Entry[Math.Max(needed, _scratch.Length * 2)];
        }
        var old = _entries;
        var oldLength = _length;
        var merged = _scratch;
        int m = 0, o = 0;
        foreach (var value in sorted)
        {
            // Equal values keep arrival order: the stored ones first.
            while (o < oldLength && old[o].Value <= value)
            {
                merged[m++] = old[o++];
            }
            // Before the first stored entry (the exact minimum) or after the last (the exact maximum) the rank of the
            // new value is known exactly; in between it is as uncertain as its successor's.
            var delta = o == 0 || o == oldLength ? 0 : old[o].Width + old[o].Delta - 1;
            merged[m++] = new Entry(value, 1, delta);
        }
        while (o < oldLength)
        {
            merged[m++] = old[o++];
        }
        _count += sorted.Length;
        _length = Compress(merged, m, _count);
        _entries = merged;
        _scratch = old;
    }

    /// <summary>The value at rank <paramref name="rank"/> (0 to 1), or NaN when the stream is empty.</summary>
    public double Query(double rank)
    {
        if (_length == 0)
        {
            return double.NaN;
        }
        // The φ-quantile of n values is the one of rank ⌈φ·n⌉ (the median of 1, 2, 3 is 2).
        var target = Math.Ceiling(rank * _count);
        var threshold = target + AllowedUncertainty(target, target, _count) / 2;
        long rankMin = 0;
        for (var i = 0; i < _length; i++)
        {
            rankMin += _entries[i].Width;
            if (rankMin + _entries[i].Delta > threshold)
            {
                return _entries[i == 0 ? 0 : i - 1].Value;
            }
        }
        return _entries[_length - 1].Value;
    }

    /// <summary>
    /// Merges each entry into its successor while the merged entry satisfies the invariant, walking down from the top
    /// and compacting in place; the first entry is kept. Returns the new length (entries moved to the front).
    /// </summary>
    private int Compress(Entry[] entries, int length, long count)
    {
        if (length < 3)
        {
            return length;
        }
        var write = length - 1;
        long widthsFromHere = entries[length - 1].Width;
        for (var i = length - 2; i >= 1; i--)
        {
            var entry = entries[i];
            var rankBefore = count - widthsFromHere - entry.Width;
            ref var successor = ref entries[write];
            var uncertainty = entry.Width + successor.Width + successor.Delta;
            if (uncertainty <= AllowedUncertainty(rankBefore, rankBefore + uncertainty, count))
            {
                successor.Width += entry.Width;
            }
            else
            {
                entries[--write] = entry;
            }
            widthsFromHere += entry.Width;
        }
        entries[--write] = entries[0];
        var kept = length - write;
        Array.Copy(entries, write, entries, 0, kept);
        return kept;
    }

    /// <summary>
    /// The least f(r, n) over the ranks <paramref name="from"/> to <paramref name="to"/>: the uncertainty (g + Δ) an
    /// entry covering those ranks may have.
    /// </summary>
    private double AllowedUncertainty(double from, double to, double count)
    {
        var allowed = double.PositiveInfinity;
        foreach (var target in _targets)
        {
            // Each target allows 2εn at its own rank and more the further away the rank is, so over a span of ranks
            // the least allowed is at the target's rank when the span covers it, else at the end nearer to it.
            var targetRank = target.Rank * count;
            var least = from <= targetRank && targetRank <= to
                ? target.TwiceError * count
                : target.At(to < targetRank ? to : from, count);
            allowed = Math.Min(allowed, least);
        }
        return allowed;
    }

    private struct Entry(double value, long width, long delta)
    {
        public readonly double Value = value;
        public long Width = width;
        public readonly long Delta = delta;
    }

    /// <summary>One target: rank φ and allowed rank error ε, with the slopes of fⱼ precomputed (f is evaluated per entry).</summary>
    private readonly struct Target(double rank, double error)
    {
        public readonly double Rank = rank;
        public readonly double TwiceError = 2 * error;
        private readonly double _aboveSlope = rank > 0 ? 2 * error / rank : double.NaN;
        private readonly double _belowSlope = rank < 1 ? 2 * error / (1 - rank) : double.NaN;

        /// <summary>fⱼ(r, n): 2εr/φ above the target's rank, 2ε(n − r)/(1 − φ) below it.</summary>
        public double At(double rank, double count)
        {
            // The targets at ranks 0 and 1 constrain only the very first and the very last rank.
            var above = Rank > 0 ? _aboveSlope * rank : (rank > 0 ? double.PositiveInfinity : 0);
            var below = Rank < 1 ? _belowSlope * (count - rank) : (rank < count ? double.PositiveInfinity : 0);
            return Math.Max(above, below);
        }
    }
}
