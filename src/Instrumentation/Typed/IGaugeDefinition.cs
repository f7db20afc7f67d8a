namespace Instrumentation;

/// <summary>Declares a gauge to be injected as <see cref="IGauge{TDefinition}"/> (see <see cref="ICounterDefinition"/> for an example).</summary>
public interface IGaugeDefinition : IMetricDefinition
{
}
