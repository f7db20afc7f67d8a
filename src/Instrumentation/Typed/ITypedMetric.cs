namespace Instrumentation;

/// <summary>
/// A typed metric (<see cref="ICounter{TDefinition}"/>, <see cref="IGauge{TDefinition}"/> …) exposing the metric it
/// wraps — the plain metric or, when the definition declares labels, the labelled family — so test helpers
/// (<c>MetricsTestUtil.ToDouble</c>) read it as they read the metric itself.
/// </summary>
internal interface ITypedMetric
{
    /// <summary>The wrapped metric.</summary>
    ICollector Metric { get; }
}
