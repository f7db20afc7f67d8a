using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Instrumentation.Collectors;

/// <summary>
/// The series of every bridged instrument that maps to one Prometheus name (instruments of the same name in several
/// <c>Meter</c> instances — one per host, say — add into the same series).
/// </summary>
/// <remarks>
/// <para>
/// A measurement finds its series through a dictionary keyed by its tag list, looked up with the span the listener
/// hands over: no key is built and no lock taken for a known tag list. Tag lists that differ only in order or in
/// the boxed type of a value map to one series through a second dictionary keyed by the sanitised label values.
/// The family's label names are the union of its series' names; a series lacking one writes it empty.
/// </para>
/// <para>
/// With a series cap, a tag list whose labels would make a series past the cap goes to the overflow series (every
/// label <c>__overflow__</c>, as <see cref="MetricVec{TChild}.OverflowLabelValue"/>) and is counted. The look-up by
/// tag list then remembers at most twice the cap of them (known series in another order, and tag lists past the
/// cap, included), so a flood of distinct tag values cannot grow it either; tag lists it did not keep take the slow
/// path (sanitising and formatting the tags) at each measurement, still without a lock once the cap is reached.
/// </para>
/// </remarks>
internal sealed class MeterFamily
{
    private const string RouteTag = "http.route";
    private const string RouteLabel = "http_route";

    /// <summary>The value of every label of the overflow series: the core labelled families' own.</summary>
    public const string OverflowLabelValue = MetricVec<Counter>.OverflowLabelValue;

    private readonly ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries> _byTags;
    private readonly ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly ConcurrentDictionary<string, MeterSeries> _byLabels = new(StringComparer.Ordinal);
    private readonly MeterCollector _owner;
    private readonly int _maxSeries;
    private readonly Lock _writeLock = new();
    private LabelNameState _names = new([], 0, null);
    private int _seriesCount;
    private int _tagListCount;
    private MeterSeries? _overflow;
    private long _overflowMeasurements;

    // maxSeries: the most series the family keeps; 0 for no limit.
    public MeterFamily(MeterCollector owner, string name, string help, string? unit, MetricType type, MeterAggregation aggregation, double[]? bounds, int maxSeries)
    {
        _owner = owner;
        Name = name;
        Help = help;
        Unit = unit;
        Type = type;
        Aggregation = aggregation;
        Bounds = bounds;
        _maxSeries = maxSeries;
        _byTags = new ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries>(TagKeyComparer.Instance);
        _lookup = _byTags.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public string Name { get; }

    public string Help { get; }

    public string? Unit { get; }

    public MetricType Type { get; }

    public MeterAggregation Aggregation { get; }

    public double[]? Bounds { get; }

    /// <summary>
    /// When set, a series whose tags have no <c>http.route</c> gets <c>http_route</c> with this value: ASP.NET Core's
    /// request duration leaves the route off requests that matched no endpoint, where <c>UseHttpMetrics</c> writes
    /// <c>&lt;unmatched&gt;</c>; the bridged family labels them the same way.
    /// </summary>
    public string? MissingRouteValue { get; init; }

    /// <summary>Instruments currently feeding this family; the collector drops the family when it reaches zero.</summary>
    public int Instruments;

    public bool IsObservable => Aggregation is MeterAggregation.ObservedCounter or MeterAggregation.ObservedUpDownSum or MeterAggregation.ObservedGauge;

    /// <summary>Series the family holds, the overflow series not included.</summary>
    public int SeriesCount => Volatile.Read(ref _seriesCount);

    /// <summary>Measurements that went to the overflow series because the family had reached its series cap.</summary>
    public long OverflowMeasurements => Volatile.Read(ref _overflowMeasurements);

    private int BucketCount => Bounds is null ? 0 : Bounds.Length + 1;

    /// <summary>The measurement callback's work: find the series and update it.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_lookup.TryGetValue(tags, out var series))
        {
            series = FindOrAddSeries(tags);
        }
        if (series.IsOverflow)
        {
            Interlocked.Increment(ref _overflowMeasurements);
        }
        switch (Aggregation)
        {
            case MeterAggregation.Sum:
                if (value >= 0)
                {
                    series.Add(value); // a Prometheus counter never goes down: negative (and NaN) increments are dropped
                }
                break;
            case MeterAggregation.UpDownSum:
                series.Add(value);
                break;
            case MeterAggregation.LastValue:
                series.Set(value);
                break;
            case MeterAggregation.Histogram:
                series.ObserveHistogram(Bounds!, value);
                break;
            case MeterAggregation.ObservedCounter:
            case MeterAggregation.ObservedUpDownSum:
                series.Observe(value, _owner.CurrentScrape, additive: true);
                break;
            default:
                series.Observe(value, _owner.CurrentScrape, additive: false);
                break;
        }
    }

