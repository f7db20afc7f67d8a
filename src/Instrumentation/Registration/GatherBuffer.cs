namespace Instrumentation;

/// <summary>
/// Reusable storage for gathering: the families, series, bucket and quantile arrays of one scrape are kept and refilled by the
/// next, so a steady-state scrape of an unchanged registry allocates next to nothing.
/// </summary>
/// <remarks>
/// A buffer serves one gather at a time, and what a gather into it returned is valid only until the buffer's next
/// use. A scrape endpoint keeps a small pool of buffers (one per concurrent scrape) and returns each after writing
/// the response.
/// </remarks>
public sealed class GatherBuffer
{
    private readonly List<MetricPoint> _points = [];
    private int _pointsUsed;
    private readonly bool _singleUse;
    private MetricPoint? _spare;
    private MetricPoint? _lastRented;
    private readonly Dictionary<string, FamilyAccumulator.Family> _families = new(StringComparer.Ordinal);
    private readonly List<MetricFamily> _result = [];
    private int _inUse;

    /// <summary>Creates a buffer for any number of gathers, one at a time.</summary>
    public GatherBuffer()
    {
    }

    /// <summary>
    /// A buffer for one gather whose result the caller keeps (<see cref="Registry.Gather()"/>): it keeps no list of the
    /// points it hands out for reuse, as nothing will reuse them.
    /// </summary>
    private GatherBuffer(bool singleUse) => _singleUse = singleUse;

    /// <summary>A buffer for one gather whose result is handed over to the caller.</summary>
    internal static GatherBuffer ForOneGather() => new(singleUse: true);

    internal Dictionary<string, FamilyAccumulator.Family> Families => _families;

    internal List<MetricFamily> Result => _result;

    /// <summary>Marks the buffer in use and recycles everything the previous gather handed out.</summary>
    internal void Begin()
    {
        if (Interlocked.Exchange(ref _inUse, 1) != 0)
        {
            throw new InvalidOperationException("A GatherBuffer serves one gather at a time; use one buffer per concurrent scrape.");
        }
        _pointsUsed = 0;
        _result.Clear();
        foreach (var family in _families.Values)
        {
            family.Clear();
        }
    }

    /// <summary>Marks the buffer free again.</summary>
    internal void End()
    {
        // Families not seen in this scrape are dropped so a removed metric's storage does not linger.
        if (_families.Count > _result.Count * 2 + 16)
        {
            foreach (var name in _families.Where(f => f.Value.Points.Count == 0).Select(f => f.Key).ToList())
            {
                _families.Remove(name);
            }
        }
        Volatile.Write(ref _inUse, 0);
    }

    /// <summary>A cleared point: reused when available, new otherwise.</summary>
    internal MetricPoint RentPoint()
    {
        if (_singleUse)
        {
            if (_spare is { } spare)
            {
                _spare = null;
                spare.Reset();
                return _lastRented = spare;
            }
            return _lastRented = new MetricPoint();
        }
        if (_pointsUsed < _points.Count)
        {
            var point = _points[_pointsUsed++];
            point.Reset();
            return point;
        }
        var created = new MetricPoint();
        _points.Add(created);
        _pointsUsed++;
        return created;
    }

    /// <summary>Gives back the point most recently rented (it was not kept).</summary>
    internal void ReturnLastPoint()
    {
        if (_singleUse)
        {
            _spare = _lastRented;
            return;
        }
        _pointsUsed--;
    }

}
