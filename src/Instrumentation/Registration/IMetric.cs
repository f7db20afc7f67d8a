namespace Instrumentation;

/// <summary>
/// One series (a metric with one set of label values) as a collector hands it to the registry.
/// </summary>
/// <remarks>
/// <see cref="Write"/> may be called concurrently with updates of the metric and with other scrapes; it must write a
/// self-consistent snapshot (a histogram's count equal to its <c>+Inf</c> bucket, for example).
/// </remarks>
public interface IMetric
{
    /// <summary>The descriptor of the family this series belongs to.</summary>
    Desc Desc { get; }

    /// <summary>The type of the family this series belongs to.</summary>
    MetricType Type { get; }

    /// <summary>Writes the series' current state (labels included) into <paramref name="point"/>.</summary>
    /// <exception cref="InvalidOperationException">The metric cannot be written (a function-backed value failed, say).</exception>
    void Write(MetricPoint point);
}
