using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Instrumentation.Collectors;

/// <summary>
/// The series of every bridged instrument that maps to one Prometheus name (instruments of the same name in several
/// <c>Meter</c> instances — one per host, say — add into the same series).
/// </summary>
/// <remarks>
/// A measurement finds its series through a dictionary keyed by its tag list, looked up with the span the listener
/// hands over: no key is built and no lock taken for a known tag list. Tag lists that differ only in order or in
/// the boxed type of a value map to one series through a second dictionary keyed by the sanitised label values.
/// The family's label names are the union of its series' names; a series lacking one writes it empty.
/// </remarks>
internal sealed class MeterFamily
{
    private readonly ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries> _byTags;
    private readonly ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly ConcurrentDictionary<string, MeterSeries> _byLabels = new(StringComparer.Ordinal);
    private readonly MeterCollector _owner;
    private readonly Lock _namesLock = new();
    private LabelNameState _names = new([], 0, null);

    public MeterFamily(MeterCollector owner, string name, string help, string? unit, MetricType type, MeterAggregation aggregation, double[]? bounds)
    {
        _owner = owner;
        Name = name;
        Help = help;
        Unit = unit;
        Type = type;
        Aggregation = aggregation;
        Bounds = bounds;
        _byTags = new ConcurrentDictionary<KeyValuePair<string, object?>[], MeterSeries>(TagKeyComparer.Instance);
        _lookup = _byTags.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public string Name { get; }

    public string Help { get; }

    public string? Unit { get; }

    public MetricType Type { get; }

    public MeterAggregation Aggregation { get; }

    public double[]? Bounds { get; }

    /// <summary>Instruments currently feeding this family; the collector drops the family when it reaches zero.</summary>
    public int Instruments;

    public bool IsObservable => Aggregation is MeterAggregation.ObservedCounter or MeterAggregation.ObservedUpDownSum or MeterAggregation.ObservedGauge;

    /// <summary>The measurement callback's work: find the series and update it.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_lookup.TryGetValue(tags, out var series))
        {
            series = AddSeries(tags);
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
        var names = Volatile.Read(ref _names);
        var desc = names.Desc ??= new Desc(Name, Help, names.Names, null, Unit);
        foreach (var series in _byLabels.Values)
        {
            if (IsObservable && series.ObservedAt != scrape)
            {
                continue; // not reported by this scrape's callbacks: the series is gone
            }
            // An observed value is taken now, under the scrape lock: a concurrent scrape's callbacks may be rebuilding it.
            var observed = IsObservable ? series.Value : (double?)null;
            metrics.Add(new BridgedMetric(this, desc, series, series.LabelsFor(names.Names, names.Version), observed));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private MeterSeries AddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var (labelNames, labelValues) = Canonical(tags);
        // The family's label names first: a scrape that sees the new series must also see all of its labels.
        AddLabelNames(labelNames);
        var canonicalKey = CanonicalKey(labelNames, labelValues);
        var series = _byLabels.GetOrAdd(canonicalKey,
            static (_, state) => new MeterSeries(state.labelNames, state.labelValues, state.bucketCount),
            (labelNames, labelValues, bucketCount: Bounds is null ? 0 : Bounds.Length + 1));
        _byTags.TryAdd(tags.ToArray(), series);
        return series;
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

    private void AddLabelNames(string[] names)
    {
        var current = Volatile.Read(ref _names);
        if (Array.TrueForAll(names, n => Array.IndexOf(current.Names, n) >= 0))
        {
            return;
        }
        lock (_namesLock)
        {
            current = _names;
            var union = current.Names.Union(names, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (union.Length != current.Names.Length)
            {
                Volatile.Write(ref _names, new LabelNameState(union, current.Version + 1, null));
            }
        }
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
