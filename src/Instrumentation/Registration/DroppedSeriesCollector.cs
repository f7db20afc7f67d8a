namespace Instrumentation;

/// <summary>
/// The registry's own counter of label sets its capped families had no room for:
/// <c>metrics_series_dropped_total{metric="&lt;family name&gt;"}</c>. Every <see cref="Registry"/> registers one.
/// </summary>
/// <remarks>
/// <para>
/// The counts live in the families (<see cref="MetricVec{TChild}.DroppedSeries"/>, one interlocked increment on the
/// already slow path that answers with the <c>__overflow__</c> series); this collector only reads them at scrape
/// time, so counting adds nothing to <c>WithLabels</c> and is exact: the value is the number of folded
/// <c>WithLabels</c> calls the family has answered so far.
/// </para>
/// <para>
/// It finds the families among the registry's registered collectors (seen through any wrapping, named as they are
/// exposed, so with a registerer's prefix) and exposes a family's series once it has dropped something, as the meter
/// bridge does with <c>meter_bridge_overflow_measurements_total</c>: with a default cap on every family made through
/// dependency injection, a zero series per family would be noise. Families of one name (different const labels)
/// share one series. What it found is cached per registration snapshot, so a steady-state scrape allocates nothing.
/// </para>
/// </remarks>
internal sealed class DroppedSeriesCollector(Func<ICollector[]> registered) : ICollector
{
    /// <summary>The counter family's name.</summary>
    public const string FamilyName = "metrics_series_dropped_total";

    private static readonly Desc DroppedDesc = new(
        FamilyName,
        "Label sets a labelled family with MaxSeries had no room for, folded into its __overflow__ series, by family.",
        ["metric"],
        null);

    private State _state = new([], [], []);

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [DroppedDesc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect()
    {
        var collectors = registered();
        var state = Volatile.Read(ref _state);
        if (!ReferenceEquals(state.Collectors, collectors))
        {
            state = new State(collectors, FindFamilies(collectors), []);
        }
        var dropping = 0;
        foreach (var family in state.Families)
        {
            if (family.Dropped > 0)
            {
                dropping++;
            }
        }
        // A family that dropped something never goes back to zero: the exposed list only changes when one more starts.
        if (dropping != state.Exposed.Length)
        {
            state = state with { Exposed = [.. state.Families.Where(f => f.Dropped > 0)] };
        }
        Volatile.Write(ref _state, state);
        return state.Exposed;
    }

    private static DroppedSeries[] FindFamilies(ICollector[] collectors)
    {
        var byName = new SortedDictionary<string, List<ISeriesCapped>>(StringComparer.Ordinal);
        foreach (var collector in collectors)
        {
            var inner = collector is WrappingCollector wrapping ? wrapping.UnwrapAll() : collector;
            if (inner is not ISeriesCapped { MaxSeries: not null } capped || collector.Describe().FirstOrDefault() is not { } desc)
            {
                continue;
            }
            if (!byName.TryGetValue(desc.FqName, out var list))
            {
                byName[desc.FqName] = list = [];
            }
            list.Add(capped);
        }
        return [.. byName.Select(kv => new DroppedSeries(kv.Key, [.. kv.Value]))];
    }

    private sealed record State(ICollector[] Collectors, DroppedSeries[] Families, DroppedSeries[] Exposed);

    /// <summary>The counter series of one family name: the sum of its families' <c>DroppedSeries</c>.</summary>
    private sealed class DroppedSeries(string metric, ISeriesCapped[] families) : IMetric
    {
        private readonly LabelSet _labels = LabelSet.Create(DroppedDesc.ConstLabels, DroppedDesc.VariableLabels, [metric]);

        public Desc Desc => DroppedDesc;

        public MetricType Type => MetricType.Counter;

        public long Dropped
        {
            get
            {
                long sum = 0;
                foreach (var family in families)
                {
                    sum += family.DroppedSeries;
                }
                return sum;
            }
        }

        public void Write(MetricPoint point)
        {
            point.Labels = _labels;
            point.Value = Dropped;
        }
    }
}

/// <summary>A labelled family that may fold label sets into an overflow series (see <see cref="MetricVec{TChild}"/>).</summary>
internal interface ISeriesCapped
{
    /// <summary>The family's series limit, or null for none.</summary>
    int? MaxSeries { get; }

    /// <summary>How many <c>WithLabels</c> calls were answered with the overflow series.</summary>
    long DroppedSeries { get; }
}