    /// <summary>Writes the family's current series; observable families only those reported at scrape <paramref name="scrape"/>.</summary>
    public void CollectInto(List<IMetric> metrics, long scrape)
    {
        if (IsObservable)
        {
            ForgetUnreported(scrape);
        }
        // The series first, the label names after: writers publish a series' names before the series, so names read
        // afterwards include the labels of every series seen here (read the other way round, a series created in
        // between would be written without its own labels, or the overflow series without the ones it brought).
        var allSeries = _byLabels.Values;
        var overflowSeries = Volatile.Read(ref _overflow);
        var names = Volatile.Read(ref _names);
        var desc = names.Desc ??= new Desc(Name, Help, names.Names, null, Unit);
        foreach (var series in allSeries)
        {
            Add(series);
        }
        if (overflowSeries is not null)
        {
            Add(overflowSeries);
        }

        void Add(MeterSeries series)
        {
            if (IsObservable && series.ObservedAt != scrape)
            {
                return; // not reported by this scrape's callbacks: the series is gone
            }
            // An observed value is taken now, under the scrape lock: a concurrent scrape's callbacks may be rebuilding it.
            var observed = IsObservable ? series.Value : (double?)null;
            metrics.Add(new BridgedMetric(this, desc, series, series.LabelsFor(names.Names, names.Version), observed));
        }
    }

    /// <summary>
    /// Forgets the series of an observable family that this scrape's callbacks did not report, so that they neither
    /// hold memory nor a place under the series cap. Called under the collector's scrape lock, which also serialises
    /// every measurement of an observable instrument: no measurement can be updating a series being forgotten.
    /// </summary>
    private void ForgetUnreported(long scrape)
    {
        List<string>? stale = null;
        foreach (var (key, series) in _byLabels)
        {
            if (series.ObservedAt != scrape)
            {
                (stale ??= []).Add(key);
            }
        }
        if (stale is null)
        {
            return;
        }
        lock (_writeLock)
        {
            foreach (var key in stale)
            {
                if (_byLabels.TryRemove(key, out _))
                {
                    Volatile.Write(ref _seriesCount, _seriesCount - 1);
                }
            }
            // Tag lists of forgotten series, and those sent to the overflow series (now there may be room for them),
            // are looked up afresh at their next measurement.
            foreach (var (tags, series) in _byTags)
            {
                if ((series.IsOverflow || series.ObservedAt != scrape) && _byTags.TryRemove(tags, out _))
                {
                    Interlocked.Decrement(ref _tagListCount);
                }
            }
        }
    }

