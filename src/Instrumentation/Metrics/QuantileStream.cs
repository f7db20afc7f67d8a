namespace Instrumentation;

/// <summary>
/// A streaming summary that answers chosen quantile queries within chosen rank errors, after Cormode, Korn,
/// Muthukrishnan and Srivastava, "Effective computation of biased quantiles over data streams" (ICDE 2005), targeted
/// quantiles variant. Not thread-safe: <see cref="Summary"/> uses it under its lock.
/// </summary>
/// <remarks>
/// <para>
/// The stream keeps a sorted list of entries (value v, width g, uncertainty Δ). The sum of the widths up to and
/// including an entry is the least rank its value can have (rmin); rmin + Δ the greatest (rmax). For targets
/// (φⱼ, εⱼ) — "the φⱼ-quantile within εⱼ·n ranks" — the allowed uncertainty at rank r among n observations is
/// f(r, n) = minⱼ fⱼ(r, n), where fⱼ grows linearly away from φⱼ·n: 2εⱼ·r/φⱼ above it and 2εⱼ·(n − r)/(1 − φⱼ) below
/// it, 2εⱼ·n at φⱼ·n itself. Neighbouring entries are merged while the merged entry still satisfies g + Δ ≤ f(r, n)
/// (r being the rank before it), so the stream keeps many entries near the targeted ranks and few elsewhere.
/// </para>
/// <para>
/// Two choices differ from the paper's pseudo-code, both on the side of accuracy. A value inserted between two entries
/// takes the uncertainty its successor already proves (Δ = g + Δ of the successor, minus 1, as in Greenwald–Khanna)
/// instead of f(r, n) − 1: it is always a valid bound and never larger. And the first entry is never merged away, so
/// it is always the exact minimum, which makes "inserted before the first entry" mean "new minimum, rank known
/// exactly". Observations arrive in sorted batches (<see cref="InsertSorted"/>), merged into the entries in one pass and
/// compressed once per batch.
/// </para>
/// <para>
/// A query for φ returns the value of the entry before the first one whose rmax exceeds φ·n + f(φ·n, n)/2; its true
/// rank then lies within φ·n ± εⱼ·n for the targeted φⱼ = φ. Ranks 0 and 1 are handled as limits: the minimum and
/// maximum are kept exactly.
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
        var target = rank * _count;
        var threshold = target + AllowedUncertainty(target, _count) / 2;
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
            if (entry.Width + successor.Width + successor.Delta <= AllowedUncertainty(rankBefore, count))
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

    /// <summary>f(r, n): the uncertainty (g + Δ) an entry starting after rank <paramref name="rank"/> may have.</summary>
    private double AllowedUncertainty(double rank, double count)
    {
        var allowed = double.PositiveInfinity;
        foreach (var target in _targets)
        {
            // Each target allows 2εn at its own rank and more the further away the rank is; rank 0 and rank 1 targets
            // only constrain the very first and very last rank.
            var above = target.AboveSlope >= 0 ? target.AboveSlope * rank : (rank > 0 ? double.PositiveInfinity : 0);
            var below = target.BelowSlope >= 0 ? target.BelowSlope * (count - rank) : (rank < count ? double.PositiveInfinity : 0);
            allowed = Math.Min(allowed, Math.Max(above, below));
        }
        return allowed;
    }

    private struct Entry(double value, long width, long delta)
    {
        public readonly double Value = value;
        public long Width = width;
        public readonly long Delta = delta;
    }

    /// <summary>One target, as the slopes of its allowed uncertainty above and below its rank (-1 when infinite).</summary>
    private readonly struct Target(double rank, double error)
    {
        public readonly double AboveSlope = rank > 0 ? 2 * error / rank : -1;
        public readonly double BelowSlope = rank < 1 ? 2 * error / (1 - rank) : -1;
    }
}
