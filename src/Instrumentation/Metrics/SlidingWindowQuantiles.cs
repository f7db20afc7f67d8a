namespace Instrumentation;

/// <summary>
/// Quantiles over a sliding time window: several <see cref="QuantileStream"/>s that all receive every observation and
/// are reset in turn, the oldest answering queries. Not thread-safe: <see cref="Summary"/> uses it under its lock.
/// </summary>
/// <remarks>
/// With a window of <c>MaxAge</c> split into <c>AgeBuckets</c> streams, stream k is first reset
/// (k + 1)·MaxAge/AgeBuckets after creation and every MaxAge after that, so each stream holds at most MaxAge worth of
/// observations and the one reset longest ago (the head) holds the most. An observation therefore counts in the
/// reported quantiles for between MaxAge − MaxAge/AgeBuckets and MaxAge, and never longer. This is the reference
/// client's scheme: more age buckets make the window slide more smoothly, at one stream's memory and insert cost each.
/// Times are in <see cref="TimeSpan"/> ticks of a monotonic clock the caller provides.
/// </remarks>
internal sealed class SlidingWindowQuantiles
{
    private readonly QuantileStream[] _streams;
    private readonly long _rotationTicks;
    private readonly long _windowTicks;
    private int _head;
    private long _headResetAt;

    public SlidingWindowQuantiles(ReadOnlySpan<double> ranks, ReadOnlySpan<double> errors, long maxAgeTicks, int ageBuckets, long now)
    {
        _streams = new QuantileStream[ageBuckets];
        for (var i = 0; i < ageBuckets; i++)
        {
            _streams[i] = new QuantileStream(ranks, errors);
        }
        // A practically endless MaxAge (TimeSpan.MaxValue, say) is capped so that schedule arithmetic cannot overflow.
        _rotationTicks = Math.Max(1, Math.Min(maxAgeTicks, long.MaxValue / 4) / ageBuckets);
        _windowTicks = _rotationTicks * ageBuckets;
        _headResetAt = now + _rotationTicks;
    }

    /// <summary>When the head stream is next reset: observations buffered before then must be inserted before it.</summary>
    public long NextRotation => _headResetAt;

    /// <summary>Observations in the window that queries answer from.</summary>
    public long Count => _streams[_head].Count;

    /// <summary>Inserts observations, sorted ascending and without NaN, into every stream.</summary>
    public void InsertSorted(ReadOnlySpan<double> sorted)
    {
        foreach (var stream in _streams)
        {
            stream.InsertSorted(sorted);
        }
    }

    /// <summary>Resets the streams whose time has come by <paramref name="now"/>, oldest first.</summary>
    public void Rotate(long now)
    {
        if (now < _headResetAt)
        {
            return;
        }
        if (now - _headResetAt >= _windowTicks)
        {
            // Idle for longer than the window: everything has expired; jump the schedule forward in one step.
            foreach (var stream in _streams)
            {
                stream.Reset();
            }
            var steps = (now - _headResetAt) / _rotationTicks + 1;
            _head = (int)((_head + steps) % _streams.Length);
            _headResetAt += steps * _rotationTicks;
            return;
        }
        while (now >= _headResetAt)
        {
            _streams[_head].Reset();
            _head = (_head + 1) % _streams.Length;
            _headResetAt += _rotationTicks;
        }
    }

    /// <summary>The value at <paramref name="rank"/> over the window, or NaN when the window is empty.</summary>
    public double Query(double rank) => _streams[_head].Query(rank);
}
