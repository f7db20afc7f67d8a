namespace Instrumentation;

/// <summary>
/// The counter declared by <typeparamref name="TDefinition"/>, shared by everyone who asks for it. When the definition
/// declares labels, pick the series with <see cref="WithLabels"/>; otherwise use the <see cref="ICounter"/> operations directly.
/// </summary>
/// <typeparam name="TDefinition">The definition type.</typeparam>
public interface ICounter<TDefinition> : ICounter
    where TDefinition : ICounterDefinition
{
    /// <summary>
    /// Returns the series for <paramref name="values"/> (one per declared label, in order), creating it on first use;
    /// an existing series is found without allocating.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values does not match the declared labels.</exception>
    ICounter WithLabels(params ReadOnlySpan<string> values);
}
