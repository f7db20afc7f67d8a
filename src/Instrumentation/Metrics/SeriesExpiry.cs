namespace Instrumentation;

/// <summary>A child metric that can tell whether it was updated since it was last asked.</summary>
internal interface IExpiringChild
{
    /// <summary>
    /// A number that changes whenever the metric is updated (a counter's value, a histogram's count, a gauge's own
    /// count of updates). Read only by the family's expiry sweep, under the family's write lock.
    /// </summary>
    long UpdateMark();
}

/// <summary>
/// The bookkeeping of <see cref="MetricOptions.ExpireAfter"/> for one labelled family: when each child was last seen
/// updated, and the children that expired but may still be referenced by the application.
/// </summary>
/// <remarks>
/// Nothing here runs on a hot path: updates are noticed at scrape time by comparing each child's
/// <see cref="IExpiringChild.UpdateMark"/> with the one seen at the previous scrape, so an update costs nothing
/// extra. An expired child leaves the family (and so the exposition and the <see cref="MetricOptions.MaxSeries"/>
/// count) but is remembered weakly: code that kept a reference to it and updates it again gets it back at the next
/// scrape with its value intact, and <c>WithLabels</c> with its values returns it rather than a new child — so a
/// counter does not lose increments to an orphan. An expired child is held strongly until the next sweep (so an
/// update racing its expiry is seen), weakly after; once nothing references it, the runtime frees it and the series
/// starts from zero if its labels come back, which Prometheus reads as a counter reset. A child that comes back may
/// take the family past <see cref="MetricOptions.MaxSeries"/> until children expire again: it was a member when the
/// cap was checked, and splitting its updates between it and the overflow series would be worse.
/// All members are called with the family's write lock held.
/// </remarks>
internal sealed class SeriesExpiry<TChild>(TimeSpan expireAfter, TimeProvider time)
    where TChild : class, IMetric
{
    private readonly Dictionary<TChild, Activity> _activity = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string[], Dormant> _dormant = new(LabelValuesComparer.Instance);
    private int _sweep;

    /// <summary>Starts tracking a new (or revived) child as updated now.</summary>
    public void Track(TChild child) =>
        _activity[child] = new Activity { Mark = Mark(child), LastUpdate = time.GetTimestamp(), Sweep = _sweep };

    /// <summary>
    /// Notes which of <paramref name="live"/> were updated since the last sweep and returns those not updated for
    /// longer than the expiry (null when none). Children no longer in the family are forgotten.
    /// </summary>
    public List<TChild>? FindExpired(IEnumerable<TChild> live)
    {
        var sweep = ++_sweep;
        var now = time.GetTimestamp();
        List<TChild>? expired = null;
        foreach (var child in live)
        {
            if (!_activity.TryGetValue(child, out var activity))
            {
                Track(child);
                continue;
            }
            activity.Sweep = sweep;
            var mark = Mark(child);
            if (mark != activity.Mark)
            {
                activity.Mark = mark;
                activity.LastUpdate = now;
            }
            else if (time.GetElapsedTime(activity.LastUpdate, now) >= expireAfter)
            {
                (expired ??= []).Add(child);
            }
        }
        if (_activity.Count > 0)
        {
            List<TChild>? gone = null;
            foreach (var (child, activity) in _activity)
            {
                if (activity.Sweep != sweep)
                {
                    (gone ??= []).Add(child);
                }
            }
            gone?.ForEach(child => _activity.Remove(child));
        }
        return expired;
    }

    /// <summary>
    /// Takes an expired child out of tracking and remembers it under its label values: strongly until the next sweep,
    /// weakly after. The strong reference covers an update racing the expiry — a thread that found the child just
    /// before it was removed and updates it just after — which the next sweep then sees and brings back.
    /// </summary>
    public void Bury(TChild child, string[] values)
    {
        var mark = _activity.Remove(child, out var activity) ? activity.Mark : Mark(child);
        _dormant[values] = new Dormant(child, mark);
    }

    /// <summary>The expired child with these label values, if it is still alive; it is no longer dormant afterwards.</summary>
    public TChild? Exhume(string[] values)
    {
        return _dormant.Remove(values, out var dormant) ? dormant.Target : null;
    }

    /// <summary>
    /// Expired children that were updated since they expired (through a reference the application kept), with their
    /// label values; they are no longer dormant. Dormant children the runtime has freed are forgotten.
    /// </summary>
    public List<(TChild Child, string[] Values)>? TakeUpdatedDormant()
    {
        if (_dormant.Count == 0)
        {
            return null;
        }
        List<(TChild, string[])>? updated = null;
        List<string[]>? forget = null;
        foreach (var (values, dormant) in _dormant)
        {
            if (dormant.Target is not { } child)
            {
                (forget ??= []).Add(values);
            }
            else if (Mark(child) != dormant.Mark)
            {
                (updated ??= []).Add((child, values));
                (forget ??= []).Add(values);
            }
            else
            {
                dormant.EndGrace();
            }
        }
        forget?.ForEach(values => _dormant.Remove(values));
        return updated;
    }

    /// <summary>Forgets dormant children whose label values match (they were removed explicitly).</summary>
    public void ForgetWhere(Func<string[], bool> predicate)
    {
        if (_dormant.Count > 0)
        {
            foreach (var values in _dormant.Keys.Where(predicate).ToList())
            {
                _dormant.Remove(values);
            }
        }
    }

    /// <summary>Dormant children still remembered (for tests).</summary>
    public int DormantCount => _dormant.Count;

    private static long Mark(TChild child) => ((IExpiringChild)child).UpdateMark();

    private sealed class Activity
    {
        public long Mark;
        public long LastUpdate;
        public int Sweep;
    }

    /// <summary>An expired child: held strongly for one sweep after it expired, then only weakly.</summary>
    private sealed class Dormant(TChild child, long mark)
    {
        private readonly WeakReference<TChild> _weak = new(child);
        private TChild? _strong = child;

        public long Mark { get; } = mark;

        public TChild? Target => _strong ?? (_weak.TryGetTarget(out var child) ? child : null);

        public void EndGrace() => _strong = null;
    }

    /// <summary>Label values compared element by element, ordinally.</summary>
    private sealed class LabelValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(string[] values) => LabelValuesHash.Of(values);
    }
}
