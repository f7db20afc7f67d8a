using System.Buffers;
namespace Instrumentation;

/// <summary>
/// Builds sorted, validated metric families from collected metrics, recording every problem instead of stopping at
/// the first. Shared by <see cref="Registry"/> and <see cref="Gatherers"/> so that both apply the same rules.
/// </summary>
internal sealed class FamilyAccumulator
{
    private static readonly Comparison<MetricFamily> ByName = static (a, b) => CodePointOrder.Compare(a.Name, b.Name);

    /// <summary>Sample name suffixes a family of another name may collide on (see <see cref="RemoveSuffixCollisions"/>).</summary>
    private static readonly string[] Suffixes = ["_count", "_sum", "_bucket", "_gcount", "_gsum", "_info"];

    private readonly NameValidationScheme _scheme;
    private readonly GatherBuffer _buffer;
    private readonly Dictionary<string, Family> _families;
    private List<string>? _errors;
    private int _familiesStarted;

    /// <summary>Creates an accumulator that fills <paramref name="buffer"/> (which the caller has begun).</summary>
    public FamilyAccumulator(NameValidationScheme scheme, GatherBuffer buffer)
    {
        _scheme = scheme;
        _buffer = buffer;
        _families = buffer.Families;
    }

    public List<string> Errors => _errors ??= [];

    public bool HasErrors => _errors is { Count: > 0 };

    /// <summary>Writes <paramref name="metric"/> and adds it, checking it against its descriptor.</summary>
    public void Add(IMetric metric) => Add(metric, metric.Desc, wrapping: null);

