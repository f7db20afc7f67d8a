namespace Instrumentation;

/// <summary>
/// Metrics with fixed values, made on the fly inside a custom collector's <see cref="ICollector.Collect"/> from values
/// read elsewhere (another system's statistics, a file, an API) — the equivalent of the reference client's
/// <c>MustNewConstMetric</c> family.
/// </summary>
public static class ConstMetric
{
    /// <summary>A counter sample.</summary>
    /// <exception cref="ArgumentException">The number of label values does not match the descriptor, or the value is negative.</exception>
    public static IMetric Counter(Desc desc, double value, params string[] labelValues)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Counter \"{desc.FqName}\" cannot have a negative value.");
        }
        return new Fixed(desc, MetricType.Counter, Labels(desc, labelValues), p => p.Value = value);
    }

    /// <summary>A counter sample with its creation time.</summary>
    public static IMetric Counter(Desc desc, double value, DateTimeOffset created, params string[] labelValues)
    {
        var seconds = created.ToUnixTimeMilliseconds() / 1000.0;
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Counter \"{desc.FqName}\" cannot have a negative value.");
        }
        return new Fixed(desc, MetricType.Counter, Labels(desc, labelValues), p =>
        {
            p.Value = value;
            p.CreatedSeconds = seconds;
        });
    }

    /// <summary>A gauge sample.</summary>
    public static IMetric Gauge(Desc desc, double value, params string[] labelValues) =>
        new Fixed(desc, MetricType.Gauge, Labels(desc, labelValues), p => p.Value = value);

    /// <summary>An untyped sample (a value whose type is not known).</summary>
    public static IMetric Untyped(Desc desc, double value, params string[] labelValues) =>
        new Fixed(desc, MetricType.Untyped, Labels(desc, labelValues), p => p.Value = value);

    /// <summary>
    /// A histogram sample from its count, sum and cumulative bucket counts keyed by upper bound (the <c>+Inf</c> bucket
    /// is added from <paramref name="count"/>).
    /// </summary>
    /// <remarks>
    /// A descriptor with a label named <c>le</c> (const or variable) would clash with the bucket series' own <c>le</c>:
    /// such a metric is refused when gathered (an error naming the metric, as the reference client does for a
    /// summary's <c>quantile</c>), and the rest of the scrape is unaffected.
    /// </remarks>
    /// <exception cref="ArgumentException">The bucket counts are not cumulative or exceed <paramref name="count"/>.</exception>
    public static IMetric Histogram(Desc desc, ulong count, double sum, IReadOnlyDictionary<double, ulong> buckets, params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var list = buckets.Where(b => !double.IsPositiveInfinity(b.Key)).OrderBy(b => b.Key).Select(b => new Bucket(b.Key, b.Value)).ToList();
        ulong previous = 0;
        foreach (var bucket in list)
        {
            if (double.IsNaN(bucket.UpperBound) || bucket.CumulativeCount < previous || bucket.CumulativeCount > count)
            {
                throw new ArgumentException(
                    $"Histogram \"{desc.FqName}\" bucket le={bucket.UpperBound} has count {bucket.CumulativeCount}: buckets must be cumulative and at most the total count {count}.", nameof(buckets));
            }
            previous = bucket.CumulativeCount;
        }
        list.Add(new Bucket(double.PositiveInfinity, count));
        var array = list.ToArray();
        return new Fixed(desc, MetricType.Histogram, Labels(desc, labelValues), ReservedLabelError(desc, "le", "histogram", "bucket"), p =>
        {
            p.Count = count;
            p.Sum = sum;
            p.Buckets = array;
        });
    }

    /// <summary>A summary sample from its count, sum and quantile values keyed by rank.</summary>
    /// <remarks>
    /// A descriptor with a label named <c>quantile</c> (const or variable) would clash with the quantile series' own
    /// label: as in the reference client, such a metric is a gather error naming it, and the rest of the scrape is
    /// unaffected.
    /// </remarks>
    /// <exception cref="ArgumentException">A rank is outside [0, 1].</exception>
    public static IMetric Summary(Desc desc, ulong count, double sum, IReadOnlyDictionary<double, double> quantiles, params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        foreach (var q in quantiles.Keys)
        {
            if (!(q >= 0 && q <= 1))
            {
                throw new ArgumentException($"Summary \"{desc.FqName}\" has quantile rank {q}, outside [0, 1].", nameof(quantiles));
            }
        }
        var array = quantiles.OrderBy(q => q.Key).Select(q => new QuantileValue(q.Key, q.Value)).ToArray();
        return new Fixed(desc, MetricType.Summary, Labels(desc, labelValues), ReservedLabelError(desc, "quantile", "summary", "quantile"), p =>
        {
            p.Count = count;
            p.Sum = sum;
            p.Quantiles = array;
        });
    }

    /// <summary>An info sample: value 1, its information carried by its labels. The name should end in <c>_info</c>.</summary>
    public static IMetric Info(Desc desc, params string[] labelValues) =>
        new Fixed(desc, MetricType.Info, Labels(desc, labelValues), p => p.Value = 1);

    /// <summary>A stateset sample: each state enabled or not. The states are written as samples labelled with the family's name.</summary>
    /// <exception cref="ArgumentException">A state name is empty, or the descriptor has a label named after the family.</exception>
    public static IMetric StateSet(Desc desc, IReadOnlyDictionary<string, bool> states, params string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (desc.VariableLabels.Contains(desc.FqName) || desc.ConstLabels.Any(p => p.Name == desc.FqName))
        {
            throw new ArgumentException($"Stateset \"{desc.FqName}\" cannot have a label with its own name: the states use it.", nameof(desc));
        }
        var array = states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            string.IsNullOrEmpty(s.Key) ? throw new ArgumentException($"Stateset \"{desc.FqName}\" has an empty state name.", nameof(states)) : new StateValue(s.Key, s.Value)).ToArray();
        return new Fixed(desc, MetricType.StateSet, Labels(desc, labelValues), p => p.States = array);
    }

    /// <summary>Returns a metric that writes <paramref name="metric"/> with an explicit timestamp.</summary>
    public static IMetric WithTimestamp(IMetric metric, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var ms = timestamp.ToUnixTimeMilliseconds();
        return new Fixed(metric.Desc, metric.Type, null, p =>
        {
            metric.Write(p);
            p.TimestampMs = ms;
        });
    }

    /// <summary>Returns a metric that writes <paramref name="metric"/> with <paramref name="exemplar"/> (a counter's exemplar).</summary>
    public static IMetric WithExemplar(IMetric metric, Exemplar exemplar)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(exemplar);
        return new Fixed(metric.Desc, metric.Type, null, p =>
        {
            metric.Write(p);
            p.Exemplar = exemplar;
        });
    }

    private static LabelSet Labels(Desc desc, string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(desc);
        labelValues ??= [];
        if (labelValues.Length != desc.VariableLabels.Count)
        {
            throw new ArgumentException(
                $"Metric \"{desc.FqName}\" expects {desc.VariableLabels.Count} label values ({string.Join(", ", desc.VariableLabels)}) but got {labelValues.Length} ({string.Join(", ", labelValues.Select(v => "\"" + v + "\""))}).",
                nameof(labelValues));
        }
        for (var i = 0; i < labelValues.Length; i++)
        {
            if (labelValues[i] is null || !MetricNames.IsWellFormedUtf16(labelValues[i]))
            {
                throw new ArgumentException($"Value of label \"{desc.VariableLabels[i]}\" of metric \"{desc.FqName}\" is null or not valid UTF-8.", nameof(labelValues));
            }
        }
        return LabelSet.Create(desc.ConstLabels, desc.VariableLabels, labelValues);
    }

    /// <summary>
    /// The error of a histogram's <c>le</c> or a summary's <c>quantile</c> label in <paramref name="desc"/>, or null.
    /// The metric is still made: the reference client reports it when gathering, and so do we (its Write throws).
    /// </summary>
    private static string? ReservedLabelError(Desc desc, string label, string kind, string series) =>
        desc.VariableLabels.Contains(label) || desc.ConstLabels.Any(p => p.Name == label)
            ? $"Collected {kind} \"{desc.FqName}\" must not have an explicit \"{label}\" label: its {series} series use it."
            : null;

    private sealed class Fixed(Desc desc, MetricType type, LabelSet? labels, string? error, Action<MetricPoint> fill) : IMetric
    {
        public Fixed(Desc desc, MetricType type, LabelSet? labels, Action<MetricPoint> fill)
            : this(desc, type, labels, null, fill)
        {
        }

        public Desc Desc => desc;

        public MetricType Type => type;

        public void Write(MetricPoint point)
        {
            if (error is not null)
            {
                throw new InvalidOperationException(error);
            }
            if (labels is not null)
            {
                point.Labels = labels;
            }
            fill(point);
        }
    }
}
