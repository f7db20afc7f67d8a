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
    public string Name { get; }

    /// <summary>The help text.</summary>
    public string Help { get; }

    /// <summary>The metric type.</summary>
    public MetricType Type { get; }

    /// <summary>The unit (OpenMetrics <c># UNIT</c>), or null.</summary>
    public string? Unit { get; }

    /// <summary>The series, sorted by label values.</summary>
    public IReadOnlyList<MetricPoint> Metrics { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type}, {Metrics.Count} series)";
}