    /// <summary>The slow path of a tag list not seen before: its series by label values, created when under the cap, else the overflow series.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private MeterSeries FindOrAddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var (labelNames, labelValues) = Canonical(tags);
        var canonicalKey = CanonicalKey(labelNames, labelValues);
        if (!_byLabels.TryGetValue(canonicalKey, out var series) && !TryOverflowWithoutLock(canonicalKey, out series))
        {
            lock (_writeLock)
            {
                // Looked at again and counted under the lock, so that concurrent new tag lists never take the family
                // past its cap.
                if (!_byLabels.TryGetValue(canonicalKey, out series))
                {
                    series = _maxSeries > 0 && _seriesCount >= _maxSeries
                        ? Overflow(labelNames)
                        : AddSeries(canonicalKey, labelNames, labelValues);
                }
            }
        }
        // Bounded with a cap: another order of a known tag list is worth remembering, an endless stream of new user
        // ids past the cap is not.
        if (_maxSeries == 0 || Volatile.Read(ref _tagListCount) < 2 * _maxSeries)
        {
            if (_byTags.TryAdd(tags.ToArray(), series))
            {
                Interlocked.Increment(ref _tagListCount);
            }
        }
        return series;
    }

    /// <summary>
    /// Past the cap, a flood of new tag lists (a user id, say) finds the overflow series without queueing on the
    /// write lock. Sound because the series count then cannot go down while measurements come in (only an observable
    /// family forgets series, under the scrape lock that also serialises its measurements), and the count is read
    /// before the label set is looked for again: a series created meanwhile is seen.
    /// </summary>
    private bool TryOverflowWithoutLock(string canonicalKey, out MeterSeries series)
    {
        if (_maxSeries > 0 && Volatile.Read(ref _seriesCount) >= _maxSeries && Volatile.Read(ref _overflow) is { } overflow)
        {
            series = _byLabels.TryGetValue(canonicalKey, out var existing) ? existing : overflow;
            return true;
        }
        series = null!;
        return false;
    }

    /// <summary>Creates the series of a new label set (caller holds the write lock).</summary>
    private MeterSeries AddSeries(string canonicalKey, string[] labelNames, string[] labelValues)
    {
        // The family's label names first: a scrape that sees the new series must also see all of its labels.
        AddLabelNames(labelNames);
        var series = new MeterSeries(labelNames, labelValues, BucketCount);
        _byLabels[canonicalKey] = series;
        Volatile.Write(ref _seriesCount, _seriesCount + 1);
        return series;
    }

    /// <summary>The overflow series, created on first use (caller holds the write lock).</summary>
    private MeterSeries Overflow(string[] overflowedLabelNames)
    {
        if (_overflow is { } existing)
        {
            return existing;
        }
        if (_names.Names.Length == 0)
        {
            // A family without labels has nothing to set to __overflow__, and its overflow series would look exactly
            // like its one unlabelled series: take the labels of the tag list that overflowed.
            AddLabelNames(overflowedLabelNames);
        }
        var created = new MeterSeries([], [], BucketCount, isOverflow: true);
        Volatile.Write(ref _overflow, created);
        return created;
    }

    /// <summary>A key that tells label sets apart whatever characters they hold: each part prefixed by its length.</summary>
    private static string CanonicalKey(string[] names, string[] values)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < names.Length; i++)
        {
            sb.Append(names[i].Length).Append(':').Append(names[i]).Append(values[i].Length).Append(':').Append(values[i]);
        }
        return sb.ToString();
    }

    /// <summary>Grows the family's label names to include <paramref name="names"/> (caller holds the write lock).</summary>
    private void AddLabelNames(string[] names)
    {
        var current = _names;
        if (Array.TrueForAll(names, n => Array.IndexOf(current.Names, n) >= 0))
        {
            return;
        }
        var union = current.Names.Union(names, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Volatile.Write(ref _names, new LabelNameState(union, current.Version + 1, null));
    }

    /// <summary>
    /// The sorted label names and values of a tag list. Tags whose keys sanitise to the same label name are merged,
    /// their values joined with <c>;</c> in the order of the original keys (as OpenTelemetry's exporter does).
    /// </summary>
    private (string[] Names, string[] Values) Canonical(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var byName = new SortedDictionary<string, List<(string Key, string Value)>>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var name = MeterNaming.SanitizeLabelName(tag.Key);
            if (Type == MetricType.Histogram && name == "le")
            {
                name = "tag_le"; // "le" is the bucket label of a histogram
            }
            if (!byName.TryGetValue(name, out var values))
            {
                byName[name] = values = [];
            }
            values.Add((tag.Key, FormatValue(tag.Value)));
        }
        if (MissingRouteValue is not null && !byName.ContainsKey(RouteLabel))
        {
            byName[RouteLabel] = [(RouteTag, MissingRouteValue)];
        }
        var names = new string[byName.Count];
        var labelValues = new string[byName.Count];
        var i = 0;
        foreach (var (name, values) in byName)
        {
            names[i] = name;
            labelValues[i] = values.Count == 1
                ? values[0].Value
                : string.Join(';', values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Value));
            i++;
        }
        return (names, labelValues);
    }

    private static string FormatValue(object? value)
    {
        var text = value switch
        {
            null => "",
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // A lone surrogate cannot be written as UTF-8: replace the text rather than fail the scrape.
        return MetricNames.IsWellFormedUtf16(text) ? text : new string(text.Select(c => char.IsSurrogate(c) ? '\ufffd' : c).ToArray());
    }

    /// <summary>The family's label names with a version (bumped when they grow) and the descriptor built for them.</summary>
    private sealed class LabelNameState(string[] names, int version, Desc? desc)
    {
        public string[] Names { get; } = names;
        public int Version { get; } = version;
        public Desc? Desc { get; set; } = desc;
    }

    /// <summary>One series as the registry sees it.</summary>
    private sealed class BridgedMetric(MeterFamily family, Desc desc, MeterSeries series, LabelSet labels, double? observed) : IMetric
    {
        public Desc Desc => desc;

        public MetricType Type => family.Type;

        public void Write(MetricPoint point)
        {
            point.Labels = labels;
            switch (family.Aggregation)
            {
                case MeterAggregation.Histogram:
                    series.WriteHistogram(family.Bounds!, point);
                    point.CreatedSeconds = series.CreatedSeconds;
                    break;
                case MeterAggregation.Sum:
                    point.Value = series.Value;
                    point.CreatedSeconds = series.CreatedSeconds;
                    break;
                default:
                    point.Value = observed ?? series.Value;
                    break;
            }
        }
    }
}
