namespace Instrumentation;

/// <summary>
/// The gauge declared by <typeparamref name="TDefinition"/>, shared by everyone who asks for it. When the definition
/// declares labels, pick the series with <see cref="WithLabels"/>; otherwise use the <see cref="IGauge"/> operations directly.
/// </summary>
/// <typeparam name="TDefinition">The definition type.</typeparam>
public interface IGauge<TDefinition> : IGauge
    where TDefinition : IGaugeDefinition
{
    /// <summary>Returns the series for <paramref name="values"/>, creating it on first use (see <see cref="ICounter{TDefinition}.WithLabels"/>).</summary>
    /// <exception cref="ArgumentException">The number of values does not match the declared labels.</exception>
    IGauge WithLabels(params ReadOnlySpan<string> values);
}