    /// <summary>
    /// Writes <paramref name="metric"/> and adds it as described by <paramref name="desc"/>: its own descriptor, or
    /// the one <paramref name="wrapping"/> makes of it, whose labels are then added to the written series.
    /// </summary>
    public void Add(IMetric metric, Desc desc, WrappingCollector? wrapping)
    {
        if (desc.ErrorUnder(_scheme) is { } descError)
        {
            Errors.Add($"Collected metric \"{desc.FqName}\" has an invalid descriptor: {descError}.");
            return;
        }
        var point = _buffer.RentPoint();
        try
        {
            metric.Write(point);
            if (wrapping is not null)
            {
                point.Labels = wrapping.WrapLabels(point.Labels);
            }
        }
        catch (Exception ex)
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Writing metric \"{desc.FqName}\" failed: {ex.GetType().Name}: {ex.Message}");
            return;
        }
        var expected = desc.ConstLabels.Count + desc.VariableLabels.Count;
        if (point.LabelCount != expected)
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Collected metric \"{desc.FqName}\" {point.Labels} has {point.Labels.Count} label pairs but its descriptor has {expected} labels.");
            return;
        }
        if (!HasLabelsOf(point, desc))
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Collected metric \"{desc.FqName}\" {point.Labels} has labels inconsistent with its descriptor {desc}.");
            return;
        }
        if (!AddPoint(desc.FqName, desc.Help, metric.Type, desc.Unit, point))
        {
            _buffer.ReturnLastPoint();
        }
    }

    /// <summary>Adds an already written point of the family <paramref name="name"/>; returns whether it was kept.</summary>
    public bool AddPoint(string name, string help, MetricType type, string? unit, MetricPoint point) =>
        AddPointTo(name, help, type, unit, point) is not null;

    /// <summary>
    /// Adds the series of a labelled family's snapshot (<see cref="ISortedSeries"/>): the first point that is kept is
    /// checked as <see cref="Add(IMetric)"/> checks every point; the rest share its descriptor, label names and type
    /// and are distinct and in order by construction, so they are written and appended without being checked again
    /// — no descriptor, label or family look-up per series, and the order check in <see cref="Build"/> skips them.
    /// </summary>
    public void AddSorted(ISortedSeries series)
    {
        var metrics = series.Sorted;
        var i = 0;
        Family? family = null;
        var before = 0;
        // Until one point is kept, every point goes the checked way (an error is then reported per series, as before).
        for (; i < metrics.Length && family is null; i++)
        {
            var desc = metrics[i].Desc;
            var count = _families.TryGetValue(desc.FqName, out var existing) ? existing.Points.Count : 0;
            if (AddChecked(metrics[i], desc) is { } kept)
            {
                family = kept;
                before = count;
            }
        }
        if (family is null)
        {
            return;
        }
        var points = family.Points;
        points.EnsureCapacity(points.Count + metrics.Length - i);
        for (; i < metrics.Length; i++)
        {
            var metric = metrics[i];
            if (i + CachePrefetch.Distance < metrics.Length)
            {
                CachePrefetch.Object(metrics[i + CachePrefetch.Distance]);
            }
            var point = _buffer.RentPoint();
            try
            {
                metric.Write(point);
            }
            catch (Exception ex)
            {
                _buffer.ReturnLastPoint();
                Errors.Add($"Writing metric \"{metric.Desc.FqName}\" failed: {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            point.NoteLabelEncoding();
            points.Add(point);
        }
        // The snapshot's points are in strictly increasing order; the family stays known to be so if everything before
        // them was and the first of them comes after the last point added before.
        if (family.SortedPrefix == before && (before == 0 || ComparePoints(points[before - 1], points[before]) < 0))
        {
            family.SortedPrefix = points.Count;
        }
    }

    private Family? AddChecked(IMetric metric, Desc desc)
    {
        if (desc.ErrorUnder(_scheme) is { } descError)
        {
            Errors.Add($"Collected metric \"{desc.FqName}\" has an invalid descriptor: {descError}.");
            return null;
        }
        var point = _buffer.RentPoint();
        try
        {
            metric.Write(point);
        }
        catch (Exception ex)
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Writing metric \"{desc.FqName}\" failed: {ex.GetType().Name}: {ex.Message}");
            return null;
        }
        var expected = desc.ConstLabels.Count + desc.VariableLabels.Count;
        if (point.LabelCount != expected)
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Collected metric \"{desc.FqName}\" {point.Labels} has {point.Labels.Count} label pairs but its descriptor has {expected} labels.");
            return null;
        }
        if (!HasLabelsOf(point, desc))
        {
            _buffer.ReturnLastPoint();
            Errors.Add($"Collected metric \"{desc.FqName}\" {point.Labels} has labels inconsistent with its descriptor {desc}.");
            return null;
        }
        if (AddPointTo(desc.FqName, desc.Help, metric.Type, desc.Unit, point) is not { } family)
        {
            _buffer.ReturnLastPoint();
            return null;
        }
        return family;
    }

    private Family? AddPointTo(string name, string help, MetricType type, string? unit, MetricPoint point)
    {
        if (!point.LabelNames.HasValidNames(_scheme, out var invalidLabel))
        {
            Errors.Add($"Collected metric \"{name}\" {point.Labels} has an invalid label name \"{invalidLabel}\".");
            return null;
        }
        if (!_families.TryGetValue(name, out var family))
        {
            if (!MetricNames.IsValidMetricName(name, _scheme))
            {
                Errors.Add($"Collected metric name \"{name}\" is invalid.");
                return null;
            }
            family = new Family();
            _families.Add(name, family);
        }
        if (family.Points.Count == 0)
        {
            // A family kept by the buffer from an earlier scrape was validated by name then; the name is its key.
            family.Start(name, help, type, unit, point.LabelNames, _familiesStarted++);
        }
        else
        {
            if (family.Help != help)
            {
                Errors.Add($"Collected metric \"{name}\" {point.Labels} has help \"{help}\" but should have \"{family.Help}\".");
                return null;
            }
            if (family.Type != type)
            {
                Errors.Add($"Collected metric \"{name}\" {point.Labels} is a {type} but should be a {family.Type}.");
                return null;
            }
            if (!SameNames(family.LabelNames, point.LabelNames))
            {
                Errors.Add($"Collected metric \"{name}\" {point.Labels} has label names inconsistent with the family's ({string.Join(", ", family.LabelNames.Select(p => p.Name))}).");
                return null;
            }
        }
        // Duplicates (same name and label values) are found once the family is in order, in Build.
        family.Points.Add(point);
        return family;
    }

    /// <summary>The families that gathered cleanly, sorted by name, each family's series sorted by label values.</summary>
    public IReadOnlyList<MetricFamily> Build()
    {
        var result = _buffer.Result;
        RemoveSuffixCollisions();
        foreach (var family in _families.Values)
        {
            if (family.Points.Count == 0 || family.Dropped)
            {
                continue;
            }
            SortAndRemoveDuplicates(family);
            result.Add(family.Publish());
        }
        result.Sort(ByName);
        return HasErrors ? throw new GatherException([.. Errors], result) : result;
    }

    /// <summary>
    /// Drops (reporting both names) a family whose name is that of a sample of another family: a summary <c>x</c>
    /// writes <c>x_count</c> and <c>x_sum</c>, a histogram also <c>x_bucket</c>, a gauge histogram also
    /// <c>x_gcount</c> and <c>x_gsum</c> (OpenMetrics), an info family <c>x</c> its samples as <c>x_info</c> in every
    /// format, so a family named like one of them would expose the same
    /// sample name twice. As in the reference client's checkSuffixCollisions, the family collected later is dropped.
    /// </summary>
    private void RemoveSuffixCollisions()
    {
        var byName = _families.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var family in _families.Values)
        {
            if (family.Points.Count == 0 || family.Dropped)
            {
                continue;
            }
            foreach (var suffix in Suffixes)
            {
                if (family.Name.Length <= suffix.Length || !family.Name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    continue;
                }
                if (byName.TryGetValue(family.Name.AsSpan(0, family.Name.Length - suffix.Length), out var owner)
                    && owner.Points.Count > 0 && !owner.Dropped && Writes(owner.Type, suffix))
                {
                    var (earlier, later) = owner.Order < family.Order ? (owner, family) : (family, owner);
                    later.Dropped = true;
                    Errors.Add($"Collected metric \"{later.Name}\" collides with the previously collected metric \"{earlier.Name}\": "
                        + $"the {TypeName(owner.Type)} \"{owner.Name}\" writes samples named \"{family.Name}\".");
                }
                break;
            }
        }

        static bool Writes(MetricType type, string suffix) => type switch
        {
            MetricType.Summary => suffix is "_count" or "_sum",
            MetricType.Histogram => suffix is "_count" or "_sum" or "_bucket",
            MetricType.GaugeHistogram => suffix is not "_info",
            MetricType.Info => suffix is "_info",
            _ => false,
        };

        static string TypeName(MetricType type) => type switch
        {
            MetricType.Summary => "summary",
            MetricType.Histogram => "histogram",
            MetricType.Info => "info",
            _ => "gauge histogram",
        };
    }

    /// <summary>
    /// Puts the family's series in label order and drops (reporting each) any series collected twice with the same
    /// label values and the same timestamp (samples of one series with different explicit timestamps are kept, in timestamp
    /// order, as in the reference client). Duplicates end up next to each other once sorted, so no set of seen label
    /// sets is needed, and a family that arrives in strictly increasing order — every labelled family does — costs
    /// one comparing pass.
    /// </summary>
    private void SortAndRemoveDuplicates(Family family)
    {
        var points = family.Points;
        // Points known to be in order (see AddSorted) are not compared again.
        for (var i = Math.Max(1, family.SortedPrefix); i < points.Count; i++)
        {
            if (ComparePoints(points[i - 1], points[i]) >= 0)
            {
                SortStable(points);
                RemoveAdjacentDuplicates(family.Name, points);
                return;
            }
        }
    }

    /// <summary>
    /// Sorts keeping series that compare equal in the order they were collected, so that of two duplicates the first
    /// collected is the one kept, every scrape (a plain sort is unstable and could expose either value).
    /// </summary>
    private static void SortStable(List<MetricPoint> points)
    {
        var count = points.Count;
        var order = ArrayPool<int>.Shared.Rent(count);
        var sorted = ArrayPool<MetricPoint>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }
            // Labels, then timestamp, then the order collected: of points that are duplicates the first is kept.
            var byLabelsThenPosition = new Comparison<int>((a, b) =>
            {
                var c = ComparePoints(points[a], points[b]);
                return c != 0 ? c : a.CompareTo(b);
            });
            order.AsSpan(0, count).Sort(byLabelsThenPosition);
            for (var i = 0; i < count; i++)
            {
                sorted[i] = points[order[i]];
            }
            for (var i = 0; i < count; i++)
            {
                points[i] = sorted[i];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<MetricPoint>.Shared.Return(sorted, clearArray: true);
        }
    }

    private void RemoveAdjacentDuplicates(string name, List<MetricPoint> points)
    {
        var kept = 1;
        for (var i = 1; i < points.Count; i++)
        {
            if (ComparePoints(points[kept - 1], points[i]) == 0)
            {
                Errors.Add(points[i].TimestampMs is { } ms
                    ? $"Collected metric \"{name}\" {points[i].Labels} with timestamp {ms} was collected before with the same name, label values and timestamp."
                    : $"Collected metric \"{name}\" {points[i].Labels} was collected before with the same name and label values.");
                continue;
            }
            points[kept++] = points[i];
        }
        points.RemoveRange(kept, points.Count - kept);
    }

    /// <summary>
    /// Whether the point's labels are exactly those <paramref name="desc"/> declares (see <see cref="LabelSet.Matches"/>):
    /// true without building them for a series noted by a child of the family <paramref name="desc"/> describes.
    /// </summary>
    private static bool HasLabelsOf(MetricPoint point, Desc desc) =>
        (point.SeriesSchema is { } schema && ReferenceEquals(schema.Desc, desc)) || point.Labels.Matches(desc);

    private static bool SameNames(LabelSet a, LabelSet b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Name != b[i].Name)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Series order: label pairs by code point, then (for samples of one series) explicit timestamps ascending, a
    /// sample without one last, as it means "now". Zero means duplicates.
    /// </summary>
    private static int ComparePoints(MetricPoint a, MetricPoint b)
    {
        var c = CompareLabels(a, b);
        if (c != 0)
        {
            return c;
        }
        var ta = a.TimestampMs;
        var tb = b.TimestampMs;
        if (ta is null || tb is null)
        {
            return ta.HasValue ? -1 : tb.HasValue ? 1 : 0;
        }
        return ta.Value.CompareTo(tb.Value);
    }

    private static int CompareLabels(MetricPoint a, MetricPoint b)
    {
        if (ReferenceEquals(a.Labels, b.Labels))
        {
            return 0;
        }
        var la = a.Labels.AsSpan();
        var lb = b.Labels.AsSpan();
        var n = Math.Min(la.Length, lb.Length);
        for (var i = 0; i < n; i++)
        {
            var c = CodePointOrder.Compare(la[i].Name, lb[i].Name);
            if (c != 0)
            {
                return c;
            }
            c = CodePointOrder.Compare(la[i].Value, lb[i].Value);
            if (c != 0)
            {
                return c;
            }
        }
        return la.Length.CompareTo(lb.Length);
    }

    /// <summary>One family being gathered; kept by a <see cref="GatherBuffer"/> and refilled by the next scrape.</summary>
    internal sealed class Family
    {
        private MetricFamily? _published;

        public string Name { get; private set; } = "";
        public string Help { get; private set; } = "";
        public MetricType Type { get; private set; }
        public string? Unit { get; private set; }
        /// <summary>A label set with the family's label names (the values are those of some series, or the names).</summary>
        public LabelSet LabelNames { get; private set; } = LabelSet.Empty;
        public List<MetricPoint> Points { get; } = [];

        /// <summary>When in the gather this family was first collected (for the suffix collision rule).</summary>
        public int Order { get; private set; }

        /// <summary>Whether the family collides with another and is left out of the result.</summary>
        public bool Dropped { get; set; }

        /// <summary>How many of the first <see cref="Points"/> are known to be in strictly increasing series order.</summary>
        public int SortedPrefix { get; set; }

        public void Start(string name, string help, MetricType type, string? unit, LabelSet firstNames, int order)
        {
            Order = order;
            Dropped = false;
            Name = name;
            Help = help;
            Type = type;
            Unit = unit;
            LabelNames = firstNames;
        }

        public void Clear()
        {
            Points.Clear();
            SortedPrefix = 0;
        }

        public MetricFamily Publish()
        {
            if (_published is null)
            {
                _published = new MetricFamily(Name, Help, Type, Points, Unit);
            }
            else
            {
                _published.Reset(Name, Help, Type, Unit, Points);
            }
            return _published;
        }
    }
}

/// <summary>
/// What a labelled family's <see cref="ICollector.Collect"/> may return: its children, every one with the same
/// descriptor and type, labels built from that descriptor, in series order (the order
/// <see cref="FamilyAccumulator.Build"/> sorts into) and, when <see cref="Distinct"/>, strictly so. Only the library's
/// own families promise this.
/// </summary>
internal interface ISortedSeries
{
    /// <summary>The children in series order.</summary>
    ReadOnlySpan<IMetric> Sorted { get; }

    /// <summary>
    /// Whether no two children have the same label values (false only in the odd case of a child whose values all
    /// equal the overflow series'); when false the series are gathered one by one and the duplicate is reported.
    /// </summary>
    bool Distinct { get; }
}

/// <summary>Structural equality of label sets (names and values).</summary>
internal sealed class LabelSetComparer : IEqualityComparer<LabelSet>
{
    public static readonly LabelSetComparer Instance = new();

    public bool Equals(LabelSet? x, LabelSet? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }
        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }
        var a = x.AsSpan();
        var b = y.AsSpan();
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i].Name != b[i].Name || a[i].Value != b[i].Value)
            {
                return false;
            }
        }
        return true;
    }

    public int GetHashCode(LabelSet obj) => obj.StructuralHash;
}
