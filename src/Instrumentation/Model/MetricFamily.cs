namespace Instrumentation;

/// <summary>
/// All gathered series that share one metric name: the unit that formatters write and the seam between
/// collection and exposition.
/// </summary>
public sealed class MetricFamily
{
    /// <summary>Creates a family.</summary>
    public MetricFamily(string name, string help, MetricType type, IReadOnlyList<MetricPoint> metrics, string? unit = null)
    {
        Name = name;
        Help = help;
        Type = type;
        Metrics = metrics;
        Unit = unit;
    }

    /// <summary>The fully-qualified metric name, as described (a counter's name keeps its <c>_total</c> suffix).</summary>
    public string Name { get; private set; }

    /// <summary>The help text.</summary>
    public string Help { get; private set; }

    /// <summary>The metric type.</summary>
    public MetricType Type { get; private set; }

    /// <summary>The unit (OpenMetrics <c># UNIT</c>), or null.</summary>
    public string? Unit { get; private set; }

    /// <summary>The series, sorted by label values.</summary>
    public IReadOnlyList<MetricPoint> Metrics { get; private set; }

    /// <summary>Re-targets a family object kept by a <see cref="GatherBuffer"/> for the next scrape.</summary>
    internal void Reset(string name, string help, MetricType type, string? unit, IReadOnlyList<MetricPoint> metrics)
    {
        Name = name;
        Help = help;
        Type = type;
        Unit = unit;
        Metrics = metrics;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type}, {Metrics.Count} series)";
}
